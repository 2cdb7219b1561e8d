// Forest figures of `pnpm bench`: the project's isolation forest against the two references
// the design names, ml-isolation-forest (JavaScript) and scikit-learn (Python, run by run.ts
// from the files written here), on the same seeded data. Measures only: never changes a model.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { IsolationForest, SeededRandom, type RowMajorMatrix } from '../services/core/src/index.ts';

/** The bench's forest data: inliers are standard normal; outliers have one coordinate at 3-4.5 σ. */
export interface ForestData {
  matrix: RowMajorMatrix;
  isOutlier: Uint8Array;
}

/** `rows` x `dims` rows, an `outlierShare` of them outliers, from `seed`. */
export function forestData(rows: number, dims: number, outlierShare: number, seed: number): ForestData {
  const random = new SeededRandom(seed);
  const values = new Float64Array(rows * dims);
  const isOutlier = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dims; j++) values[r * dims + j] = random.nextGaussian();
    if (random.nextFloat() < outlierShare) {
      isOutlier[r] = 1;
      values[r * dims + random.nextInt(dims)] = (random.nextFloat() < 0.5 ? -1 : 1) * (3 + 1.5 * random.nextFloat());
    }
  }
  return { matrix: { values, rows, dims }, isOutlier };
}

/** Writes the rows (float64, little-endian, row-major) and labels (uint8) for scikit-learn. */
export function writeForestData(data: ForestData, rowsPath: string, labelsPath: string): void {
  const { values } = data.matrix;
  const bytes = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) bytes.writeDoubleLE(values[i]!, i * 8);
  writeFileSync(rowsPath, bytes);
  writeFileSync(labelsPath, data.isOutlier);
}

export interface ForestFigures {
  rows: number;
  dims: number;
  trainMs: number;
  scorePerS: number;
  auc: number;
}

/** Ours, as the scorer runs it: 100 trees of 256 rows; best of `repeats` for each timing. */
export function measureOurs(data: ForestData, repeats: number): ForestFigures {
  let trainMs = Infinity;
  let scoreS = Infinity;
  let scores: ArrayLike<number> = [];
  for (let r = 0; r < repeats; r++) {
    let start = performance.now();
    const forest = new IsolationForest({ trees: 100, sampleSize: 256, seed: 1 }).fit(data.matrix);
    trainMs = Math.min(trainMs, performance.now() - start);
    start = performance.now();
    scores = forest.scoreMany(data.matrix);
    scoreS = Math.min(scoreS, (performance.now() - start) / 1000);
  }
  const { rows, dims } = data.matrix;
  return { rows, dims, trainMs, scorePerS: rows / scoreS, auc: auc(scores, data.isOutlier) };
}

interface MljsForest {
  train(rows: number[][]): void;
  predict(rows: number[][]): number[];
}

/**
 * ml-isolation-forest 0.1.0 on the first `rows` rows: it grows every tree on all rows (no
 * subsampling) and recurses per node, so it is given fewer rows than ours; 100 trees.
 */
export function measureMljs(data: ForestData, rows: number): ForestFigures {
  // A devDependency of @distillwatch/core (its reference test uses it): resolved from there.
  const requireFromCore = createRequire(new URL('../services/core/package.json', import.meta.url));
  const { IsolationForest: Mljs } = requireFromCore('ml-isolation-forest') as { IsolationForest: new (o: { nEstimators: number }) => MljsForest };
  const { values, dims } = data.matrix;
  const table: number[][] = [];
  for (let r = 0; r < rows; r++) table.push(Array.from(values.subarray(r * dims, (r + 1) * dims)));
  const forest = new Mljs({ nEstimators: 100 });
  let start = performance.now();
  forest.train(table);
  const trainMs = performance.now() - start;
  start = performance.now();
  const scores = forest.predict(table);
  const scoreS = (performance.now() - start) / 1000;
  return { rows, dims, trainMs, scorePerS: rows / scoreS, auc: auc(scores, data.isOutlier.subarray(0, rows)) };
}

/** Area under the ROC curve (Mann-Whitney, ties counted half); higher score = more anomalous. */
export function auc(scores: ArrayLike<number>, isOutlier: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) j++;
    const averageRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (isOutlier[order[k]!] === 1) {
        rankSum += averageRank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
