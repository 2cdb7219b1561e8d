// The one cut of a dead letter's `raw`: at most 1,000 characters, never half a surrogate pair.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutRaw, RAW_LIMIT } from '../../src/events/raw.ts';

describe('cutRaw', () => {
  it('keeps a line of at most 1,000 characters whole and cuts a longer one to 1,000', () => {
    expect(RAW_LIMIT).toBe(1000);
    const line = 'é'.repeat(1000);
    expect(cutRaw(line)).toBe(line);
    expect(cutRaw('x'.repeat(1001))).toBe('x'.repeat(1000));
  });

  it('stops before a surrogate pair that straddles the limit, and keeps one that ends at it', () => {
    expect(cutRaw('x'.repeat(999) + '😀tail')).toBe('x'.repeat(999));
    expect(cutRaw('x'.repeat(998) + '😀tail')).toBe('x'.repeat(998) + '😀');
  });

  it('always gives a prefix of at most 1,000 characters that is well-formed UTF-16', () => {
    const piece = fc.constantFrom('a', 'é', '数', '😀', '🙂🙂', '\n');
    fc.assert(fc.property(fc.array(piece, { maxLength: 1200 }), (pieces) => {
      const text = pieces.join('');
      const raw = cutRaw(text);
      expect(raw.length).toBeLessThanOrEqual(1000);
      expect(text.startsWith(raw)).toBe(true);
      expect(raw.isWellFormed()).toBe(true);
      expect(raw.length).toBeGreaterThanOrEqual(Math.min(text.length, 999));
    }), { numRuns: 200 });
  });
});
