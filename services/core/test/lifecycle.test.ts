import { describe, expect, it } from 'vitest';
import type { Severity } from '../src/schemas.generated.ts';
import { AlertLifecycle } from '../src/scoring/lifecycle.ts';

const HOUR = 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 5);

/** The hourly window number `hour` of a subject, with the given severity (null = below threshold). */
function hourly(subjectId: string, hour: number, severity: Severity | null, memberCount = 1) {
  return { subjectId, windowStart: T0 + hour * HOUR, windowEnd: T0 + (hour + 1) * HOUR, severity, memberCount };
}

describe('AlertLifecycle', () => {
  it('alerts when a subject first crosses the threshold', () => {
    const lifecycle = new AlertLifecycle();
    expect(lifecycle.decide(hourly('lab-a/acct-1', 0, null))).toEqual({ emit: false });
    expect(lifecycle.decide(hourly('lab-a/acct-1', 1, 'low'))).toEqual({ emit: true, cause: 'first-crossing' });
  });

  it('stays quiet while the subject stays above the threshold at the same severity', () => {
    const lifecycle = new AlertLifecycle();
    const emitted = Array.from({ length: 48 }, (_, h) => lifecycle.decide(hourly('lab-a/acct-1', h, 'medium')).emit);
    expect(emitted.filter(Boolean)).toHaveLength(1);
  });

  it('alerts again when the severity rises above the highest already alerted, and only then', () => {
    const lifecycle = new AlertLifecycle();
    const severities: Severity[] = ['low', 'medium', 'low', 'medium', 'critical', 'high', 'critical'];
    const decisions = severities.map((s, h) => lifecycle.decide(hourly('lab-a/acct-1', h, s)));
    expect(decisions.map((d) => d.emit)).toEqual([true, true, false, false, true, false, false]);
    expect(decisions[4]).toEqual({ emit: true, cause: 'severity-rose' });
  });

  it('alerts again when a campaign gains accounts, not when it loses them', () => {
    const lifecycle = new AlertLifecycle();
    const members = [3, 3, 5, 4, 5, 6];
    const decisions = members.map((m, h) => lifecycle.decide(hourly('campaign-7', h, 'high', m)));
    expect(decisions.map((d) => d.emit)).toEqual([true, false, true, false, false, true]);
    expect(decisions[2]).toEqual({ emit: true, cause: 'campaign-grew' });
  });

  it('re-arms a subject that has stayed below the threshold for a full day of event time', () => {
    const lifecycle = new AlertLifecycle();
    lifecycle.decide(hourly('lab-a/acct-1', 0, 'low'));
    for (let h = 1; h <= 24; h++) lifecycle.decide(hourly('lab-a/acct-1', h, null));
    // Windows 1..24 were below: a full day since the end of window 0.
    expect(lifecycle.decide(hourly('lab-a/acct-1', 25, 'low'))).toEqual({ emit: true, cause: 'first-crossing' });
  });

  it('does not re-arm a subject that dipped below the threshold for less than a day', () => {
    const lifecycle = new AlertLifecycle();
    lifecycle.decide(hourly('lab-a/acct-1', 0, 'low'));
    for (let h = 1; h <= 22; h++) lifecycle.decide(hourly('lab-a/acct-1', h, null));
    expect(lifecycle.decide(hourly('lab-a/acct-1', 23, 'low'))).toEqual({ emit: false });
  });

  it('counts silent hours as below the threshold', () => {
    const lifecycle = new AlertLifecycle();
    lifecycle.decide(hourly('lab-a/acct-1', 0, 'low'));
    expect(lifecycle.decide(hourly('lab-a/acct-1', 30, 'low')).emit).toBe(true);
  });

  it('takes the re-arm delay from its options', () => {
    const lifecycle = new AlertLifecycle({ rearmAfterMs: 2 * HOUR });
    lifecycle.decide(hourly('lab-a/acct-1', 0, 'low'));
    expect(lifecycle.decide(hourly('lab-a/acct-1', 2, 'low')).emit).toBe(false);
    expect(lifecycle.decide(hourly('lab-a/acct-1', 5, 'low')).emit).toBe(true);
  });

  it('keeps subjects apart', () => {
    const lifecycle = new AlertLifecycle();
    expect(lifecycle.decide(hourly('lab-a/acct-1', 0, 'low')).emit).toBe(true);
    expect(lifecycle.decide(hourly('lab-b/acct-1', 0, 'low')).emit).toBe(true);
  });

  it('forgets subjects re-armed long ago, so memory stays bounded by recent alerts', () => {
    const lifecycle = new AlertLifecycle();
    for (let i = 0; i < 1000; i++) lifecycle.decide(hourly(`lab-a/acct-${i}`, 0, 'low'));
    expect(lifecycle.size).toBe(1000);
    lifecycle.decide(hourly('lab-a/acct-0', 47, null));
    expect(lifecycle.size).toBe(1000);
    lifecycle.decide(hourly('lab-a/acct-0', 48, null));
    expect(lifecycle.size).toBe(0);
  });

  it('decides the same after its state is saved as JSON and restored', () => {
    const live = new AlertLifecycle();
    live.decide(hourly('campaign-7', 0, 'medium', 3));
    live.decide(hourly('lab-a/acct-1', 1, 'low'));
    const restored = AlertLifecycle.fromJSON(JSON.parse(JSON.stringify(live)));
    expect(restored.toJSON()).toEqual(live.toJSON());
    const next = [hourly('campaign-7', 2, 'medium', 4), hourly('lab-a/acct-1', 2, 'low'), hourly('lab-a/acct-2', 2, 'low')];
    expect(next.map((w) => restored.decide(w))).toEqual(next.map((w) => live.decide(w)));
  });

  it('rejects a saved state of another format and malformed windows', () => {
    expect(() => AlertLifecycle.fromJSON({ format: 'other', version: 1 })).toThrow(RangeError);
    const lifecycle = new AlertLifecycle();
    expect(() => lifecycle.decide({ ...hourly('x', 0, 'low'), windowEnd: T0 })).toThrow(RangeError);
    expect(() => lifecycle.decide(hourly('x', 0, 'low', 0))).toThrow(RangeError);
  });
});
