// The held-out model's only source of randomness: a seeded sfc32 generator (Chris Doty-Humphrey's
// "small fast counting" PRNG, 128-bit state) and the distributions the traffic model draws from.
// It must never read Math.random or the clock: the same seed gives the same file, byte for byte.
// `fork(label)` derives an independent stream, so adding an account does not reshuffle the others.

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, salt = '') {
    const h = hash32(`${seed}:${salt}`);
    this.a = h;
    this.b = hash32(`${salt}:${seed}:b`);
    this.c = hash32(`c:${seed}:${salt}`);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next32();
  }

  /** An independent stream for a named part of the model (an account, a campaign). */
  fork(label: string): Random {
    return new Random(this.next32(), label);
  }

  next32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next32() / 4294967296;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Integer in [lo, hi], both inclusive: a uniform draw over hi - lo + 1 unit cells, floored. */
  int(lo: number, hi: number): number {
    return Math.floor(this.uniform(0, hi - lo + 1)) + lo;
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Index drawn in proportion to the weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] as number;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal by Box–Muller: a radius from the first draw, an angle from the second. */
  normal(): number {
    const radius = Math.sqrt(-2 * Math.log(1 - this.float()));
    return radius * Math.cos(2 * Math.PI * this.float());
  }

  /** Log-normal with the given median and log-space spread: heavy right tail for volumes and lengths. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean, by inversion: gaps between independent arrivals. */
  exponential(mean: number): number {
    return mean * -Math.log(1 - this.float());
  }

  /** Pareto with minimum xm and tail index alpha (smaller alpha, heavier tail). */
  pareto(xm: number, alpha: number): number {
    return xm / Math.pow(1 - this.float(), 1 / alpha);
  }

  poisson(mean: number): number {
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.float() * (copy.length - i));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }

  /** `digits` lower-case hex digits. */
  hex(digits: number): string {
    let s = '';
    while (s.length < digits) s += this.next32().toString(16).padStart(8, '0');
    return s.slice(0, digits);
  }
}

/** 32-bit FNV-1a of a string's UTF-16 code units: seeds streams, never used for the contract's hashes. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
