import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimHashClusters } from '../../src/sketches/simHashClusters.ts';

describe('SimHashClusters', () => {
  it('puts SimHashes within the radius into one cluster and farther ones into another', () => {
    const clusters = new SimHashClusters(8, 3);
    const state = new Uint32Array(clusters.words);
    expect(clusters.add(state, 0, 0xdeadbeef, 0)).toBe(0);
    expect(clusters.add(state, 0, 0xdeadbeef, 0b111)).toBe(0);
    expect(clusters.add(state, 0, 0xdeadbeef, 0b1111)).toBe(1);
    expect(clusters.count(state, 0, 0)).toBe(2);
    expect(clusters.count(state, 0, 1)).toBe(1);
  });

  it('replaces the smallest cluster when full, which inherits its count as error', () => {
    const clusters = new SimHashClusters(2, 0);
    const state = new Uint32Array(clusters.words);
    clusters.add(state, 0, 1, 1);
    clusters.add(state, 0, 1, 1);
    clusters.add(state, 0, 2, 2);
    const slot = clusters.add(state, 0, 3, 3);
    expect(slot).toBe(1);
    expect(clusters.representativeHi(state, 0, 1)).toBe(3);
    expect(clusters.count(state, 0, 1)).toBe(2);
    expect(clusters.error(state, 0, 1)).toBe(1);
  });

  it('counts every prompt exactly once across its slots', () => {
    const value64 = fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }));
    fc.assert(fc.property(fc.array(value64, { maxLength: 100 }), (hashes) => {
      const clusters = new SimHashClusters(4, 3);
      const state = new Uint32Array(clusters.words);
      for (const [hi, lo] of hashes) clusters.add(state, 0, hi, lo);
      let total = 0;
      for (let s = 0; s < clusters.size(state, 0); s++) total += clusters.count(state, 0, s);
      expect(total).toBe(hashes.length);
    }));
  });
});
