/**
 * Near-duplicate prompt clusters from 64-bit SimHashes, kept Space-Saving style (Metwally et
 * al. 2005) in a fixed number of slots. A prompt joins the first held cluster whose
 * representative SimHash is within `radius` bits (Hamming distance); otherwise it founds a
 * cluster, taking a free slot or the slot of the smallest cluster, whose count it inherits as
 * error. So the heavy clusters of an account-window (the templated traffic of a SaaS app, a
 * chatbot's repeated questions) are held with near-exact counts, while a long tail of
 * one-off prompts churns through the smallest slot.
 *
 * Good at: the shape of the head of the cluster distribution and a canonical key per prompt
 * (its cluster's representative) for a distinct counter, in 4 words per slot. Bad at: the
 * tail: two near-duplicates that arrive while their cluster is not held count as two
 * clusters. Radius 3 of 64 bits follows Manku, Jain & Das Sarma, "Detecting near-duplicates
 * for web crawling", WWW 2007.
 *
 * A layout over a caller's Uint32Array (`words` = 1 + 4·slots from `at`): word 0 holds the
 * number of slots in use, then per slot (hi, lo, count, error). Deterministic; never allocates.
 *
 *   const clusters = new SimHashClusters(8, 3);
 *   const state = new Uint32Array(clusters.words);
 *   clusters.add(state, 0, 0xdeadbeef, 0x00000000); // slot 0, founded
 *   clusters.add(state, 0, 0xdeadbeef, 0x00000007); // slot 0 again: 3 bits away
 *   clusters.count(state, 0, 0); // 2
 */
import { popcount32 } from './linearCounter.ts';

export class SimHashClusters {
  /** Clusters held at most. */
  readonly slots: number;
  /** Largest Hamming distance to a representative that still joins its cluster. */
  readonly radius: number;
  /** Uint32 words of state the sketch occupies. */
  readonly words: number;

  constructor(slots = 8, radius = 3) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`SimHashClusters slots must be a positive integer, got ${slots}`);
    if (!Number.isInteger(radius) || radius < 0 || radius > 64) throw new RangeError(`SimHashClusters radius must be in 0..64, got ${radius}`);
    this.slots = slots;
    this.radius = radius;
    this.words = 1 + 4 * slots;
  }

  /** Number of slots in use. */
  size(state: Uint32Array, at: number): number {
    return state[at]!;
  }

  /** Adds a prompt's SimHash; returns the slot of the cluster it now counts in. */
  add(state: Uint32Array, at: number, hi: number, lo: number): number {
    const used = state[at]!;
    let smallest = 0;
    for (let s = 0; s < used; s++) {
      const base = at + 1 + 4 * s;
      if (popcount32((state[base]! ^ hi) >>> 0) + popcount32((state[base + 1]! ^ lo) >>> 0) <= this.radius) {
        state[base + 2] = state[base + 2]! + 1;
        return s;
      }
      if (state[base + 2]! < state[at + 1 + 4 * smallest + 2]!) smallest = s;
    }
    const slot = used < this.slots ? used : smallest;
    const base = at + 1 + 4 * slot;
    const inherited = used < this.slots ? 0 : state[base + 2]!;
    state[base] = hi >>> 0;
    state[base + 1] = lo >>> 0;
    state[base + 2] = inherited + 1;
    state[base + 3] = inherited;
    if (used < this.slots) state[at] = used + 1;
    return slot;
  }

  /** Representative SimHash of a slot: high half. */
  representativeHi(state: Uint32Array, at: number, slot: number): number {
    return state[at + 1 + 4 * slot]!;
  }

  /** Representative SimHash of a slot: low half. */
  representativeLo(state: Uint32Array, at: number, slot: number): number {
    return state[at + 2 + 4 * slot]!;
  }

  /** Prompts counted in a slot (an upper bound on its cluster's size). */
  count(state: Uint32Array, at: number, slot: number): number {
    return state[at + 3 + 4 * slot]!;
  }

  /** Part of a slot's count inherited from evicted clusters. */
  error(state: Uint32Array, at: number, slot: number): number {
    return state[at + 4 + 4 * slot]!;
  }
}
