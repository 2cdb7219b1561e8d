// The window queue releases each complete window whole, oldest first, with its accounts' keys in
// the order of its records, and holds back what is not complete yet.
import { describe, expect, it } from 'vitest';
import type { AccountFeatures } from '../../src/schemas.generated.ts';
import { WindowQueue } from '../../src/pipeline/windowQueue.ts';

const HOUR = 3_600_000;

/** Only the fields the queue reads; the rest of a record is carried along untouched. */
function record(lab: string, accountId: string, end: number, marker: number): AccountFeatures {
  return { lab, account_id: accountId, window_start: end - HOUR, window_end: end, marker } as unknown as AccountFeatures;
}

describe('WindowQueue', () => {
  it('releases complete windows oldest first, each with its accounts in record order', () => {
    const queue = new WindowQueue();
    queue.add(record('lab-a', 'x', 2 * HOUR, 1));
    queue.add(record('lab-b', 'y', HOUR, 2));
    queue.add(record('lab-a', 'z', HOUR, 3));
    // A record read again replaces itself and keeps its place.
    queue.add(record('lab-b', 'y', HOUR, 4));
    expect(queue.releaseThrough(HOUR - 1)).toEqual([]);
    const first = queue.releaseThrough(HOUR);
    expect(first.map((w) => [w.start, w.end, w.accounts])).toEqual([[0, HOUR, ['lab-b/y', 'lab-a/z']]]);
    expect(first[0]!.records.map((r) => (r as unknown as { marker: number }).marker)).toEqual([4, 3]);
    expect(queue.add(record('lab-a', 'late', HOUR, 5))).toBe(false);
    expect(queue.releaseThrough(5 * HOUR).map((w) => [w.end, w.accounts])).toEqual([[2 * HOUR, ['lab-a/x']]]);
    expect(queue.pendingWindows).toBe(0);
  });

  it('releases one complete window at a time, the oldest, for a split scorer', () => {
    const queue = new WindowQueue();
    queue.add(record('lab-a', 'x', 2 * HOUR, 1));
    queue.add(record('lab-a', 'x', HOUR, 2));
    expect(queue.releaseOldest(HOUR - 1)).toBeNull();
    expect(queue.releaseOldest(3 * HOUR)?.end).toBe(HOUR);
    expect(queue.releasedThrough).toBe(HOUR);
    expect(queue.releaseOldest(3 * HOUR)?.end).toBe(2 * HOUR);
    expect(queue.releaseOldest(3 * HOUR)).toBeNull();
  });
});
