/**
 * Seeded pseudo-random numbers for everything in the core that must be random yet reproducible:
 * forest subsamples and splits, synthetic data. A replay with the same seed must draw the same
 * numbers on every machine, so this module must never call Math.random, read a clock, or
 * depend on platform-specific floating point beyond IEEE-754 doubles.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2021), 128-bit state, period 2^128 - 1, seeded from one 32-bit integer through
 * splitmix32 so that neighbouring seeds give unrelated streams.
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed an integer in [0, 2^32); the same seed always yields the same sequence. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_POW_32) {
      throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
    }
    // splitmix32 expands the seed into four well-mixed words; xoshiro must not start all-zero.
    let state = seed | 0;
    const words = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      words[i] = (z ^ (z >>> 16)) | 0;
    }
    this.s0 = words[0]!;
    this.s1 = words[1]!;
    this.s2 = words[2]!;
    this.s3 = words[3]!;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /** Uniform integer in [0, n), without modulo bias (rejection sampling). n in [1, 2^32]. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`nextInt bound must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal deviate (Box-Muller; one of the pair is discarded to keep no hidden state). */
  nextGaussian(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Draws k distinct indices from [0, n) by a partial Fisher-Yates pass over `pool`, which must
   * hold a permutation of 0..n-1 (it stays one, so the same pool can be reused for every draw
   * without re-initialising). Returns the first k entries of the pool, in draw order.
   */
  sampleInto(pool: Int32Array, k: number): Int32Array {
    const n = pool.length;
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`cannot draw ${k} distinct items from ${n}`);
    }
    for (let i = 0; i < k; i++) {
      const j = i + this.nextInt(n - i);
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
    }
    return pool.subarray(0, k);
  }

  /** k distinct indices from [0, n), uniformly, without replacement, in draw order. */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    return this.sampleInto(identityPermutation(n), k).slice();
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}

/** 0, 1, ..., n-1 as an Int32Array: the starting pool for `sampleInto`. */
export function identityPermutation(n: number): Int32Array {
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  return pool;
}
