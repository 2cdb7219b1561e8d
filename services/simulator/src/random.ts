// The simulator's only source of randomness: a small seeded PRNG (sfc32) and the
// distributions the archetypes draw from. Every actor owns its own stream, derived from the
// scenario seed and the actor's name, so what one actor does never depends on how the
// others are interleaved. Must never touch Math.random or the clock.

import { hashString32 } from '@distillwatch/core';

/** 32-bit string hash (the core's FNV-1a, avalanche-mixed): seeds and ids. */
export const hash32 = hashString32;

/** Opaque lower-case hex id of `digits` (<= 16) digits derived from text: account ids, keys, fingerprints. */
export function hexId(text: string, digits: number): string {
  const a = hash32(text).toString(16).padStart(8, '0');
  const b = hash32('\u0001' + text).toString(16).padStart(8, '0');
  return (a + b).slice(0, digits);
}

/**
 * Small Fast Counter (sfc32, Chris Doty-Humphrey, PractRand): 128 bits of state, passes
 * PractRand to 2^40+ bytes, and is a few integer operations per draw. Good enough for
 * traffic simulation; not for cryptography.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string) {
    const s = typeof seed === 'number' ? `n:${seed}` : seed;
    this.a = hash32('a' + s);
    this.b = hash32('b' + s);
    this.c = hash32('c' + s);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A new independent stream named `name` under this seed (deterministic). */
  static derive(seed: number, name: string): Random {
    return new Random(`${seed}/${name}`);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer uniform in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Index drawn with probability proportional to weights[i]. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal (Box-Muller; one value per call keeps streams simple). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-space sigma: token counts, rates, sizes. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Geometric count >= 1 with the given mean. */
  geometric(mean: number): number {
    if (mean <= 1) return 1;
    const p = 1 / mean;
    return 1 + Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }

  /** k distinct items, in drawn order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const pool = items.slice();
    const out: T[] = [];
    for (let i = 0; i < k && pool.length > 0; i++) {
      const j = Math.floor(this.next() * pool.length);
      out.push(pool[j]!);
      pool[j] = pool[pool.length - 1]!;
      pool.pop();
    }
    return out;
  }
}
