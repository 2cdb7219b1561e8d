/**
 * KYC tiers from a subject's linked 30-day spend across all labs. The thresholds come from the
 * motivating analysis: a per-lab $5,000 trigger is dodged by splitting spend across labs or
 * accounts, so the tier is always computed on the linked, all-labs total. This module must
 * never look at a single lab's or a single account's spend on its own.
 */
import type { KycTier } from './schemas.generated.ts';

/** Lower bounds, US dollars over 30 days: each tier starts at its bound (inclusive). */
export const KYC_TIER_FLOORS_USD = {
  standard: 200,
  review: 5_000,
  enhanced: 10_000_000,
} as const;

/**
 * consumer below $200; standard from $200 to below $5,000; review from $5,000 to below
 * $10,000,000; enhanced from $10,000,000.
 */
export function kycTier(spendUsd30dAllLabs: number): KycTier {
  if (!Number.isFinite(spendUsd30dAllLabs) || spendUsd30dAllLabs < 0) {
    throw new RangeError(`30-day spend must be a finite, non-negative number of dollars, got ${spendUsd30dAllLabs}`);
  }
  if (spendUsd30dAllLabs >= KYC_TIER_FLOORS_USD.enhanced) return 'enhanced';
  if (spendUsd30dAllLabs >= KYC_TIER_FLOORS_USD.review) return 'review';
  if (spendUsd30dAllLabs >= KYC_TIER_FLOORS_USD.standard) return 'standard';
  return 'consumer';
}
