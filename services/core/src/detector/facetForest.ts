// FacetForest: one isolation forest per behaviour facet, combined by a soft minimum.
//
// Distillation is a conjunction of behaviours: harvesting long answers, sweeping across
// subject matter, and eliciting reasoning. Every benign heavy user is extreme in one facet
// only (an eval runner sweeps topics for short answers, a SaaS app harvests volume from one
// template, a researcher asks for reasoning on one subject). A single forest over all features
// isolates any single extreme; a forest per facet scores each behaviour against the population,
// and their soft minimum is high only when every facet is unusual. Good at: separating
// campaigns from one-facet look-alikes, explaining alerts by facet. Bad at: a campaign that is
// ordinary in a whole facet (it scores like a look-alike) — by design, such traffic is not
// what the product hunts. Seeded, serialisable, pure.
import { IsolationForest, type IsolationForestJSON } from '../forest/isolationForest.ts';

export interface Facet {
  name: string;
  /** Columns of the model row that belong to this facet. */
  columns: number[];
  /**
   * Columns the forest does not see that must corroborate the facet: its evidence is the
   * smaller of its columns' most suspicious value and these columns' least (`weighByEvidence`).
   */
  corroboration: number[];
}

/** Version 2 adds each facet's corroborating columns; version 1 forests are refused (train again). */
export interface FacetForestJSON {
  format: 'distillwatch.facet-forest';
  version: 2;
  facets: Facet[];
  forests: IsolationForestJSON[];
}

export class FacetForest {
  readonly facets: readonly Facet[];
  private readonly forests: IsolationForest[];
  private readonly dims: number;
  /** One reusable row per facet: scoring allocates nothing per subject. */
  private readonly buffers: Float64Array[];

  private constructor(facets: readonly Facet[], forests: IsolationForest[], dims: number) {
    this.facets = facets;
    this.forests = forests;
    this.dims = dims;
    this.buffers = facets.map((f) => new Float64Array(f.columns.length));
  }

  /** Trains one forest per facet on the facet's columns of `rows` (all the same width). */
  static fit(rows: readonly Float64Array[], facets: readonly Facet[], featureNames: readonly string[],
    params: { trees: number; sampleSize: number; seed: number }): FacetForest {
    const dims = featureNames.length;
    const forests = facets.map((f, k) => new IsolationForest({ ...params, seed: (params.seed + k * 7919) >>> 0 })
      .fit(rows.map((r) => pick(r, f.columns)), { featureNames: f.columns.map((j) => featureNames[j]!) }));
    return new FacetForest(facets, forests, dims);
  }

  /** Per-facet scores, in facet order. */
  facetScores(row: Float64Array): number[] {
    return this.forests.map((forest, k) => {
      const { columns, corroboration } = this.facets[k]!;
      const buffer = this.buffers[k]!;
      let peak = 0.5;
      for (let i = 0; i < columns.length; i++) { buffer[i] = row[columns[i]!]!; peak = Math.max(peak, buffer[i]!); }
      for (const j of corroboration) peak = Math.min(peak, row[j]!);
      return weighByEvidence(forest.score(buffer), peak);
    });
  }

  /** Soft minimum of the facet scores (power mean, exponent CONJUNCTION_POWER), in (0, 1). */
  score(row: Float64Array): number {
    return combineFacetScores(this.facetScores(row));
  }

  scoreMany(rows: readonly Float64Array[]): Float64Array {
    return Float64Array.from(rows, (r) => this.score(r));
  }

  /**
   * Share of the score attributed to each column: each facet's forest explains its own
   * columns, weighted by how far that facet's score is above the neutral 0.5 (a facet that
   * looks ordinary explains nothing). Sums to 1 unless every facet is at or below 0.5.
   */
  explain(row: Float64Array): Float64Array {
    const out = new Float64Array(this.dims);
    const scores = this.facetScores(row);
    const weights = scores.map((s) => Math.max(0, s - 0.5));
    const total = weights.reduce((a, b) => a + b, 0) || 1;
    this.forests.forEach((forest, k) => {
      const shares = forest.explain(pick(row, this.facets[k]!.columns));
      this.facets[k]!.columns.forEach((j, i) => { out[j]! += (weights[k]! / total) * shares[i]!; });
    });
    return out;
  }

  toJSON(): FacetForestJSON {
    return { format: 'distillwatch.facet-forest', version: 2, facets: this.facets.map((f) => ({ ...f })), forests: this.forests.map((f) => f.toJSON()) };
  }

  static fromJSON(json: unknown, dims: number): FacetForest {
    const j = json as Partial<FacetForestJSON> | null;
    if (!j || j.format !== 'distillwatch.facet-forest' || j.version !== 2 || !Array.isArray(j.facets) || !Array.isArray(j.forests)) {
      throw new Error('not a distillwatch facet forest (format distillwatch.facet-forest, version 2)');
    }
    return new FacetForest(j.facets, j.forests.map((f) => IsolationForest.fromJSON(f)), dims);
  }
}

function pick(row: Float64Array, columns: readonly number[]): Float64Array {
  const v = new Float64Array(columns.length);
  for (let i = 0; i < columns.length; i++) v[i] = row[columns[i]!]!;
  return v;
}

/**
 * How far (in percentile, from the median) a facet's most suspicious feature (and each
 * corroborating feature) must reach before the facet's forest score counts in full. The forests see features floored at the median on
 * their innocent side, so a subject that is ordinary or innocent on every feature of a facet
 * sits in the floored corner; when few rows share that exact corner the forest isolates it
 * quickly and calls it unusual, though it is unusual only for being ordinary. Default 0.25:
 * full weight from the 75th percentile on.
 */
export const FACET_EVIDENCE_SPAN = 0.25;

/**
 * A facet's score above the neutral 0.5, scaled by the evidence on its suspicious side: `peak`
 * is the largest floored percentile among the facet's features (0.5 = none above the median),
 * lowered to its corroborating features' smallest: the coverage facet counts only as far as
 * the week's breadth is unusual too, since a subject that covers one or two domains evenly and
 * with new prompts is still narrow.
 * Scores at or below 0.5 are kept: weighing evidence never makes a subject more suspicious.
 */
export function weighByEvidence(score: number, peak: number): number {
  if (score <= 0.5) return score;
  return 0.5 + (score - 0.5) * Math.min(1, (peak - 0.5) / FACET_EVIDENCE_SPAN);
}

/**
 * Power mean with a strongly negative exponent: close to the smallest facet score (a subject
 * is only as suspicious as its most ordinary facet), yet still rising with the others.
 */
export const CONJUNCTION_POWER = -8;

/** The subject's score from its facet scores: their soft minimum. */
export function combineFacetScores(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += Math.max(x, 1e-6) ** CONJUNCTION_POWER;
  return (sum / xs.length) ** (1 / CONJUNCTION_POWER);
}
