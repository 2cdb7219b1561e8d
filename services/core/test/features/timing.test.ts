import { describe, expect, it } from 'vitest';
import { closeWindow, DAY, event, featuresOf, HOUR, hourOf, MINUTE, newAccount, T0 } from './traffic.ts';

describe('timing features', () => {
  it('sees a metronome as regular and bursts as irregular', () => {
    const metronome = featuresOf(hourOf(60, () => ({})));
    const bursts = featuresOf(Array.from({ length: 60 }, (_, i) => event({ event_time: T0 + Math.floor(i / 10) * 10 * MINUTE + (i % 10) * 1000 })));
    expect(metronome.interarrival_cv).toBeCloseTo(0);
    expect(Math.expm1(bursts.interarrival_cv)).toBeGreaterThan(1.5);
  });

  it('counts the active hours of the last 24, this window included, and forgets older ones', () => {
    const account = newAccount();
    for (const h of [0, 1, 2, 5]) closeWindow(account, [event({ event_time: T0 + h * HOUR })]);
    const record = closeWindow(account, [event({ event_time: T0 + 25 * HOUR })]);
    // Hours 2, 5 and 25 lie in the 24 hours ending with hour 25; hours 0 and 1 do not.
    expect(record.features.active_hours_24h).toBe(3);
  });

  it('gives a round-the-clock script full diurnal entropy and a working day less', () => {
    const script = newAccount();
    const office = newAccount('lab-a', 'office');
    let scriptLast = {} as Record<string, number>;
    let officeLast = {} as Record<string, number>;
    for (let h = 0; h < 24; h++) {
      scriptLast = closeWindow(script, hourOf(10, () => ({}), T0 + h * HOUR)).features;
      if (h >= 9 && h < 17) officeLast = closeWindow(office, hourOf(10, () => ({ account_id: 'office' }), T0 + h * HOUR)).features;
    }
    expect(scriptLast.diurnal_entropy).toBeCloseTo(1);
    expect(scriptLast.active_hours_24h).toBe(24);
    expect(officeLast.diurnal_entropy).toBeCloseTo(Math.log(8) / Math.log(24));
  });

  it('measures account age from the first event the profile saw', () => {
    const account = newAccount();
    closeWindow(account, [event({ event_time: T0 })]);
    const later = closeWindow(account, [event({ event_time: T0 + 3 * DAY - HOUR })]);
    expect(later.features.account_age_days).toBeCloseTo(Math.log1p(3));
  });
});

describe('account profile rings', () => {
  it('handle event times before 1970 like any others', () => {
    const account = newAccount();
    const early = -10 * DAY;
    closeWindow(account, [event({ event_time: early, cost_usd: 2, topic: 'old' })]);
    const next = closeWindow(account, [event({ event_time: early + HOUR, cost_usd: 3, topic: 'old' })]);
    expect(next.spend_usd_30d).toBeCloseTo(5);
    expect(next.features.active_hours_24h).toBe(2);
    expect(next.features.topic_revisit_rate).toBe(1);
  });
});
