import { describe, expect, it } from 'vitest';
import {
  IsolationForest,
  ModelFormatError,
  averagePathLength,
  type RowMajorMatrix,
} from '../src/forest/isolationForest.ts';
import { SeededRandom } from '../src/random.ts';

/** `rows` standard-normal rows of `dims` features, as a row-major matrix. */
function gaussianMatrix(rows: number, dims: number, seed: number): RowMajorMatrix {
  const random = new SeededRandom(seed);
  const values = new Float64Array(rows * dims);
  for (let i = 0; i < values.length; i++) values[i] = random.nextGaussian();
  return { values, rows, dims };
}

const population = gaussianMatrix(3000, 6, 1);
const forest = new IsolationForest({ trees: 100, seed: 42 }).fit(population, {
  featureNames: ['requests', 'tokens', 'spend', 'topics', 'entropy', 'regularity'],
});

describe('averagePathLength c(n)', () => {
  it('is 0 for one row, 1 for two, and 2H(n-1) - 2(n-1)/n beyond', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(3)).toBeCloseTo(2 * 1.5 - 4 / 3, 12);
    expect(averagePathLength(256)).toBeCloseTo(10.2487, 4);
  });

  it('joins the exact and asymptotic harmonic numbers smoothly', () => {
    const steps = [62, 63, 64, 65, 66].map((n) => averagePathLength(n + 1) - averagePathLength(n));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeLessThan(steps[i - 1]!);
  });
});

describe('IsolationForest', () => {
  it('scores a point far from the population higher than one in its middle', () => {
    const middle = [0, 0, 0, 0, 0, 0];
    const far = [0, 0, 6, 0, 0, 0];
    expect(forest.score(middle)).toBeLessThan(0.45);
    expect(forest.score(far)).toBeGreaterThan(forest.score(middle) + 0.05);
  });

  it('keeps every score in (0, 1]', () => {
    const scores = forest.scoreMany(population);
    expect(Math.min(...scores)).toBeGreaterThan(0);
    expect(Math.max(...scores)).toBeLessThanOrEqual(1);
  });

  it('scores 0.5 everywhere when the population has no spread to split on', () => {
    const flat = new IsolationForest({ trees: 10, seed: 1 }).fit(Array.from({ length: 50 }, () => [3, 3]));
    expect(flat.score([3, 3])).toBeCloseTo(0.5, 12);
    expect(flat.score([100, -100])).toBeCloseTo(0.5, 12);
  });

  it('scores a batch exactly as it scores each row alone', () => {
    const batch = forest.scoreMany(population);
    for (let r = 0; r < 200; r++) {
      const row = population.values.subarray(r * 6, r * 6 + 6);
      expect(batch[r]).toBe(forest.score(row));
    }
  });

  it('scores a batch as each row alone for odd batch sizes, NaN values, deep and one-leaf trees', () => {
    const deep = new IsolationForest({ trees: 7, sampleSize: 600, maxHeight: 40, seed: 3 }).fit(gaussianMatrix(600, 3, 5));
    const flat = new IsolationForest({ trees: 3, seed: 1 }).fit(Array.from({ length: 9 }, () => [1, 1, 1]));
    for (const model of [deep, flat]) {
      for (const rows of [1, 3, 5, 258, 263]) {
        const batch = gaussianMatrix(rows, 3, rows);
        batch.values[1] = Number.NaN;
        const scores = model.scoreMany(batch);
        expect(scores).toHaveLength(rows);
        for (let r = 0; r < rows; r++) expect(scores[r]).toBe(model.score(batch.values.subarray(r * 3, r * 3 + 3)));
      }
    }
    expect(IsolationForest.fromJSON(deep.toJSON()).scoreMany(gaussianMatrix(9, 3, 8))).toEqual(deep.scoreMany(gaussianMatrix(9, 3, 8)));
  });

  it('grows the same trees from a row-major matrix and from an array of rows', () => {
    const rows = Array.from({ length: population.rows }, (_, r) => population.values.slice(r * 6, r * 6 + 6));
    const fromRows = new IsolationForest({ trees: 100, seed: 42 }).fit(rows, { featureNames: forest.featureNames });
    expect(JSON.stringify(fromRows)).toBe(JSON.stringify(forest));
  });

  it('gives identical scores and an identical model for the same seed and data', () => {
    const again = new IsolationForest({ trees: 100, seed: 42 }).fit(population, { featureNames: forest.featureNames });
    expect(again.scoreMany(population)).toEqual(forest.scoreMany(population));
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(forest.toJSON()));
  });

  it('grows different trees for a different seed', () => {
    const other = new IsolationForest({ trees: 100, seed: 43 }).fit(population, { featureNames: forest.featureNames });
    expect(other.toJSON().feature).not.toBe(forest.toJSON().feature);
  });

  it('scores and explains identically after a JSON round trip', () => {
    const loaded = IsolationForest.fromJSON(JSON.parse(JSON.stringify(forest)));
    expect(loaded.scoreMany(population)).toEqual(forest.scoreMany(population));
    expect(loaded.explain([0, 0, 6, 0, 0, 0])).toEqual(forest.explain([0, 0, 6, 0, 0, 0]));
    expect(loaded.featureNames).toEqual(forest.featureNames);
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(forest));
  });

  it('subsamples 256 rows per tree and stops at depth ⌈log2 256⌉ = 8 by default', () => {
    const model = forest.toJSON();
    expect(model.subsampleSize).toBe(256);
    expect(model.heightLimit).toBe(8);
    expect(model.params).toEqual({ trees: 100, sampleSize: 256, maxHeight: null, seed: 42 });
  });

  it('caps the subsample at the number of rows and honours a height override', () => {
    const small = new IsolationForest({ trees: 5, sampleSize: 256, maxHeight: 1, seed: 1 }).fit(gaussianMatrix(40, 3, 2));
    const model = small.toJSON();
    expect(model.subsampleSize).toBe(40);
    expect(model.heightLimit).toBe(1);
    expect(model.nodeCount).toBe(5 * 3); // a root split and two leaves per tree
  });

  it('explains a row as feature shares that sum to 1, the extreme feature first', () => {
    const shares = forest.explain([0, 0, 6, 0, 0, 0]);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const ranked = Array.from(shares.keys()).sort((a, b) => shares[b]! - shares[a]!);
    expect(forest.featureNames[ranked[0]!]).toBe('spend');
    expect(shares[2]!).toBeGreaterThan(0.3);
  });

  it('credits the two unusual features of a row that is unusual in two', () => {
    const shares = forest.explain([0, -4, 0, 0, 4, 0]);
    const ranked = Array.from(shares.keys()).sort((a, b) => shares[b]! - shares[a]!);
    expect(ranked.slice(0, 2).sort()).toEqual([1, 4]);
  });

  it('serialises as the documented, versioned format', () => {
    const model = forest.toJSON();
    expect(model.format).toBe('distillwatch.isolation-forest');
    expect(model.version).toBe(1);
    expect(Buffer.from(model.threshold, 'base64').length).toBe(model.nodeCount * 8);
    expect(Buffer.from(model.roots, 'base64').length).toBe(100 * 4);
  });

  it('refuses a model of another format or version with a ModelFormatError', () => {
    const model = forest.toJSON();
    expect(() => IsolationForest.fromJSON({ ...model, format: 'other' })).toThrow(ModelFormatError);
    expect(() => IsolationForest.fromJSON({ ...model, version: 2 })).toThrow(/version 2 is not supported/);
    expect(() => IsolationForest.fromJSON('model')).toThrow(ModelFormatError);
  });

  it('refuses a corrupted model with a ModelFormatError', () => {
    const model = forest.toJSON();
    expect(() => IsolationForest.fromJSON({ ...model, threshold: model.threshold.slice(8) })).toThrow(ModelFormatError);
    expect(() => IsolationForest.fromJSON({ ...model, featureNames: ['only-one'] })).toThrow(ModelFormatError);
    expect(() => IsolationForest.fromJSON({ ...model, params: { ...model.params, trees: 0 } })).toThrow(ModelFormatError);
  });

  it('rejects training data it cannot learn from', () => {
    expect(() => new IsolationForest().fit([[1, 2]])).toThrow(/at least 2 training rows/);
    expect(() => new IsolationForest().fit([[1, 2], [3, Number.NaN]])).toThrow(/row 1, column 1 is not finite/);
    expect(() => new IsolationForest().fit([[1, 2], [3]])).toThrow(/row 1 has 1 features/);
    expect(() => new IsolationForest().fit([[1], [2]], { featureNames: ['a', 'b'] })).toThrow(RangeError);
  });

  it('rejects rows of the wrong width and use before fitting', () => {
    expect(() => forest.score([1, 2, 3])).toThrow(/row has 3 features, the model 6/);
    expect(() => new IsolationForest().score([1])).toThrow(/not fitted/);
  });

  it('rejects parameters outside their ranges', () => {
    expect(() => new IsolationForest({ trees: 0 })).toThrow(RangeError);
    expect(() => new IsolationForest({ sampleSize: 1 })).toThrow(RangeError);
    expect(() => new IsolationForest({ maxHeight: 0 })).toThrow(RangeError);
    expect(() => new IsolationForest({ seed: -1 })).toThrow(RangeError);
  });
});
