/**
 * Bottom-k sketch (Cohen & Kaplan, "Summarizing data using bottom-k sketches", PODC 2007):
 * the k smallest distinct 64-bit hash values seen. Two accounts' sketches estimate the
 * Jaccard similarity of their key sets, which is how the campaign linker spots accounts that
 * run one prompt scaffold. The values must already be uniformly distributed 64-bit hashes.
 *
 * Good at: a fixed-size, order-independent, mergeable sample of a set: the sketch of a stream
 * depends only on the set of values, never on their order or repetitions. Bad at: sets much
 * smaller than k carry little evidence; it cannot delete.
 *
 * A layout over a caller's Uint32Array (`words` = 1 + 2k words from `at`): word 0 holds the
 * size, then (hi, lo) pairs in ascending order. Deterministic; never allocates in `add`.
 *
 *   const sketch = new BottomK(4);
 *   const state = new Uint32Array(sketch.words);
 *   for (const v of [9, 3, 7, 3, 1, 8]) sketch.add(state, 0, 0, v);
 *   sketch.hex(state, 0); // ['0000000000000001', '0000000000000003', '0000000000000007', '0000000000000008']
 */

export class BottomK {
  /** Most values kept. */
  readonly k: number;
  /** Uint32 words of state the sketch occupies. */
  readonly words: number;

  constructor(k = 16) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`BottomK k must be a positive integer, got ${k}`);
    this.k = k;
    this.words = 1 + 2 * k;
  }

  /** Number of values currently held (≤ k). */
  size(state: Uint32Array, at: number): number {
    return state[at]!;
  }

  /** Offers the 64-bit value (hi, lo); kept when it is among the k smallest distinct values. */
  add(state: Uint32Array, at: number, hi: number, lo: number): void {
    hi >>>= 0;
    lo >>>= 0;
    const size = state[at]!;
    if (size === this.k) {
      const lastHi = state[at + 2 * size - 1]!;
      const lastLo = state[at + 2 * size]!;
      if (hi > lastHi || (hi === lastHi && lo >= lastLo)) return;
    }
    // Find the insertion point from the top (new values are usually large).
    let i = size;
    while (i > 0) {
      const pHi = state[at + 2 * i - 1]!;
      const pLo = state[at + 2 * i]!;
      if (pHi < hi || (pHi === hi && pLo < lo)) break;
      if (pHi === hi && pLo === lo) return;
      i--;
    }
    const end = size === this.k ? size - 1 : size;
    for (let j = end; j > i; j--) {
      state[at + 2 * j + 1] = state[at + 2 * j - 1]!;
      state[at + 2 * j + 2] = state[at + 2 * j]!;
    }
    state[at + 2 * i + 1] = hi;
    state[at + 2 * i + 2] = lo;
    if (size < this.k) state[at] = size + 1;
  }

  /** Folds `from` into `into`: the bottom-k of the union of both sets. */
  merge(into: Uint32Array, intoAt: number, from: Uint32Array, fromAt: number): void {
    const n = from[fromAt]!;
    for (let i = 0; i < n; i++) this.add(into, intoAt, from[fromAt + 2 * i + 1]!, from[fromAt + 2 * i + 2]!);
  }

  /** The held values as 16 lower-case hex digits each, ascending. */
  hex(state: Uint32Array, at: number): string[] {
    const out: string[] = [];
    const n = state[at]!;
    for (let i = 0; i < n; i++) {
      out.push(state[at + 2 * i + 1]!.toString(16).padStart(8, '0') + state[at + 2 * i + 2]!.toString(16).padStart(8, '0'));
    }
    return out;
  }
}
