import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/random.ts';
import { selectTrainingRows, trainingHash } from '../src/scoring/training.ts';

const HOUR = 60 * 60 * 1000;

/** 200 accounts × 48 hourly windows. */
function candidates() {
  const rows: { subjectKey: string; windowEnd: number; spend: number }[] = [];
  for (let h = 1; h <= 48; h++) {
    for (let a = 0; a < 200; a++) rows.push({ subjectKey: `lab-a/acct-${a}`, windowEnd: h * HOUR, spend: a + h });
  }
  return rows;
}

describe('selectTrainingRows', () => {
  it('selects the same rows whatever order the windows arrived in', () => {
    const inOrder = candidates();
    const shuffled = new SeededRandom(3).shuffle([...inOrder]);
    const selection = { rate: 0.1, maxRows: 500, seed: 1 };
    expect(selectTrainingRows(shuffled, selection)).toEqual(selectTrainingRows(inOrder, selection));
  });

  it('keeps about the given share of candidates', () => {
    const kept = selectTrainingRows(candidates(), { rate: 0.1, maxRows: 100_000, seed: 1 });
    expect(kept.length).toBeGreaterThan(0.09 * 9600);
    expect(kept.length).toBeLessThan(0.11 * 9600);
  });

  it('caps the sample at maxRows, keeping a subset of the uncapped sample', () => {
    const all = candidates();
    const uncapped = selectTrainingRows(all, { rate: 0.5, maxRows: 100_000, seed: 1 });
    const capped = selectTrainingRows(all, { rate: 0.5, maxRows: 300, seed: 1 });
    expect(capped).toHaveLength(300);
    const uncappedSet = new Set(uncapped);
    for (const row of capped) expect(uncappedSet.has(row)).toBe(true);
  });

  it('orders the selection by window end, then subject key', () => {
    const kept = selectTrainingRows(candidates(), { rate: 0.2, maxRows: 1000, seed: 1 });
    for (let i = 1; i < kept.length; i++) {
      const a = kept[i - 1]!;
      const b = kept[i]!;
      expect(a.windowEnd < b.windowEnd || (a.windowEnd === b.windowEnd && a.subjectKey < b.subjectKey)).toBe(true);
    }
  });

  it('draws an independent sample for another seed', () => {
    const a = selectTrainingRows(candidates(), { rate: 0.1, maxRows: 100_000, seed: 1 });
    const b = new Set(selectTrainingRows(candidates(), { rate: 0.1, maxRows: 100_000, seed: 2 }).map((r) => `${r.subjectKey}@${r.windowEnd}`));
    const shared = a.filter((r) => b.has(`${r.subjectKey}@${r.windowEnd}`)).length;
    expect(shared / a.length).toBeLessThan(0.2); // about 10% expected by chance
  });

  it('hashes a window identity to a fixed number in [0, 1)', () => {
    const h = trainingHash('lab-a/acct-1', 3_600_000, 7);
    expect(h).toBe(trainingHash('lab-a/acct-1', 3_600_000, 7));
    expect(h).toBeGreaterThanOrEqual(0);
    expect(h).toBeLessThan(1);
    expect(trainingHash('lab-a/acct-1', 3_600_000, 8)).not.toBe(h);
  });

  it('rejects a window offered twice and settings out of range', () => {
    const twice = [{ subjectKey: 'lab-a/acct-1', windowEnd: HOUR }, { subjectKey: 'lab-a/acct-1', windowEnd: HOUR }];
    expect(() => selectTrainingRows(twice, { rate: 1, maxRows: 10, seed: 0 })).toThrow(/training candidate twice/);
    expect(() => selectTrainingRows([], { rate: 0, maxRows: 10, seed: 0 })).toThrow(RangeError);
    expect(() => selectTrainingRows([], { rate: 0.5, maxRows: -1, seed: 0 })).toThrow(RangeError);
  });
});
