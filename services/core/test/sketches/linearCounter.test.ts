import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashString32 } from '../../src/sketches/hashing.ts';
import { LinearCounter } from '../../src/sketches/linearCounter.ts';

describe('LinearCounter', () => {
  it('counts a handful of distinct keys exactly', () => {
    const counter = new LinearCounter(64);
    const state = new Uint32Array(counter.words);
    for (const key of ['key-1', 'key-2', 'key-3', 'key-1', 'key-2']) counter.add(state, 0, hashString32(key));
    expect(Math.round(counter.estimate(state, 0))).toBe(3);
  });

  // Statistical bounds: checked on a fixed sample of streams (a fixed seed), so never flaky.
  it('stays within 30 % (or 1.5 keys) up to half the bitmap size, and never exceeds its saturation bound', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 64 }), fc.nat(), (n, offset) => {
      const counter = new LinearCounter(128);
      const state = new Uint32Array(counter.words);
      for (let i = 0; i < n; i++) counter.add(state, 0, offset + i);
      const estimate = counter.estimate(state, 0);
      return Math.abs(estimate - n) <= Math.max(1.5, 0.3 * n) && estimate <= 128 * Math.log(128);
    }), { seed: 20260302, numRuns: 200 });
  });

  it('reports its saturation bound once every bit is set', () => {
    const counter = new LinearCounter(32);
    const state = new Uint32Array(counter.words);
    for (let i = 0; i < 10_000; i++) counter.add(state, 0, i);
    expect(counter.estimate(state, 0)).toBeCloseTo(32 * Math.log(32));
  });
});
