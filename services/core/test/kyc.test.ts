import { describe, expect, it } from 'vitest';
import { kycTier } from '../src/kyc.ts';

describe('kycTier on linked 30-day spend across labs', () => {
  it('is consumer below $200', () => {
    expect(kycTier(0)).toBe('consumer');
    expect(kycTier(199.99)).toBe('consumer');
  });

  it('is standard from $200 up to just below $5,000', () => {
    expect(kycTier(200)).toBe('standard');
    expect(kycTier(4_999.99)).toBe('standard');
  });

  it('is review from $5,000 up to just below $10,000,000', () => {
    expect(kycTier(5_000)).toBe('review');
    expect(kycTier(9_999_999.99)).toBe('review');
  });

  it('is enhanced from $10,000,000', () => {
    expect(kycTier(10_000_000)).toBe('enhanced');
    expect(kycTier(2e9)).toBe('enhanced');
  });

  it('puts a campaign split into five $1,500 accounts at review, though each account alone is standard', () => {
    expect(kycTier(1_500)).toBe('standard');
    expect(kycTier(5 * 1_500)).toBe('review');
  });

  it('rejects spend that is negative or not a number', () => {
    expect(() => kycTier(-0.01)).toThrow(RangeError);
    expect(() => kycTier(Number.NaN)).toThrow(RangeError);
    expect(() => kycTier(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
