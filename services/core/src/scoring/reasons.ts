/**
 * Why an alert fired, in terms an on-call engineer can read in seconds: the features that did
 * most of the isolating, each with its value, the population's median and the value's
 * percentile in the population. The population is summarised per feature as a sorted grid of
 * at most `gridSize` values, so it stays small enough to publish with the model. This module
 * must never see prompt text, and never rank reasons by anything but the forest's explanation.
 */
import { quantileSorted } from 'simple-statistics';
import type { FeatureRows } from '../forest/isolationForest.ts';
import { toRowMajor } from '../forest/isolationForest.ts';
import type { Reason } from '../schemas.generated.ts';

export const POPULATION_PROFILE_FORMAT = 'distillwatch.population-profile';
export const POPULATION_PROFILE_FORMAT_VERSION = 1;

export interface PopulationProfileJSON {
  format: typeof POPULATION_PROFILE_FORMAT;
  version: typeof POPULATION_PROFILE_FORMAT_VERSION;
  featureNames: string[];
  populationSize: number;
  medians: number[];
  /** Per feature, ascending: every value when the population has at most gridSize rows, else evenly spaced quantiles. */
  grids: number[][];
}

/** Default grid size: percentiles are then within about 0.1 points of the exact ones. */
export const DEFAULT_PROFILE_GRID_SIZE = 1001;

/** Per-feature distribution of a population of subject-windows. */
export class PopulationProfile {
  readonly featureNames: readonly string[];
  readonly populationSize: number;
  private readonly medians: readonly number[];
  private readonly grids: readonly Float64Array[];

  private constructor(featureNames: readonly string[], populationSize: number, medians: readonly number[], grids: readonly Float64Array[]) {
    this.featureNames = featureNames;
    this.populationSize = populationSize;
    this.medians = medians;
    this.grids = grids;
  }

  /** Summarises the columns of `rows`, named by `featureNames`. */
  static fromRows(rows: FeatureRows, featureNames: readonly string[], gridSize = DEFAULT_PROFILE_GRID_SIZE): PopulationProfile {
    const { values, rows: n, dims } = toRowMajor(rows);
    if (n === 0) throw new RangeError('a population profile needs at least one row');
    if (featureNames.length !== dims) throw new RangeError(`${featureNames.length} feature names for ${dims} columns`);
    if (!Number.isInteger(gridSize) || gridSize < 2) throw new RangeError(`gridSize must be an integer >= 2, got ${gridSize}`);
    const medians: number[] = [];
    const grids: Float64Array[] = [];
    const column = new Array<number>(n);
    for (let j = 0; j < dims; j++) {
      for (let r = 0; r < n; r++) column[r] = values[r * dims + j]!;
      column.sort((a, b) => a - b);
      medians.push(quantileSorted(column, 0.5));
      if (n <= gridSize) {
        grids.push(Float64Array.from(column));
      } else {
        const grid = new Float64Array(gridSize);
        for (let k = 0; k < gridSize; k++) grid[k] = quantileSorted(column, k / (gridSize - 1));
        grids.push(grid);
      }
    }
    return new PopulationProfile([...featureNames], n, medians, grids);
  }

  /** Median of feature `j` in the population. */
  median(j: number): number {
    return this.medians[this.requireFeature(j)]!;
  }

  /**
   * Percentile (0-100) of `value` among the population's values of feature `j`, counting ties
   * half: a value above all is 100, below all 0, and the median's value about 50.
   */
  percentile(j: number, value: number): number {
    const grid = this.grids[this.requireFeature(j)]!;
    const below = lowerBound(grid, value);
    const notAbove = upperBound(grid, value);
    return (50 * (below + notAbove)) / grid.length;
  }

  /**
   * Percentile (0-100) of a positive `value` among the population's positive values of feature
   * `j`, ties counted half: for a feature whose 0 means "not observed", so that the rows where
   * it cannot be seen do not lift every observed value. 100 when no value is positive.
   */
  percentileAmongObserved(j: number, value: number): number {
    const grid = this.grids[this.requireFeature(j)]!;
    const unobserved = upperBound(grid, 0);
    if (unobserved === grid.length) return 100;
    const below = Math.max(0, lowerBound(grid, value) - unobserved);
    const notAbove = Math.max(0, upperBound(grid, value) - unobserved);
    return (50 * (below + notAbove)) / (grid.length - unobserved);
  }

  toJSON(): PopulationProfileJSON {
    return {
      format: POPULATION_PROFILE_FORMAT,
      version: POPULATION_PROFILE_FORMAT_VERSION,
      featureNames: [...this.featureNames],
      populationSize: this.populationSize,
      medians: [...this.medians],
      grids: this.grids.map((grid) => Array.from(grid)),
    };
  }

  /** Loads a profile written by `toJSON`; throws a RangeError on anything else. */
  static fromJSON(json: unknown): PopulationProfile {
    const doc = (typeof json === 'object' && json !== null ? json : {}) as Partial<PopulationProfileJSON>;
    if (doc.format !== POPULATION_PROFILE_FORMAT || doc.version !== POPULATION_PROFILE_FORMAT_VERSION) {
      throw new RangeError(`not a ${POPULATION_PROFILE_FORMAT} version ${POPULATION_PROFILE_FORMAT_VERSION} document`);
    }
    const { featureNames, medians, grids, populationSize } = doc;
    const dims = Array.isArray(featureNames) ? featureNames.length : -1;
    if (
      dims < 1 ||
      !Array.isArray(medians) ||
      medians.length !== dims ||
      !Array.isArray(grids) ||
      grids.length !== dims ||
      !grids.every((grid) => Array.isArray(grid) && grid.length > 0) ||
      !Number.isInteger(populationSize)
    ) {
      throw new RangeError('population profile has inconsistent feature names, medians or grids');
    }
    return new PopulationProfile([...featureNames!], populationSize!, [...medians], grids.map((grid) => Float64Array.from(grid)));
  }

  private requireFeature(j: number): number {
    if (!Number.isInteger(j) || j < 0 || j >= this.featureNames.length) {
      throw new RangeError(`feature index ${j} is outside 0..${this.featureNames.length - 1}`);
    }
    return j;
  }
}

/**
 * The `count` features with the largest contribution (ties: column order), most important first.
 * `contributions` are the forest's `explain` shares for the row; `values` are the row's feature
 * values in the units the profile was built from.
 */
export function topReasons(
  contributions: ArrayLike<number>,
  values: ArrayLike<number>,
  profile: PopulationProfile,
  count = 3,
): Reason[] {
  const dims = profile.featureNames.length;
  if (contributions.length !== dims || values.length !== dims) {
    throw new RangeError(`reasons need ${dims} contributions and values, got ${contributions.length} and ${values.length}`);
  }
  const order = Array.from({ length: dims }, (_, j) => j).sort((a, b) => contributions[b]! - contributions[a]! || a - b);
  return order.slice(0, count).map((j) => ({
    feature: profile.featureNames[j]!,
    value: values[j]!,
    baseline: profile.median(j),
    percentile: profile.percentile(j, values[j]!),
    contribution: contributions[j]!,
  }));
}

/** Number of grid values strictly below `value`. */
function lowerBound(grid: Float64Array, value: number): number {
  let lo = 0;
  let hi = grid.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (grid[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of grid values at or below `value`. */
function upperBound(grid: Float64Array, value: number): number {
  let lo = 0;
  let hi = grid.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (grid[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
