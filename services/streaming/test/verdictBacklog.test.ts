// When a new scorer owner may start scoring: once it has read every verdict that was on
// alert-verdicts when it restored, whatever order the inputs' batches came in.
import { describe, expect, it } from 'vitest';
import { VerdictBacklog } from '../src/verdictBacklog.ts';

const ends = (...parts: [low: number, high: number][]) => parts.map(([low, high], partition) => ({ partition, low: String(low), high: String(high) }));

describe('VerdictBacklog', () => {
  it('holds scoring back until every partition is read to where it ended at the restore', () => {
    const backlog = new VerdictBacklog(ends([0, 1], [0, 2], [0, 3]), new Map());
    expect(backlog.toJSON()).toEqual({ 0: 1, 1: 2, 2: 3 });
    backlog.readTo(1, 2);
    backlog.readTo(2, 3);
    expect(backlog.empty).toBe(false);
    backlog.readTo(0, 1);
    expect(backlog.empty).toBe(true);
  });

  it('does not count a partition read only part of the way', () => {
    const backlog = new VerdictBacklog(ends([0, 5]), new Map());
    backlog.readTo(0, 4);
    expect(backlog.empty).toBe(false);
    backlog.readTo(0, 6);
    expect(backlog.empty).toBe(true);
  });

  it('waits for nothing on an empty topic or where the restored state has read to the end', () => {
    expect(new VerdictBacklog(ends([0, 0], [0, 0], [0, 0]), new Map()).empty).toBe(true);
    expect(new VerdictBacklog(ends([0, 4], [0, 2]), new Map([[0, 4], [1, 2]])).empty).toBe(true);
    expect(new VerdictBacklog(ends([0, 4], [0, 2]), new Map([[0, 4], [1, 1]])).toJSON()).toEqual({ 1: 2 });
  });

  it('waits for nothing on a partition whose records are all deleted (the consumer starts at its low offset)', () => {
    expect(new VerdictBacklog(ends([7, 7]), new Map([[0, 3]])).empty).toBe(true);
    expect(new VerdictBacklog(ends([7, 9]), new Map([[0, 3]])).toJSON()).toEqual({ 0: 9 });
  });

  it('ignores a partition it was not waiting for', () => {
    const backlog = new VerdictBacklog(ends([0, 2]), new Map());
    backlog.readTo(5, 100);
    expect(backlog.toJSON()).toEqual({ 0: 2 });
  });
});
