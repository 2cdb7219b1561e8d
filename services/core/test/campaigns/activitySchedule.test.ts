import { describe, expect, it } from 'vitest';
import { ActivitySchedule, hypergeometricTail } from '../../src/campaigns/activitySchedule.ts';
import { DEFAULT_CAMPAIGN_LINKER_OPTIONS } from '../../src/campaigns/campaignLinker.ts';

const HOUR = 3_600_000;
const T0 = 1_772_409_600_000; // a midnight (UTC)
const HOURS = 72;

/** Feeds `hours` hourly windows; `on(account, h)` says who is active in hour h. */
function feed(schedule: ActivitySchedule, accounts: readonly string[], on: (account: string, h: number) => boolean, hours = HOURS): number {
  for (let h = 0; h < hours; h++) schedule.noteActive(T0 + (h + 1) * HOUR, accounts.filter((a) => on(a, h)));
  return ActivitySchedule.hourOf(T0 + hours * HOUR);
}

// A scheduler's rhythm: on for 8 hours of every 12, off for 4.
const scripted = (h: number) => h % 12 < 8;

describe('ActivitySchedule', () => {
  it('finds two accounts switched on and off by one scheduler, through a shared bucket', () => {
    const schedule = new ActivitySchedule(DEFAULT_CAMPAIGN_LINKER_OPTIONS);
    const hour = feed(schedule, ['lab-a/x', 'lab-b/y', 'lab-a/human'], (a, h) => (a === 'lab-a/human' ? h % 24 >= 9 && h % 24 < 17 && h % 3 !== 0 : scripted(h)));
    expect(schedule.candidates('lab-a/x', hour)).toEqual(['lab-b/y']);
    expect(schedule.agree('lab-a/x', 'lab-b/y', hour, 1)).toBe(true);
    expect(schedule.company('lab-a/x', 'lab-b/y', hour)).toBe(1);
  });

  it('does not link accounts busy every hour: a steady stream carries no schedule', () => {
    const schedule = new ActivitySchedule(DEFAULT_CAMPAIGN_LINKER_OPTIONS);
    const hour = feed(schedule, ['lab-a/x', 'lab-a/y'], () => true);
    expect(schedule.candidates('lab-a/x', hour)).toEqual([]);
    expect(schedule.agree('lab-a/x', 'lab-a/y', hour, 1)).toBe(false);
  });

  it('needs enough active hours: a nightly job of three hours in three days is no evidence', () => {
    const schedule = new ActivitySchedule(DEFAULT_CAMPAIGN_LINKER_OPTIONS);
    const hour = feed(schedule, ['lab-a/x', 'lab-a/y'], (_, h) => h % 24 === 2);
    expect(schedule.agree('lab-a/x', 'lab-a/y', hour, 1)).toBe(false);
  });

  it('asks more agreement of a pattern that many accounts share', () => {
    // Two daily office blocks agreeing on 10 of 72 hours: evidence between two accounts, not among a million.
    const schedule = new ActivitySchedule(DEFAULT_CAMPAIGN_LINKER_OPTIONS);
    const hour = feed(schedule, ['lab-a/x', 'lab-a/y'], (_, h) => h % 24 >= 10 && h % 24 < 14 && h < 60);
    expect(schedule.agree('lab-a/x', 'lab-a/y', hour, 1)).toBe(true);
    expect(schedule.agree('lab-a/x', 'lab-a/y', hour, 1_000_000)).toBe(false);
  });

  it('does not link schedules that agree on too few of their hours', () => {
    const schedule = new ActivitySchedule(DEFAULT_CAMPAIGN_LINKER_OPTIONS);
    const hour = feed(schedule, ['lab-a/x', 'lab-a/y'], (a, h) => scripted(h) && (a === 'lab-a/x' || h % 4 !== 1));
    expect(schedule.agree('lab-a/x', 'lab-a/y', hour, 1)).toBe(false);
  });

  it('forgets an account idle for the whole span, and restores the same bitmaps from rows', () => {
    const schedule = new ActivitySchedule(DEFAULT_CAMPAIGN_LINKER_OPTIONS);
    const hour = feed(schedule, ['lab-a/x', 'lab-a/y'], (a, h) => scripted(h) && (a === 'lab-a/x' || h < 2));
    const restored = ActivitySchedule.fromRows(JSON.parse(JSON.stringify(schedule.toRows())), DEFAULT_CAMPAIGN_LINKER_OPTIONS);
    expect(restored.toRows()).toEqual(schedule.toRows());
    expect(restored.bitsAt('lab-a/x', hour)).toBe(schedule.bitsAt('lab-a/x', hour));
    schedule.expire(T0 + (HOURS + 2) * HOUR);
    expect(schedule.toRows().map((r) => r[0])).toEqual(['lab-a/x']);
  });
});

describe('hypergeometricTail', () => {
  it('is 1 for no overlap asked, and 1/C(n, b) for full overlap of equal sets', () => {
    expect(hypergeometricTail(72, 10, 20, 0)).toBeCloseTo(1, 12);
    expect(hypergeometricTail(4, 2, 2, 2)).toBeCloseTo(1 / 6, 12);
    expect(hypergeometricTail(10, 3, 4, 4)).toBe(0);
  });
});
