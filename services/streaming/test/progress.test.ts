// When the scorer may score a window: every usage partition's aggregator has completed it, and
// the scorer has read every record the aggregator wrote before saying so.
import { describe, expect, it } from 'vitest';
import { Completeness, decodeProgress, encodeProgress, streamClockOf, type PartitionProgress } from '../src/progress.ts';

const HOUR = 3_600_000;
const report = (partition: number, completeThrough: number | null, features: Record<string, number> = {}): PartitionProgress =>
  ({ partition, clock: completeThrough === null ? null : completeThrough + 900_000, completeThrough, features });

describe('Completeness', () => {
  it('holds every window back until all partitions have reported', () => {
    const c = new Completeness(3);
    c.offer(report(0, 5 * HOUR));
    c.offer(report(1, 4 * HOUR));
    c.confirm(() => 0);
    expect(c.frontier).toBe(Number.NEGATIVE_INFINITY);
    c.offer(report(2, 6 * HOUR));
    c.confirm(() => 0);
    expect(c.frontier).toBe(4 * HOUR);
  });

  it('waits for the records a report covers before trusting it', () => {
    const c = new Completeness(1);
    c.offer(report(0, 2 * HOUR, { 0: 10, 3: 4 }));
    c.confirm((q) => (q === 0 ? 10 : 3));
    expect(c.frontier).toBe(Number.NEGATIVE_INFINITY);
    c.confirm((q) => (q === 0 ? 10 : 4));
    expect(c.frontier).toBe(2 * HOUR);
  });

  it('keeps the last confirmed report while a newer one waits for its records', () => {
    const c = new Completeness(1);
    c.offer(report(0, 1 * HOUR, { 0: 5 }));
    c.offer(report(0, 3 * HOUR, { 0: 9 }));
    c.confirm(() => 6);
    expect(c.frontier).toBe(1 * HOUR);
    c.confirm(() => 9);
    expect(c.frontier).toBe(3 * HOUR);
  });

  it('tells how far the records of unconfirmed reports reach, for a lag that ignores transaction markers', () => {
    const c = new Completeness(2);
    c.offer(report(0, 1000, { 0: 5, 1: 7 }));
    c.offer(report(1, 1000, { 1: 9 }));
    expect([...c.pendingEnds()].sort()).toEqual([[0, 5], [1, 9]]);
    c.confirm((fp) => (fp === 0 ? 5 : 9));
    expect(c.pendingEnds().size).toBe(0);
  });

  it('survives a JSON round trip (it is part of the scorer state)', () => {
    const c = new Completeness(2);
    c.offer(report(0, 1 * HOUR, { 1: 3 }));
    c.offer(report(1, 2 * HOUR));
    c.confirm(() => 0);
    const back = Completeness.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
    expect(back.frontier).toBe(c.frontier);
    back.confirm(() => 3);
    expect(back.frontier).toBe(1 * HOUR);
  });
});

describe('progress records', () => {
  it('round-trip through their JSON value, and give the stream clock as the largest partition clock', () => {
    const p = report(4, 7 * HOUR, { 2: 17 });
    expect(decodeProgress(encodeProgress(p))).toEqual(p);
    expect(streamClockOf([report(0, null), report(1, 2 * HOUR), report(2, 5 * HOUR)])).toBe(5 * HOUR + 900_000);
    expect(streamClockOf([])).toBe(Number.NEGATIVE_INFINITY);
    expect(() => decodeProgress(Buffer.from('{"x":1}'))).toThrow(/not an aggregator progress record/);
  });
});
