import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HyperLogLog } from '../../src/sketches/hyperLogLog.ts';

function sketchOf(hll: HyperLogLog, keys: Iterable<number>): Uint32Array {
  const state = new Uint32Array(hll.words);
  for (const k of keys) hll.add(state, 0, k);
  return state;
}

describe('HyperLogLog', () => {
  it('counts small sets almost exactly (linear-counting range)', () => {
    const hll = new HyperLogLog(7);
    for (const n of [0, 1, 2, 5, 20, 60]) {
      const estimate = hll.estimate(sketchOf(hll, Array.from({ length: n }, (_, i) => i * 7919)), 0);
      expect(Math.abs(estimate - n)).toBeLessThanOrEqual(Math.max(1, 0.1 * n));
    }
  });

  it('ignores repetitions and order: the sketch depends only on the set of keys', () => {
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 100 }), (keys) => {
      const hll = new HyperLogLog(6);
      const distinct = [...new Set(keys)].sort((a, b) => a - b);
      expect([...sketchOf(hll, [...keys, ...keys].reverse())]).toEqual([...sketchOf(hll, distinct)]);
    }));
  });

  // Statistical bound: checked on a fixed sample of sets (a fixed seed), so never flaky.
  it('estimates large sets within four standard errors', () => {
    fc.assert(fc.property(fc.integer({ min: 500, max: 20_000 }), fc.integer({ min: 0, max: 1 << 20 }), (n, offset) => {
      const hll = new HyperLogLog(7);
      const estimate = hll.estimate(sketchOf(hll, Array.from({ length: n }, (_, i) => offset + i)), 0);
      return Math.abs(estimate - n) / n <= 4 * (1.04 / Math.sqrt(hll.registers));
    }), { seed: 20260302, numRuns: 40 });
  });

  it('merges to the sketch of the union, whichever way round', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.nat()), fc.uniqueArray(fc.nat()), (a, b) => {
      const hll = new HyperLogLog(6);
      const ab = sketchOf(hll, a);
      hll.merge(ab, 0, sketchOf(hll, b), 0);
      const ba = sketchOf(hll, b);
      hll.merge(ba, 0, sketchOf(hll, a), 0);
      expect([...ab]).toEqual([...ba]);
      expect([...ab]).toEqual([...sketchOf(hll, [...a, ...b])]);
    }));
  });

  it('lives at any offset of a shared array without touching its neighbours', () => {
    const hll = new HyperLogLog(5);
    const state = new Uint32Array(hll.words + 2).fill(0xffffffff);
    state.fill(0, 1, 1 + hll.words);
    for (let i = 0; i < 100; i++) hll.add(state, 1, i);
    expect(state[0]).toBe(0xffffffff);
    expect(state[hll.words + 1]).toBe(0xffffffff);
    expect(hll.estimate(state, 1)).toBeGreaterThan(60);
  });

  it('rejects a precision outside 4..16', () => {
    expect(() => new HyperLogLog(3)).toThrow(RangeError);
    expect(() => new HyperLogLog(17)).toThrow(RangeError);
  });
});
