import { describe, expect, it } from 'vitest';
import { SeededRandom, identityPermutation } from '../src/random.ts';

describe('SeededRandom', () => {
  it('is xoshiro128** 1.1: from state (1, 2, 3, 4) it yields the reference outputs', () => {
    const random = new SeededRandom(0);
    Object.assign(random as unknown as Record<string, number>, { s0: 1, s1: 2, s2: 3, s3: 4 });
    expect(Array.from({ length: 6 }, () => random.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it('draws the same sequence for the same seed, on every run and machine', () => {
    const random = new SeededRandom(0);
    expect([random.nextUint32(), random.nextUint32(), random.nextUint32()]).toEqual([3809008728, 1133695204, 53579671]);
    expect(new SeededRandom(42).nextFloat()).toBe(0.6606157208001621);
  });

  it('draws unrelated sequences for neighbouring seeds', () => {
    const a = new SeededRandom(1);
    const b = new SeededRandom(2);
    const same = Array.from({ length: 100 }, () => a.nextUint32() === b.nextUint32()).filter(Boolean).length;
    expect(same).toBe(0);
  });

  it('draws floats in [0, 1) with mean near one half', () => {
    const random = new SeededRandom(7);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 100_000; i++) {
      const x = random.nextFloat();
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('draws integers below the bound, each about equally often', () => {
    const random = new SeededRandom(11);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[random.nextInt(7)]!++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('draws standard normal deviates', () => {
    const random = new SeededRandom(3);
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = random.nextGaussian();
      sum += x;
      squares += x * x;
    }
    expect(sum / 100_000).toBeCloseTo(0, 1);
    expect(squares / 100_000).toBeCloseTo(1, 1);
  });

  it('samples distinct indices without replacement, and all of them when k = n', () => {
    const random = new SeededRandom(5);
    const sample = random.sampleWithoutReplacement(1000, 256);
    expect(new Set(sample).size).toBe(256);
    for (const i of sample) expect(i >= 0 && i < 1000).toBe(true);
    const all = Array.from(random.sampleWithoutReplacement(50, 50)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from(identityPermutation(50)));
  });

  it('keeps a reused sampling pool a permutation, so repeated draws stay uniform', () => {
    const random = new SeededRandom(9);
    const pool = identityPermutation(10);
    const hits = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) for (const j of random.sampleInto(pool, 3)) hits[j]!++;
    expect(Array.from(pool).sort((a, b) => a - b)).toEqual(Array.from(identityPermutation(10)));
    for (const count of hits) expect(Math.abs(count - 6000)).toBeLessThan(300);
  });

  it('shuffles in place into a permutation of the same items', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const shuffled = new SeededRandom(1).shuffle([...items]);
    expect([...shuffled].sort()).toEqual(items);
  });

  it('rejects seeds that are not 32-bit unsigned integers and impossible draws', () => {
    expect(() => new SeededRandom(-1)).toThrow(RangeError);
    expect(() => new SeededRandom(1.5)).toThrow(RangeError);
    expect(() => new SeededRandom(2 ** 32)).toThrow(RangeError);
    expect(() => new SeededRandom(1).nextInt(0)).toThrow(RangeError);
    expect(() => new SeededRandom(1).sampleWithoutReplacement(3, 4)).toThrow(RangeError);
  });
});
