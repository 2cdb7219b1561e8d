/**
 * Chooses which subject-windows the forest is trained on. The choice depends only on each
 * window's identity (subject key, window end) and a seed, never on the order in which windows
 * arrived, so the aggregator's live stream, a replay and `detect` over a file train on the same
 * rows. It must never use arrival order, partitions or wall-clock time.
 */

/** A candidate training row: one subject's features over one closed window. */
export interface TrainingCandidate {
  /** The subject, e.g. '<lab>/<account_id>'. */
  subjectKey: string;
  /** Epoch ms, exclusive end of the window. */
  windowEnd: number;
}

export interface TrainingSelection {
  /** Share of candidates kept before the cap, in (0, 1]. */
  rate: number;
  /** Most rows kept; the kept ones are those with the smallest hashes (a bottom-k sample). */
  maxRows: number;
  /** Seed of the hash; another seed gives another, independent sample. */
  seed: number;
}

/**
 * The selected candidates, ordered by window end, then subject key. A candidate is kept when
 * its hash, read as a number in [0, 1), is below `rate`, and among those the `maxRows` with the
 * smallest hashes. Each (subject, window) may appear once.
 */
export function selectTrainingRows<T extends TrainingCandidate>(candidates: readonly T[], selection: TrainingSelection): T[] {
  const { rate, maxRows, seed } = selection;
  if (!(rate > 0 && rate <= 1)) throw new RangeError(`rate must be in (0, 1], got ${rate}`);
  if (!Number.isInteger(maxRows) || maxRows < 0) throw new RangeError(`maxRows must be a non-negative integer, got ${maxRows}`);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new RangeError(`seed must be a 32-bit unsigned integer, got ${seed}`);

  const seen = new Set<string>();
  const kept: { candidate: T; hash: number }[] = [];
  for (const candidate of candidates) {
    const identity = `${candidate.windowEnd}\u0000${candidate.subjectKey}`;
    if (seen.has(identity)) {
      throw new RangeError(`window ending ${candidate.windowEnd} of ${candidate.subjectKey} is a training candidate twice`);
    }
    seen.add(identity);
    const hash = trainingHash(candidate.subjectKey, candidate.windowEnd, seed);
    if (hash < rate) kept.push({ candidate, hash });
  }
  kept.sort((a, b) => a.hash - b.hash || compareCandidates(a.candidate, b.candidate));
  return kept
    .slice(0, maxRows)
    .map((entry) => entry.candidate)
    .sort(compareCandidates);
}

const UTF8 = new TextEncoder();

/** Hash of (subject key, window end, seed) as a number in [0, 1): 53 bits from two 32-bit FNV-1a lanes. */
export function trainingHash(subjectKey: string, windowEnd: number, seed: number): number {
  const text = `${subjectKey}\u0000${windowEnd}`;
  // Two lanes with different starting states give 64 bits; each lane is finished with the
  // murmur3 mixer so that nearby keys and seeds land far apart.
  let a = (0x811c9dc5 ^ seed) >>> 0;
  let b = (0x050c5d1f ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  for (const byte of UTF8.encode(text)) {
    a = Math.imul(a ^ byte, 0x01000193);
    b = Math.imul(b ^ byte, 0x01000193);
  }
  const high = fmix32(a) >>> 5; // 27 bits
  const low = fmix32(b ^ a) >>> 6; // 26 bits
  return (high * 67108864 + low) / 9007199254740992;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function compareCandidates(a: TrainingCandidate, b: TrainingCandidate): number {
  if (a.windowEnd !== b.windowEnd) return a.windowEnd - b.windowEnd;
  return a.subjectKey < b.subjectKey ? -1 : a.subjectKey > b.subjectKey ? 1 : 0;
}
