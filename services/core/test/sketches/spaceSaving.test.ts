import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpaceSaving } from '../../src/sketches/spaceSaving.ts';

describe('SpaceSaving', () => {
  it('counts exactly while there are no more keys than counters', () => {
    const topics = new SpaceSaving(4);
    for (const t of ['math', 'code', 'math', 'law', 'math', 'code']) topics.add(t);
    expect(topics.top()).toEqual([
      { key: 'math', count: 3, error: 0 },
      { key: 'code', count: 2, error: 0 },
      { key: 'law', count: 1, error: 0 },
    ]);
    expect(topics.replaced).toBe(false);
  });

  it('lets a new key take the smallest counter and inherit its count as error', () => {
    const topics = new SpaceSaving(2);
    for (const t of ['math', 'math', 'code', 'law']) topics.add(t);
    expect(topics.top()).toEqual([{ key: 'law', count: 2, error: 1 }, { key: 'math', count: 2, error: 0 }]);
    expect(topics.replaced).toBe(true);
  });

  it('bounds every true count between count - error and count, and the counts add up to the stream length', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 200 }), fc.integer({ min: 1, max: 5 }), (stream, capacity) => {
      const sketch = new SpaceSaving(capacity);
      for (const key of stream) sketch.add(key);
      const held = sketch.top();
      expect(held.reduce((s, h) => s + h.count, 0)).toBe(stream.length);
      for (const h of held) {
        const truth = stream.filter((k) => k === h.key).length;
        expect(truth).toBeLessThanOrEqual(h.count);
        expect(truth).toBeGreaterThanOrEqual(h.count - h.error);
      }
    }));
  });

  it('always holds a key more frequent than stream length / capacity', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 200 }), (stream) => {
      const sketch = new SpaceSaving(3);
      for (const key of stream) sketch.add(key);
      const held = new Set(sketch.top().map((h) => h.key));
      for (const key of new Set(stream)) {
        if (stream.filter((k) => k === key).length > stream.length / 3) expect(held.has(key)).toBe(true);
      }
    }));
  });
});
