// The merge behind `replay`: partitions are merged by record timestamp, each partition's order
// is kept (so each account's, whose records share a partition), and the merged order depends
// only on what the partitions hold, never on when their records happened to arrive.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionMerge } from '../src/io/timeSlice.ts';

type Streams = number[][];

/** Feeds `streams` in the arrival order `schedule` (indexes of partitions), releasing as it goes. */
function mergeInArrivalOrder(streams: Streams, schedule: number[]): string[] {
  const merge = new PartitionMerge<string>(streams.map((_, p) => p));
  const next = streams.map(() => 0);
  const out: string[] = [];
  const release = () => { for (const r of merge.release()) out.push(r.value); };
  const deliver = (p: number) => {
    if (next[p]! < streams[p]!.length) {
      merge.push(p, streams[p]![next[p]!]!, `${p}:${next[p]}`);
      next[p]!++;
    }
    if (next[p] === streams[p]!.length) merge.exhaust(p);
    release();
  };
  streams.forEach((s, p) => { if (s.length === 0) merge.exhaust(p); });
  for (const p of schedule) deliver(p % streams.length);
  for (let p = 0; p < streams.length; p++) while (next[p]! < streams[p]!.length) deliver(p);
  expect(merge.finished).toBe(true);
  return out;
}

const streams = fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 12 }), { minLength: 1, maxLength: 5 });

describe('PartitionMerge', () => {
  it('releases the oldest head first, ties to the lower partition', () => {
    expect(mergeInArrivalOrder([[1, 4, 9], [2, 4, 5], []], [0, 0, 0, 1, 1, 1])).toEqual(['0:0', '1:0', '0:1', '1:1', '1:2', '0:2']);
  });

  it('waits for a partition that may still deliver an older record', () => {
    const merge = new PartitionMerge<string>([0, 1]);
    merge.push(0, 10, 'late-in-time');
    expect([...merge.release()]).toEqual([]);
    merge.push(1, 5, 'early');
    expect([...merge.release()].map((r) => r.value)).toEqual(['early']);
    merge.exhaust(1);
    expect([...merge.release()].map((r) => r.value)).toEqual(['late-in-time']);
  });

  it('gives the same order whatever the arrival order, keeping every partition in its own order', () => {
    fc.assert(fc.property(streams, fc.array(fc.nat(), { maxLength: 80 }), fc.array(fc.nat(), { maxLength: 80 }), (s, a, b) => {
      const first = mergeInArrivalOrder(s, a);
      expect(mergeInArrivalOrder(s, b)).toEqual(first);
      expect(first).toHaveLength(s.flat().length);
      s.forEach((_, p) => {
        const own = first.filter((v) => v.startsWith(`${p}:`)).map((v) => Number(v.split(':')[1]));
        expect(own).toEqual(own.map((_, i) => i));
      });
    }));
  });

  it('yields records sorted by timestamp when every partition is', () => {
    fc.assert(fc.property(streams, (raw) => {
      const s = raw.map((xs) => [...xs].sort((x, y) => x - y));
      const times = mergeInArrivalOrder(s, []).map((v) => { const [p, i] = v.split(':').map(Number); return s[p!]![i!]!; });
      expect(times).toEqual([...times].sort((x, y) => x - y));
    }));
  });
});
