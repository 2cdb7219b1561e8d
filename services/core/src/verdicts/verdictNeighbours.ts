/**
 * VerdictNeighbours: a small supervised correction learned from on-call verdicts, blended with
 * the unsupervised isolation score.
 *
 * It is a kernel nearest-neighbour vote (Nadaraya-Watson with a Gaussian kernel) in the space
 * the forest itself sees: each behaviour feature as its population percentile, floored at the
 * median on the innocent side (values in [0.5, 1]). Each judged subject contributes one example,
 * the row of its latest window above the threshold before the verdict: label -1 for benign,
 * +1 for distillation. A subject's score moves by
 *
 *     shift = maxShift * Σ w_i y_i / (Σ w_i + 1),   w_i = exp(-d_i² / (2 h²))
 *
 * where d_i is the root-mean-square distance to example i. The `+ 1` is the unsupervised
 * score's own vote: one example at distance 0 moves a score by half of maxShift, many agreeing
 * close examples by nearly all of it, and far examples (d ≫ h) not at all. Nothing moves before
 * `minExamples` verdicts exist: one analyst's first click should not reshape the population.
 *
 * Good at: a benign customer segment (one company's agents, a research group) that the forest
 * finds unusual on every facet — once one of them is judged benign, its look-alikes drop under
 * the threshold; campaigns that resemble a judged campaign rise. Bad at: anything far from every
 * judged example (it abstains), and it cannot tell two subjects apart that the forest's view
 * cannot. Deterministic: no randomness, and sums run over examples in subject order.
 *
 * Example: with the defaults (h 0.05, maxShift 0.1), one benign example at distance 0 lowers a
 * score by 0.05; at distance 0.05 by 0.1 × 0.61 / 1.61 ≈ 0.038; at distance 0.2 by ≈ 0.
 */

export interface VerdictNeighboursOptions {
  /** Kernel bandwidth, in RMS percentile distance. Default 0.05. */
  bandwidth: number;
  /** Largest move of a score, either way. Default 0.1. */
  maxShift: number;
  /** Labelled verdicts needed before any score moves. Default 5. */
  minExamples: number;
}

export const DEFAULT_VERDICT_NEIGHBOURS: VerdictNeighboursOptions = { bandwidth: 0.05, maxShift: 0.1, minExamples: 5 };

/** One judged subject's row and label. */
export interface VerdictExample {
  subjectId: string;
  /** The forest's view of the subject's window (percentiles floored at 0.5). */
  row: readonly number[];
  /** -1 benign, +1 distillation. */
  label: -1 | 1;
}

/** The score shift for `row` given `examples` (which must be sorted by subjectId). */
export function neighbourShift(row: ArrayLike<number>, examples: readonly VerdictExample[], options: VerdictNeighboursOptions = DEFAULT_VERDICT_NEIGHBOURS): number {
  if (examples.length < options.minExamples) return 0;
  const twoH2 = 2 * options.bandwidth * options.bandwidth;
  let weight = 0;
  let vote = 0;
  for (const ex of examples) {
    if (ex.row.length !== row.length) continue;
    let d2 = 0;
    for (let k = 0; k < row.length; k++) { const d = row[k]! - ex.row[k]!; d2 += d * d; }
    const w = Math.exp(-(d2 / row.length) / twoH2);
    weight += w;
    vote += w * ex.label;
  }
  return options.maxShift * vote / (weight + 1);
}
