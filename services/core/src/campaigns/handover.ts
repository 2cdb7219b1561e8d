// Hand-over: an operator who burns accounts replaces each one as it vanishes. The new account
// has its own card, network and client, so no identity ties it to the old one; what does is
// time and behaviour: its first request comes within minutes of its predecessor's last one,
// the predecessor never returns, and both ask in the same way (the same request shape:
// reasoning, effort, token limits, samples).
//
// Candidates are found in time buckets, never by comparing all pairs: only suspects (accounts
// above the threshold on their own, see suspectBook.ts) that arrived in the last
// `handoverSpanMs`, against suspects whose last request fell in the same or the previous
// bucket of `maxHandoverGapMs`. Each account gets at most one predecessor and one successor, so
// hand-overs form chains, never a web, and the linker drops a hand-over whose predecessor comes
// back (a customer who pauses between sessions was not replaced). An ordinary account is never
// linked this way. Pure: no clock, no I/O.
import type { Suspect } from './suspectBook.ts';

export interface HandoverOptions {
  /** How long after its arrival a new suspect may still be linked to a predecessor. Default 3 h. */
  handoverSpanMs: number;
  /** Largest request-shape distance (shapeDistance) between predecessor and successor. Default 1. */
  maxShapeDistance: number;
  /** Longest silence between a predecessor's last request and its successor's first. Default 30 min. */
  maxHandoverGapMs: number;
}

/** Tolerance per shape value: what counts as "the same" for a share and for a log-scaled value. */
export interface ShapeScale { tolerance: number }

/**
 * Distance between two request shapes: the largest difference of a shape value in units of its
 * tolerance (1 = just the same shape). A script's parameters are drawn the same way on every
 * account it drives, so its accounts sit within sampling noise of each other on every value.
 */
export function shapeDistance(a: readonly number[], b: readonly number[], scales: readonly ShapeScale[]): number {
  let worst = 0;
  for (let k = 0; k < scales.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k]!) / scales[k]!.tolerance);
  return worst;
}

/**
 * The hand-overs visible at `windowEnd`: pairs [predecessor, successor]. `taken(a, 'from' |
 * 'to')` says whether an account already has a successor (from) or a predecessor (to). A
 * predecessor's last request so far came at most `maxHandoverGapMs` before the successor's
 * first; the closest in time wins, then the closest in shape. (A predecessor that is heard from
 * again later loses the link: see CampaignLinker.)
 */
export function findHandovers(windowEnd: number, suspects: readonly Suspect[], scales: readonly ShapeScale[],
  options: HandoverOptions, taken: (account: string, side: 'from' | 'to') => boolean): Array<[string, string]> {
  const gapMs = options.maxHandoverGapMs;
  const arrivals = suspects.filter((s) => s.arrived !== null && windowEnd - s.arrived <= options.handoverSpanMs && !taken(s.account, 'to'))
    .sort((a, b) => a.arrived! - b.arrived! || cmp(a.account, b.account));
  if (arrivals.length === 0 || gapMs <= 0) return [];
  // Suspects by the time of their last request (one still busy after the arrival is no predecessor).
  const silentBy = new Map<number, Suspect[]>();
  for (const s of suspects) {
    if (taken(s.account, 'from')) continue;
    const bucket = Math.floor(s.lastEvent / gapMs);
    let list = silentBy.get(bucket);
    if (!list) { list = []; silentBy.set(bucket, list); }
    list.push(s);
  }
  const pairs: Array<[string, string]> = [];
  const used = new Set<string>();
  for (const next of arrivals) {
    let best: { prev: Suspect; gap: number; distance: number } | null = null;
    const bucket = Math.floor(next.arrived! / gapMs);
    for (const prev of [...(silentBy.get(bucket - 1) ?? []), ...(silentBy.get(bucket) ?? [])]) {
      const gap = next.arrived! - prev.lastEvent;
      if (prev.account === next.account || used.has(prev.account) || gap < 0 || gap > gapMs) continue;
      const distance = shapeDistance(prev.shape, next.shape, scales);
      if (distance > options.maxShapeDistance) continue;
      if (!best || gap < best.gap || (gap === best.gap && (distance < best.distance || (distance === best.distance && cmp(prev.account, best.prev.account) < 0)))) {
        best = { prev, gap, distance };
      }
    }
    if (best) { used.add(best.prev.account); pairs.push([best.prev.account, next.account]); }
  }
  return pairs;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
