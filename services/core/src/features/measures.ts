/**
 * The small ratios and entropies feature modules share. Pure arithmetic: must never know a
 * feature, a window or a profile.
 */

/** part / whole, 0 for an empty whole. */
export function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Entropy of counts divided by ln(number of counts): 1 for perfectly even, 0 for one category. */
export function normalisedEntropy(counts: readonly number[]): number {
  const k = counts.length;
  if (k < 2) return 0;
  let total = 0;
  for (const c of counts) total += c;
  if (total <= 0) return 0;
  let entropy = 0;
  for (const c of counts) {
    if (c <= 0) continue;
    const p = c / total;
    entropy -= p * Math.log(p);
  }
  return clamp01(entropy / Math.log(k));
}
