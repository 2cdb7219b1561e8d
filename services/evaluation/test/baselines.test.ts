import { describe, expect, it } from 'vitest';
import type { UsageEvent } from '@distillwatch/core';
import { Deduplicator, SpendRule, VolumeRule } from '../src/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2);

function event(lab: string, account: string, id: string, time: number, cost: number): UsageEvent {
  return { event_id: id, event_time: time, lab, account_id: account, model: 'm', input_tokens: 10, output_tokens: 10, cost_usd: cost };
}

function run<R extends { observe(e: UsageEvent): void }>(rule: R, events: UsageEvent[]): R {
  const dedup = new Deduplicator();
  for (const e of events) if (dedup.admit(e)) rule.observe(e);
  return rule;
}

describe('baseline: per-lab $5,000 trailing-30-day spend', () => {
  it('flags an account at the event that brings its spend to $5,000', () => {
    const events = [0, 1, 2, 3, 4].map((h) => event('lab-a', 'p', `p${h}`, T0 + h * HOUR, 1000));
    const flags = run(new SpendRule(), events).flags();
    expect(flags).toEqual([{ accounts: [{ lab: 'lab-a', account_id: 'p' }], time: T0 + 4 * HOUR, score: 1, id: 'spend_5000_usd_30d_per_lab_account:lab-a/p' }]);
  });

  it('counts a duplicated event once', () => {
    const events = [0, 1, 2, 3, 4].map((h) => event('lab-a', 'p', `p${h}`, T0 + h * HOUR, 1000));
    events.splice(2, 0, { ...events[0]!, event_time: events[0]!.event_time });
    expect(run(new SpendRule(), events).flags()[0]!.time).toBe(T0 + 4 * HOUR);
  });

  it('forgets spend older than 30 days', () => {
    const days = [0, 10, 20, 31, 32];
    const events = days.map((d) => event('lab-a', 'q', `q${d}`, T0 + d * DAY, 1000));
    expect(run(new SpendRule(), events).flags()).toEqual([]);
    events.push(event('lab-a', 'q', 'q33', T0 + 33 * DAY, 1000));
    expect(run(new SpendRule(), events).flags().map((f) => f.time)).toEqual([T0 + 33 * DAY]);
  });

  it('does not add up one account id across labs (each lab applies its own line)', () => {
    const events = [
      event('lab-a', 'r', 'r1', T0, 3000),
      event('lab-b', 'r', 'r1', T0 + HOUR, 3000),
    ];
    expect(run(new SpendRule(), events).flags()).toEqual([]);
  });
});

describe('baseline: hourly volume above the 99th percentile', () => {
  it('flags accounts with an hour above the percentile of all account-hours, at that hour end', () => {
    const events: UsageEvent[] = [];
    // 99 quiet account-hours with one request each, and one account with 50 in its third hour.
    for (let i = 0; i < 99; i++) events.push(event('lab-a', `quiet${i % 33}`, `q${i}`, T0 + Math.floor(i / 33) * HOUR, 0.01));
    for (let i = 0; i < 50; i++) events.push(event('lab-b', 'busy', `b${i}`, T0 + 2 * HOUR + i * 1000, 0.01));
    const rule = run(new VolumeRule(), events);
    expect(rule.threshold()).toBe(1);
    expect(rule.flags()).toEqual([{ accounts: [{ lab: 'lab-b', account_id: 'busy' }], time: T0 + 3 * HOUR, score: 1, id: 'volume_p99_requests_per_account_hour:lab-b/busy' }]);
  });
});
