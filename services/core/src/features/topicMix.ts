/**
 * Topic mixes as shares, and how far two mixes are apart. Pure arithmetic over topic counts:
 * must never know an account or a window.
 */
import type { TopicCount } from '../schemas.generated.ts';

/** Each topic's share of a mix (a topic listed twice counts once with both counts; counts <= 0 are left out). */
export function topicShares(topics: readonly TopicCount[]): Map<string, number> {
  const shares = new Map<string, number>();
  let total = 0;
  for (const t of topics) {
    if (!(t.count > 0)) continue;
    shares.set(t.topic, (shares.get(t.topic) ?? 0) + t.count);
    total += t.count;
  }
  for (const [topic, count] of shares) shares.set(topic, count / total);
  return shares;
}

/** Jensen-Shannon divergence (base 2, in [0, 1]) of two topic mixes; 0 when either is empty. */
export function jensenShannon(p: ReadonlyMap<string, number>, q: ReadonlyMap<string, number>): number {
  if (p.size === 0 || q.size === 0) return 0;
  let d = 0;
  const term = (a: number, m: number) => (a > 0 ? a * Math.log2(a / m) : 0);
  for (const [t, a] of p) { const b = q.get(t) ?? 0; d += 0.5 * term(a, (a + b) / 2); }
  for (const [t, b] of q) { const a = p.get(t) ?? 0; d += 0.5 * term(b, (a + b) / 2); }
  return Math.min(1, Math.max(0, d));
}
