/**
 * Linear-counting distinct counter (Whang, Vander-Zanden & Taylor, "A linear-time
 * probabilistic counting algorithm for database applications", 1990): a bitmap of m bits,
 * one bit set per key; n ≈ -m ln(empty / m).
 *
 * Good at: small distinct counts that must be nearly exact (an account's API keys, network
 * prefixes, user agents, cards: usually 1-3, a rotating swarm a few hundred) in 16 bytes.
 * Bad at: large sets: it saturates near m ln m (≈ 620 for 128 bits) and then reports that
 * bound. Two keys sharing a bit (probability 1/m per pair) count once.
 *
 * Like the other sketches it is a layout over a caller's Uint32Array (`words` words from
 * offset `at`). Deterministic; never allocates.
 *
 *   const keys = new LinearCounter(128);
 *   const state = new Uint32Array(keys.words);
 *   keys.add(state, 0, hashString32('key-1'));
 *   keys.add(state, 0, hashString32('key-2'));
 *   Math.round(keys.estimate(state, 0)); // 2
 */
import { mix32 } from './hashing.ts';

const SEED = 0x6a09e667;

export class LinearCounter {
  /** Bits in the bitmap, a multiple of 32. */
  readonly bits: number;
  /** Uint32 words of state the sketch occupies. */
  readonly words: number;

  constructor(bits = 128) {
    if (!Number.isInteger(bits) || bits < 32 || bits % 32 !== 0) {
      throw new RangeError(`LinearCounter bits must be a positive multiple of 32, got ${bits}`);
    }
    this.bits = bits;
    this.words = bits / 32;
  }

  /** Counts `key` (any 32-bit integer) as seen. */
  add(state: Uint32Array, at: number, key: number): void {
    const bit = mix32((key ^ SEED) >>> 0) % this.bits;
    state[at + (bit >>> 5)] = (state[at + (bit >>> 5)]! | (1 << (bit & 31))) >>> 0;
  }

  /** Estimated number of distinct keys; at most bits·ln(bits) once every bit is set. */
  estimate(state: Uint32Array, at: number): number {
    let set = 0;
    for (let i = 0; i < this.words; i++) set += popcount32(state[at + i]!);
    const empty = this.bits - set;
    if (empty === 0) return this.bits * Math.log(this.bits);
    return this.bits * Math.log(this.bits / empty);
  }
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
