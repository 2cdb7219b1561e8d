import { describe, expect, it } from 'vitest';
import { hash64To32, hashString32, mix32 } from '../../src/sketches/hashing.ts';

// Sketch states and template sketches in records and changelogs depend on these exact values:
// a change here is a format change, not a refactoring.
describe('sketch hashing', () => {
  it('keeps its pinned values', () => {
    expect(hashString32('')).toBe(2872998923);
    expect(hashString32('lab-a')).toBe(4043358870);
    expect(mix32(1)).toBe(1364076727);
    expect(hash64To32(1, 2)).toBe(230461417);
  });

  it('spreads neighbouring keys over the whole 32 bits', () => {
    const top = new Set<number>();
    for (let i = 0; i < 256; i++) top.add(hashString32(`key-${i}`) >>> 28);
    expect(top.size).toBe(16);
  });
});
