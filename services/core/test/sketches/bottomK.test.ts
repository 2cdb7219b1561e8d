import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BottomK } from '../../src/sketches/bottomK.ts';

const value64 = fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }));

function sketchOf(sketch: BottomK, values: ReadonlyArray<readonly [number, number]>): Uint32Array {
  const state = new Uint32Array(sketch.words);
  for (const [hi, lo] of values) sketch.add(state, 0, hi, lo);
  return state;
}

const hex = ([hi, lo]: readonly [number, number]) => hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');

describe('BottomK', () => {
  it('keeps the k smallest distinct values, ascending, as 16 hex digits', () => {
    const sketch = new BottomK(4);
    const state = sketchOf(sketch, [[0, 9], [0, 3], [1, 0], [0, 3], [0, 1], [0, 8]]);
    expect(sketch.hex(state, 0)).toEqual(['0000000000000001', '0000000000000003', '0000000000000008', '0000000000000009']);
  });

  it('equals sorting the distinct values and taking the first k, for any stream', () => {
    fc.assert(fc.property(fc.array(value64, { maxLength: 80 }), fc.integer({ min: 1, max: 20 }), (values, k) => {
      const sketch = new BottomK(k);
      const expected = [...new Set(values.map(hex))].sort().slice(0, k);
      expect(sketch.hex(sketchOf(sketch, values), 0)).toEqual(expected);
    }));
  });

  it('does not depend on arrival order or repetitions', () => {
    fc.assert(fc.property(fc.array(value64, { maxLength: 60 }), (values) => {
      const sketch = new BottomK(16);
      const reversed = [...values].reverse();
      expect(sketch.hex(sketchOf(sketch, [...values, ...values]), 0)).toEqual(sketch.hex(sketchOf(sketch, reversed), 0));
    }));
  });

  it('merges commutatively into the sketch of the union', () => {
    fc.assert(fc.property(fc.array(value64, { maxLength: 40 }), fc.array(value64, { maxLength: 40 }), (a, b) => {
      const sketch = new BottomK(8);
      const ab = sketchOf(sketch, a);
      sketch.merge(ab, 0, sketchOf(sketch, b), 0);
      const ba = sketchOf(sketch, b);
      sketch.merge(ba, 0, sketchOf(sketch, a), 0);
      expect(sketch.hex(ab, 0)).toEqual(sketch.hex(ba, 0));
      expect(sketch.hex(ab, 0)).toEqual(sketch.hex(sketchOf(sketch, [...a, ...b]), 0));
    }));
  });
});
