/**
 * Timing features: when and how regularly an account calls. Scripts fire at steady intervals
 * around the clock; people and the products they use come in bursts during their day. The
 * diurnal features look at the 24 UTC hours ending with the window (from the profile, after
 * this window was recorded into it); account age is since the first event the profile saw.
 * Reads the profile, never changes it.
 */
import type { AccountProfile } from './accountProfile.ts';
import { DAY_MS } from './accountProfile.ts';
import type { AccountWindow } from './accountWindow.ts';
import { normalisedEntropy } from './coverageSweep.ts';

export const TIMING_FEATURES = ['interarrival_cv', 'active_hours_24h', 'diurnal_entropy', 'account_age_days'] as const;
export type TimingFeature = (typeof TIMING_FEATURES)[number];

export function timingFeatures(w: AccountWindow, profile: AccountProfile): Record<TimingFeature, number> {
  const hours = profile.hourlyEvents(w.windowEnd);
  let active = 0;
  for (const h of hours) if (h > 0) active++;
  const age = Number.isFinite(profile.firstSeen) ? Math.max(0, w.windowEnd - profile.firstSeen) / DAY_MS : 0;
  return {
    interarrival_cv: Math.log1p(interarrivalCv(w)),
    active_hours_24h: active,
    diurnal_entropy: normalisedEntropy(hours),
    account_age_days: Math.log1p(age),
  };
}

/**
 * Coefficient of variation (standard deviation / mean) of the gaps between consecutive
 * events: ≈ 0 for a metronome, ≈ 1 for random (Poisson) arrivals, above 1 for bursts.
 * 0 with fewer than two gaps. An event behind the account's latest counts as a zero gap.
 */
export function interarrivalCv(w: AccountWindow): number {
  if (w.gaps < 2 || w.gapMean <= 0) return 0;
  return Math.sqrt(w.gapM2 / w.gaps) / w.gapMean;
}
