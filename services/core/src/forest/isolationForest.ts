/**
 * The project's isolation forest: the anomaly scorer of account and campaign windows. It is
 * seeded and serialisable so that a replay scores exactly as the live scorer did, and it keeps
 * its trees in flat typed arrays so that scoring stays cheap on the hot path. It must never
 * draw from Math.random, keep training rows after `fit`, or change its scores when serialised
 * and loaded again.
 */
import { Buffer } from 'node:buffer';
import { SeededRandom, identityPermutation } from '../random.ts';

/** Rows of features, either a row-major matrix or one array per row; every row has `dims` values. */
export type FeatureRows = RowMajorMatrix | readonly ArrayLike<number>[];

/** `values[r * dims + j]` is feature j of row r. */
export interface RowMajorMatrix {
  readonly values: Float64Array;
  readonly rows: number;
  readonly dims: number;
}

export interface IsolationForestParams {
  /** Number of isolation trees. Default 100 (the paper's t = 100). */
  trees?: number;
  /** Rows drawn without replacement for each tree (ψ). Default 256; capped at the row count. */
  sampleSize?: number;
  /** Depth at which a tree stops splitting. Default ⌈log2 ψ⌉, the paper's height limit. */
  maxHeight?: number;
  /** Seed of the PRNG that draws subsamples, features and split points. Default 0. */
  seed?: number;
}

export interface FitOptions {
  /** Name of each column, used in explanations and kept in the model. Default `f0`, `f1`, ... */
  featureNames?: readonly string[];
}

/** Thrown by `IsolationForest.fromJSON` when the document is not a model this code can load. */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
  /** Loading the same document again cannot succeed. */
  readonly retriable = false;
}

export const ISOLATION_FOREST_FORMAT = 'distillwatch.isolation-forest';
export const ISOLATION_FOREST_FORMAT_VERSION = 1;

/**
 * Serialised model, version 1. Typed arrays are base64 of their little-endian bytes. Node `i`
 * is a leaf when `feature[i] === -1`; otherwise rows with `value < threshold[i]` go to node
 * `child[i]` and the others to `child[i] + 1`. `size[i]` is how many subsample rows reached node
 * `i` in training. Tree `t` is rooted at node `roots[t]`.
 */
export interface IsolationForestJSON {
  format: typeof ISOLATION_FOREST_FORMAT;
  version: typeof ISOLATION_FOREST_FORMAT_VERSION;
  params: { trees: number; sampleSize: number; maxHeight: number | null; seed: number };
  featureNames: string[];
  /** Rows per tree actually used (ψ, after capping at the training row count). */
  subsampleSize: number;
  /** Height limit actually used. */
  heightLimit: number;
  nodeCount: number;
  roots: string;
  feature: string;
  threshold: string;
  child: string;
  size: string;
}

const SCORE_BLOCK_ROWS = 256;
const EULER_MASCHERONI = 0.5772156649015329;

function harmonic(i: number): number {
  if (i < 64) {
    let sum = 0;
    for (let k = 1; k <= i; k++) sum += 1 / k;
    return sum;
  }
  // Asymptotic expansion; its error at i >= 64 is below 1e-12.
  return Math.log(i) + EULER_MASCHERONI + 1 / (2 * i) - 1 / (12 * i * i);
}

/**
 * c(n): the average path length of an unsuccessful search in a binary search tree of n
 * items, 2H(n-1) - 2(n-1)/n, which the paper uses both to normalise scores and to account for
 * the unbuilt subtree below a leaf that still holds n rows.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  return 2 * harmonic(n - 1) - (2 * (n - 1)) / n;
}

/**
 * Isolation forest (Liu, Ting & Zhou, "Isolation Forest", ICDM 2008).
 *
 * Each tree is grown on a random subsample of ψ rows by splitting on a random feature at a
 * uniformly random point between that feature's minimum and maximum in the node, until a row
 * is alone, all rows are identical, or the height limit ⌈log2 ψ⌉ is reached. Anomalies are few
 * and different, so they are isolated in fewer splits: the score of x is
 * s(x) = 2^(-E[h(x)] / c(ψ)), where h(x) is the path length of x in a tree (plus c(size) at
 * a leaf that still held `size` rows) and c(ψ) the average path length of ψ rows. Scores lie in
 * (0, 1]: near 1 is clearly anomalous, at or below 0.5 is not distinct from the population.
 *
 * Good at: many features with different scales (splits are per feature, so no normalisation
 * is needed), large populations (training cost is trees × ψ log ψ, independent of the number
 * of rows), fast scoring (at most trees × height comparisons per row).
 * Bad at: anomalies that are only unusual in a combination of features that are each ordinary
 * (axis-parallel splits do not see them), features that are heavy-tailed for everyone (log-scale
 * them first, or the tail of normal accounts is what gets isolated), and dense clusters of
 * identical anomalies larger than ψ can separate (masking; subsampling is the remedy).
 *
 * Features with no spread inside a node are never chosen for its split (as in scikit-learn);
 * the paper draws a split feature uniformly among all features, which can waste splits.
 * Values that are NaN at scoring time compare false and follow the right branch.
 *
 * Example (numbers from this implementation; two bell-shaped features):
 *
 *     const rows = [];
 *     for (let i = 0; i < 1000; i++) rows.push([(i * 37) % 101 + (i * 53) % 97, (i * 29) % 89 + (i * 71) % 83]);
 *     const forest = new IsolationForest({ trees: 100, seed: 7 }).fit(rows, { featureNames: ['requests', 'topics'] });
 *     forest.score([98, 85]);    // 0.420 — the middle of the population
 *     forest.score([98, 400]);   // 0.612 — far out on `topics`
 *     forest.explain([98, 400]); // Float64Array [0.245, 0.755] — `topics` did most of the isolating
 */
export class IsolationForest {
  readonly trees: number;
  readonly sampleSize: number;
  readonly maxHeight: number | undefined;
  readonly seed: number;

  private names: string[] = [];
  private width = 0;
  private psi = 0;
  private height = 0;
  private cPsi = 1;
  private roots: Int32Array = new Int32Array(0);
  private feature: Int32Array = new Int32Array(0);
  private threshold: Float64Array = new Float64Array(0);
  private child: Int32Array = new Int32Array(0);
  private size: Int32Array = new Int32Array(0);
  /** Per leaf: depth + c(size), so scoring only sums. Derived, never serialised. */
  private leafPath: Float64Array = new Float64Array(0);
  /** `scoreMany`'s copy of the trees, in which a leaf steps to itself (see `WalkTables`). */
  private walk: WalkTables = EMPTY_WALK;

  constructor(params: IsolationForestParams = {}) {
    this.trees = params.trees ?? 100;
    this.sampleSize = params.sampleSize ?? 256;
    this.maxHeight = params.maxHeight;
    this.seed = params.seed ?? 0;
    requireInteger('trees', this.trees, 1);
    requireInteger('sampleSize', this.sampleSize, 2);
    if (this.maxHeight !== undefined) requireInteger('maxHeight', this.maxHeight, 1);
    requireInteger('seed', this.seed, 0);
    if (this.seed >= 4294967296) throw new RangeError(`seed must be below 2^32, got ${this.seed}`);
  }

  /** Names of the features, in column order (empty before `fit`). */
  get featureNames(): readonly string[] {
    return this.names;
  }

  /** Number of features each row must have (0 before `fit`). */
  get dims(): number {
    return this.width;
  }

  /** Grows the trees from `rows` (at least 2 rows of finite values). Replaces any previous fit. */
  fit(rows: FeatureRows, options: FitOptions = {}): this {
    const matrix = toRowMajor(rows);
    const { values, rows: n, dims } = matrix;
    if (n < 2) throw new RangeError(`isolation forest needs at least 2 training rows, got ${n}`);
    if (dims < 1) throw new RangeError('isolation forest needs at least one feature');
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) {
        throw new RangeError(`training value at row ${Math.floor(i / dims)}, column ${i % dims} is not finite`);
      }
    }
    const names = options.featureNames ? [...options.featureNames] : defaultNames(dims);
    if (names.length !== dims) throw new RangeError(`${names.length} feature names for ${dims} columns`);

    const psi = Math.min(this.sampleSize, n);
    const height = this.maxHeight ?? Math.ceil(Math.log2(psi));
    const maxNodesPerTree = Math.min(2 * psi - 1, 2 ** (height + 1) - 1);
    const builder = new TreeBuilder(values, dims, this.trees * maxNodesPerTree, height, new SeededRandom(this.seed));
    const roots = new Int32Array(this.trees);
    const pool = identityPermutation(n);
    for (let t = 0; t < this.trees; t++) {
      // With ψ = n every tree sees all rows, in a shuffled order that does not affect the tree.
      const sample = builder.random.sampleInto(pool, psi);
      roots[t] = builder.grow(sample);
    }

    this.names = names;
    this.width = dims;
    this.psi = psi;
    this.height = height;
    this.cPsi = averagePathLength(psi);
    this.roots = roots;
    this.feature = builder.feature.slice(0, builder.count);
    this.threshold = builder.threshold.slice(0, builder.count);
    this.child = builder.child.slice(0, builder.count);
    this.size = builder.size.slice(0, builder.count);
    this.leafPath = computeLeafPaths(this.roots, this.feature, this.child, this.size);
    this.walk = walkTables(this.feature, this.threshold, this.child, this.leafPath);
    return this;
  }

  /** Anomaly score of one row, in (0, 1]. */
  score(row: ArrayLike<number>): number {
    this.requireRow(row);
    const { feature, threshold, child, leafPath, roots } = this;
    let total = 0;
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t]!;
      let f = feature[node]!;
      while (f >= 0) {
        node = child[node]! + 1 - +(row[f]! < threshold[node]!);
        f = feature[node]!;
      }
      total += leafPath[node]!;
    }
    return this.scoreFromTotalPath(total);
  }

  /** Scores of many rows, in row order. */
  scoreMany(rows: FeatureRows): Float64Array {
    this.requireFitted();
    const { values, rows: n, dims } = toRowMajor(rows);
    if (n > 0 && dims !== this.width) throw new RangeError(`rows have ${dims} features, the model ${this.width}`);
    const { roots } = this;
    const { feature, threshold, child, leafPath, depth } = this.walk;
    const trees = roots.length;
    const out = new Float64Array(n);
    // Blocks of rows walk one tree at a time, so the tree's nodes stay in the L1 cache. Four rows
    // walk in lockstep for the tree's full depth: a leaf steps to itself, so the loop has no
    // data-dependent branch and the four chains of dependent loads overlap in the CPU.
    for (let start = 0; start < n; start += SCORE_BLOCK_ROWS) {
      const end = Math.min(n, start + SCORE_BLOCK_ROWS);
      const quadEnd = start + ((end - start) & ~3);
      for (let t = 0; t < trees; t++) {
        const root = roots[t]!;
        let r = start;
        for (; r < quadEnd; r += 4) {
          const b0 = r * dims;
          const b1 = b0 + dims;
          const b2 = b1 + dims;
          const b3 = b2 + dims;
          let n0 = root;
          let n1 = root;
          let n2 = root;
          let n3 = root;
          for (let step = 0; step < depth; step++) {
            n0 = child[n0]! + 1 - +(values[b0 + feature[n0]!]! < threshold[n0]!);
            n1 = child[n1]! + 1 - +(values[b1 + feature[n1]!]! < threshold[n1]!);
            n2 = child[n2]! + 1 - +(values[b2 + feature[n2]!]! < threshold[n2]!);
            n3 = child[n3]! + 1 - +(values[b3 + feature[n3]!]! < threshold[n3]!);
          }
          out[r]! += leafPath[n0]!;
          out[r + 1]! += leafPath[n1]!;
          out[r + 2]! += leafPath[n2]!;
          out[r + 3]! += leafPath[n3]!;
        }
        for (; r < end; r++) {
          const base = r * dims;
          let node = root;
          for (let step = 0; step < depth; step++) node = child[node]! + 1 - +(values[base + feature[node]!]! < threshold[node]!);
          out[r]! += leafPath[node]!;
        }
      }
      for (let r = start; r < end; r++) out[r] = this.scoreFromTotalPath(out[r]!);
    }
    return out;
  }

  /**
   * Share of the isolation of `row` done by each feature, in column order; the shares sum to 1
   * (all zero only if no tree ever split). Method: at every split on the row's path, the row
   * moves from a node that `n_parent` training rows reached into a child that `n_child`
   * reached; the split's feature is credited ln(n_parent / n_child), the information that
   * split contributed to separating the row from the sample. A feature on which the row is
   * extreme is split far from the bulk and cuts the row's side down sharply, so it collects most
   * of the credit; features on which the row is ordinary collect the small, even credit that a
   * random cut gives. Credits are summed over all trees and normalised.
   */
  explain(row: ArrayLike<number>): Float64Array {
    this.requireRow(row);
    const { feature, threshold, child, size, roots } = this;
    const credit = new Float64Array(this.width);
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t]!;
      let f = feature[node]!;
      while (f >= 0) {
        const next = row[f]! < threshold[node]! ? child[node]! : child[node]! + 1;
        credit[f]! += Math.log(size[node]! / size[next]!);
        node = next;
        f = feature[node]!;
      }
    }
    let total = 0;
    for (let j = 0; j < credit.length; j++) total += credit[j]!;
    if (total > 0) for (let j = 0; j < credit.length; j++) credit[j]! /= total;
    return credit;
  }

  toJSON(): IsolationForestJSON {
    this.requireFitted();
    return {
      format: ISOLATION_FOREST_FORMAT,
      version: ISOLATION_FOREST_FORMAT_VERSION,
      params: { trees: this.trees, sampleSize: this.sampleSize, maxHeight: this.maxHeight ?? null, seed: this.seed },
      featureNames: [...this.names],
      subsampleSize: this.psi,
      heightLimit: this.height,
      nodeCount: this.feature.length,
      roots: encodeInt32(this.roots),
      feature: encodeInt32(this.feature),
      threshold: encodeFloat64(this.threshold),
      child: encodeInt32(this.child),
      size: encodeInt32(this.size),
    };
  }

  /** Loads a model written by `toJSON`; throws `ModelFormatError` on anything else. */
  static fromJSON(json: unknown): IsolationForest {
    const doc = modelHeader(json);
    const params = doc.params;
    if (typeof params !== 'object' || params === null) throw new ModelFormatError('model has no params');
    const featureNames = doc.featureNames;
    if (!Array.isArray(featureNames) || featureNames.length === 0 || !featureNames.every((n) => typeof n === 'string')) {
      throw new ModelFormatError('model featureNames must be a non-empty array of strings');
    }
    const forest = unfittedForest(params as Record<string, unknown>);
    const shape = modelShape(doc);
    const nodes = modelNodes(doc, forest.trees, shape.nodeCount, featureNames.length);
    forest.names = featureNames as string[];
    forest.width = featureNames.length;
    forest.psi = shape.psi;
    forest.height = shape.height;
    forest.cPsi = averagePathLength(shape.psi);
    forest.roots = nodes.roots;
    forest.feature = nodes.feature;
    forest.threshold = nodes.threshold;
    forest.child = nodes.child;
    forest.size = nodes.size;
    forest.leafPath = computeLeafPaths(nodes.roots, nodes.feature, nodes.child, nodes.size);
    forest.walk = walkTables(nodes.feature, nodes.threshold, nodes.child, forest.leafPath);
    return forest;
  }

  /** s = 2^(-E[h] / c(ψ)); `score` and `scoreMany` share it so they agree to the last bit. */
  private scoreFromTotalPath(total: number): number {
    return 2 ** (-(total / this.roots.length) / this.cPsi);
  }

  private requireFitted(): void {
    if (this.roots.length === 0) throw new Error('isolation forest is not fitted: call fit() or fromJSON() first');
  }

  private requireRow(row: ArrayLike<number>): void {
    this.requireFitted();
    if (row.length !== this.width) throw new RangeError(`row has ${row.length} features, the model ${this.width}`);
  }
}

/** The document as an object of this format and version, or a `ModelFormatError` saying why not. */
function modelHeader(json: unknown): Record<string, unknown> {
  if (typeof json !== 'object' || json === null) throw new ModelFormatError('model is not a JSON object');
  const doc = json as Record<string, unknown>;
  if (doc.format !== ISOLATION_FOREST_FORMAT) {
    throw new ModelFormatError(`model format is ${JSON.stringify(doc.format)}, expected "${ISOLATION_FOREST_FORMAT}"`);
  }
  if (doc.version !== ISOLATION_FOREST_FORMAT_VERSION) {
    throw new ModelFormatError(
      `model format version ${JSON.stringify(doc.version)} is not supported (this code reads version ${ISOLATION_FOREST_FORMAT_VERSION})`,
    );
  }
  return doc;
}

/** A forest built from a model's `params`, to be filled with its trees. */
function unfittedForest(p: Record<string, unknown>): IsolationForest {
  try {
    return new IsolationForest({
      trees: p.trees as number,
      sampleSize: p.sampleSize as number,
      maxHeight: p.maxHeight === null ? undefined : (p.maxHeight as number),
      seed: p.seed as number,
    });
  } catch (error) {
    throw new ModelFormatError(`model params are invalid: ${(error as Error).message}`);
  }
}

function modelShape(doc: Record<string, unknown>): { nodeCount: number; psi: number; height: number } {
  const { nodeCount, subsampleSize: psi, heightLimit: height } = doc;
  if (!Number.isInteger(nodeCount) || (nodeCount as number) < 1) throw new ModelFormatError('model nodeCount is invalid');
  if (!Number.isInteger(psi) || (psi as number) < 2) throw new ModelFormatError('model subsampleSize is invalid');
  if (!Number.isInteger(height) || (height as number) < 1) throw new ModelFormatError('model heightLimit is invalid');
  return { nodeCount: nodeCount as number, psi: psi as number, height: height as number };
}

/** The model's node arrays, checked so that every walk from a root ends on a leaf. */
function modelNodes(doc: Record<string, unknown>, trees: number, count: number, dims: number) {
  const roots = decodeInt32(doc.roots, trees, 'roots');
  const feature = decodeInt32(doc.feature, count, 'feature');
  const threshold = decodeFloat64(doc.threshold, count, 'threshold');
  const child = decodeInt32(doc.child, count, 'child');
  const size = decodeInt32(doc.size, count, 'size');
  for (let t = 0; t < roots.length; t++) {
    if (roots[t]! < 0 || roots[t]! >= count) throw new ModelFormatError(`root of tree ${t} is out of range`);
  }
  for (let i = 0; i < count; i++) {
    const f = feature[i]!;
    if (f === -1) continue;
    if (f < 0 || f >= dims) throw new ModelFormatError(`node ${i} splits on feature ${f} of ${dims}`);
    // Children always come after their parent, so every walk ends.
    if (child[i]! <= i || child[i]! + 1 >= count) throw new ModelFormatError(`node ${i} has children out of range`);
    if (!Number.isFinite(threshold[i]!)) throw new ModelFormatError(`node ${i} has a non-finite threshold`);
  }
  for (let i = 0; i < count; i++) {
    if (size[i]! < 1) throw new ModelFormatError(`node ${i} has size ${size[i]}`);
  }
  return { roots, feature, threshold, child, size };
}

/** Grows trees into shared flat arrays; children of a node occupy two consecutive slots. */
class TreeBuilder {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly child: Int32Array;
  readonly size: Int32Array;
  readonly random: SeededRandom;
  count = 0;
  private readonly values: Float64Array;
  private readonly dims: number;
  private readonly height: number;
  private readonly featureOrder: Int32Array;
  private rows: Int32Array = new Int32Array(0);

  constructor(values: Float64Array, dims: number, capacity: number, height: number, random: SeededRandom) {
    this.values = values;
    this.dims = dims;
    this.height = height;
    this.random = random;
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.child = new Int32Array(capacity);
    this.size = new Int32Array(capacity);
    this.featureOrder = identityPermutation(dims);
  }

  /** Grows one tree over the given row indices and returns its root. */
  grow(sample: Int32Array): number {
    this.rows = Int32Array.from(sample);
    const root = this.count++;
    this.split(root, 0, this.rows.length, 0);
    return root;
  }

  private split(node: number, lo: number, hi: number, depth: number): void {
    const { values, dims, rows, featureOrder, random } = this;
    this.size[node] = hi - lo;
    if (depth >= this.height || hi - lo <= 1) return this.leaf(node);

    // Try features in random order until one has spread in this node: a uniform choice among
    // the features that can split it.
    let f = -1;
    let min = 0;
    let max = 0;
    for (let k = 0; k < dims; k++) {
      const pick = k + random.nextInt(dims - k);
      const candidate = featureOrder[pick]!;
      featureOrder[pick] = featureOrder[k]!;
      featureOrder[k] = candidate;
      min = Infinity;
      max = -Infinity;
      for (let i = lo; i < hi; i++) {
        const v = values[rows[i]! * dims + candidate]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min) {
        f = candidate;
        break;
      }
    }
    if (f < 0) return this.leaf(node); // all rows identical: nothing can isolate them

    // A point in (min, max] keeps both sides non-empty: the minimum goes left, the maximum right.
    let cut = min + random.nextFloat() * (max - min);
    while (cut <= min) cut = min + random.nextFloat() * (max - min);

    let mid = lo;
    for (let i = lo; i < hi; i++) {
      const r = rows[i]!;
      if (values[r * dims + f]! < cut) {
        rows[i] = rows[mid]!;
        rows[mid] = r;
        mid++;
      }
    }
    const left = this.count;
    this.count += 2;
    this.feature[node] = f;
    this.threshold[node] = cut;
    this.child[node] = left;
    this.split(left, lo, mid, depth + 1);
    this.split(left + 1, mid, hi, depth + 1);
  }

  private leaf(node: number): void {
    this.feature[node] = -1;
    this.threshold[node] = 0;
    this.child[node] = -1;
  }
}

/**
 * The trees as `scoreMany` walks them: a leaf reads column 0, compares it with -Infinity (never
 * below) and steps to `child + 1`, itself; `depth` is the deepest leaf's depth, so that many
 * steps from a root always end on the row's leaf. Derived from the model, never serialised.
 */
interface WalkTables {
  feature: Int32Array;
  threshold: Float64Array;
  child: Int32Array;
  leafPath: Float64Array;
  depth: number;
}

const EMPTY_WALK: WalkTables = { feature: new Int32Array(0), threshold: new Float64Array(0), child: new Int32Array(0), leafPath: new Float64Array(0), depth: 0 };

function walkTables(feature: Int32Array, threshold: Float64Array, child: Int32Array, leafPath: Float64Array): WalkTables {
  const walk = { feature: feature.slice(), threshold: threshold.slice(), child: child.slice(), leafPath, depth: 0 };
  const depthOf = new Int32Array(feature.length);
  for (let i = 0; i < feature.length; i++) {
    if (feature[i] === -1) {
      walk.feature[i] = 0;
      walk.threshold[i] = Number.NEGATIVE_INFINITY;
      walk.child[i] = i - 1;
      walk.depth = Math.max(walk.depth, depthOf[i]!);
    } else {
      depthOf[child[i]!] = depthOf[i]! + 1;
      depthOf[child[i]! + 1] = depthOf[i]! + 1;
    }
  }
  return walk;
}

function computeLeafPaths(roots: Int32Array, feature: Int32Array, child: Int32Array, size: Int32Array): Float64Array {
  const depth = new Int32Array(feature.length);
  const leafPath = new Float64Array(feature.length);
  // Children always follow their parent, so one forward pass sees every parent's depth first.
  for (let t = 0; t < roots.length; t++) depth[roots[t]!] = 0;
  for (let i = 0; i < feature.length; i++) {
    if (feature[i] === -1) {
      leafPath[i] = depth[i]! + averagePathLength(size[i]!);
    } else {
      depth[child[i]!] = depth[i]! + 1;
      depth[child[i]! + 1] = depth[i]! + 1;
    }
  }
  return leafPath;
}

/** Copies rows into one row-major matrix (a matrix given as such is used as is). */
export function toRowMajor(rows: FeatureRows): RowMajorMatrix {
  if (!Array.isArray(rows)) {
    const matrix = rows as RowMajorMatrix;
    if (matrix.values.length !== matrix.rows * matrix.dims) {
      throw new RangeError(`matrix of ${matrix.rows} × ${matrix.dims} has ${matrix.values.length} values`);
    }
    return matrix;
  }
  const list = rows as readonly ArrayLike<number>[];
  const n = list.length;
  const dims = n > 0 ? list[0]!.length : 0;
  const values = new Float64Array(n * dims);
  for (let r = 0; r < n; r++) {
    const row = list[r]!;
    if (row.length !== dims) throw new RangeError(`row ${r} has ${row.length} features, row 0 has ${dims}`);
    for (let j = 0; j < dims; j++) values[r * dims + j] = row[j]!;
  }
  return { values, rows: n, dims };
}

function defaultNames(dims: number): string[] {
  return Array.from({ length: dims }, (_, j) => `f${j}`);
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}

// Serialised arrays are little-endian whatever the machine, so models move between hosts.
function encodeInt32(array: Int32Array): string {
  const view = new DataView(new ArrayBuffer(array.length * 4));
  for (let i = 0; i < array.length; i++) view.setInt32(i * 4, array[i]!, true);
  return Buffer.from(view.buffer).toString('base64');
}

function encodeFloat64(array: Float64Array): string {
  const view = new DataView(new ArrayBuffer(array.length * 8));
  for (let i = 0; i < array.length; i++) view.setFloat64(i * 8, array[i]!, true);
  return Buffer.from(view.buffer).toString('base64');
}

function decodeBytes(text: unknown, bytes: number, field: string): DataView {
  if (typeof text !== 'string') throw new ModelFormatError(`model field ${field} must be a base64 string`);
  const buffer = Buffer.from(text, 'base64');
  if (buffer.length !== bytes) throw new ModelFormatError(`model field ${field} has ${buffer.length} bytes, expected ${bytes}`);
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function decodeInt32(text: unknown, length: number, field: string): Int32Array {
  const view = decodeBytes(text, length * 4, field);
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

function decodeFloat64(text: unknown, length: number, field: string): Float64Array {
  const view = decodeBytes(text, length * 8, field);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}
