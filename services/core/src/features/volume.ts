/**
 * Volume features: how much an account asks for in a window, and how hard it pushes.
 * Distillation needs many answers, so volume is the first signal, but never enough alone
 * (big legitimate customers are big too); the forest weighs it against the rest.
 * Pure function of the window; never reads the profile.
 */
import type { AccountWindow } from './accountWindow.ts';

export const VOLUME_FEATURES = [
  'requests_log', 'input_tokens_log', 'output_tokens_log', 'spend_log', 'peak_rpm_log', 'output_input_ratio', 'error_share',
] as const;
export type VolumeFeature = (typeof VOLUME_FEATURES)[number];

export function volumeFeatures(w: AccountWindow): Record<VolumeFeature, number> {
  return {
    requests_log: Math.log1p(w.events),
    input_tokens_log: Math.log1p(w.inputTokens),
    output_tokens_log: Math.log1p(w.outputTokens),
    spend_log: Math.log1p(Math.max(0, w.spend)),
    peak_rpm_log: Math.log1p(w.peakPerMinute),
    // Distillation buys long answers to short questions; log1p tames the heavy tail.
    output_input_ratio: Math.log1p(w.outputTokens / Math.max(1, w.inputTokens)),
    // Probing at rate limits, or scrapers that ignore failures, show up as error traffic.
    error_share: share(w.errors, w.events),
  };
}

/** part / whole, 0 for an empty whole. */
export function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
