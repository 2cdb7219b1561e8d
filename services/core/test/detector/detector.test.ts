import { describe, expect, it } from 'vitest';
import type { AccountFeatures, DistillationAlert, UsageEvent } from '../../src/schemas.generated.ts';
import { Detector, LATE } from '../../src/detector/detector.ts';
import { ScoringStage } from '../../src/pipeline/scoringStage.ts';
import { parseDetectorConfig, type DetectorConfig } from '../../src/detector/config.ts';
import type { WindowScorer } from '../../src/detector/scorer.ts';
import { HOUR, maxLag, population, repartition, T0 } from './population.ts';

function detect(events: readonly UsageEvent[], config: DetectorConfig = parseDetectorConfig({})): DistillationAlert[] {
  const detector = new Detector(config);
  const alerts: DistillationAlert[] = [];
  for (const e of events) {
    const released = detector.pushEvent(e);
    if (released === LATE) throw new Error(`test event ${e.event_id} was late`);
    alerts.push(...released);
  }
  alerts.push(...detector.flush());
  return alerts;
}

const traffic = population(11);
const idleGraceMs = parseDetectorConfig({}).windows.idleGraceMs;
// Single accounts alert on their first window above the threshold, so more alerts can differ.
const eager = parseDetectorConfig({ scorer: { confirmation: { windows: 1 } } });
const baseline = detect(traffic.events);
const baselineEager = detect(traffic.events, eager);

describe('Detector: determinism', () => {
  it('raises alerts on the population (the comparisons below are not vacuous)', () => {
    expect(baseline.length).toBeGreaterThan(0);
    expect(baselineEager.length).toBeGreaterThan(0);
  });

  it('gives byte-identical alerts for the same events twice', () => {
    expect(JSON.stringify(detect(traffic.events))).toBe(JSON.stringify(baseline));
  });

  it('orders alerts by window_end, then alert_id', () => {
    const keys = baseline.map((a) => [a.window_end, a.alert_id] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    expect(keys).toEqual(sorted);
  });
});

describe('Detector: the same alerts however the stream is partitioned by account', () => {
  // What the streaming services rely on: a Kafka topic keyed by account keeps each account's
  // order but interleaves partitions arbitrarily.
  for (const [partitions, seed] of [[2, 1], [4, 2], [7, 3]] as const) {
    it(`gives the same alerts when ${partitions} account partitions are interleaved at random (seed ${seed})`, () => {
      const shuffled = repartition(traffic.events, partitions, seed, idleGraceMs);
      expect(shuffled).not.toEqual(traffic.events);
      expect(maxLag(shuffled)).toBeLessThanOrEqual(idleGraceMs);
      expect(JSON.stringify(detect(shuffled, eager))).toBe(JSON.stringify(baselineEager));
    });
  }

  it('keeps the alerts of everyone else when one account sends a far-future event', () => {
    const stray: UsageEvent = { ...traffic.events[0]!, event_id: 'stray-1', account_id: 'clock-skewed',
      event_time: T0 + 400 * 24 * HOUR, payment_fingerprint: 'card-stray', ip_prefix: '192.0.2.0/24', api_key_id: 'key-stray' };
    const middle = Math.floor(traffic.events.length / 2);
    const events = [...traffic.events.slice(0, middle), stray, ...traffic.events.slice(middle)];
    const others = detect(events, eager).filter((a) => a.accounts.every((r) => r.account_id !== 'clock-skewed'));
    expect(JSON.stringify(others)).toBe(JSON.stringify(baselineEager));
  });
});

describe('Detector: lines', () => {
  it('counts blank lines, rejects malformed ones for the dead-letter output, and dead-letters late events', () => {
    const detector = new Detector();
    const event = (id: string, time: number) => JSON.stringify({ ...traffic.events[0], event_id: id, event_time: time });
    expect(detector.pushLine(event('a', T0 + 10 * 60_000), 1)).toEqual({ rejection: null, alerts: [] });
    expect(detector.pushLine('', 2)).toEqual({ rejection: null, alerts: [] });
    expect(detector.pushLine('{"event_id": 3}', 3).rejection).toMatchObject({ line: 3, field: 'event_id' });
    expect(detector.pushLine(event('b', T0), 4).rejection).toEqual({ line: 4, reason: 'late', field: 'event_time', raw: event('b', T0) });
    expect(detector.pushLine(event('a', T0 + 10 * 60_000), 5)).toEqual({ rejection: null, alerts: [] });
    expect(detector.counters).toMatchObject({ lines: 5, blank: 1, events: 3, rejected: 1, late: 1, duplicates: 1 });
  });
});

describe('ScoringStage: the window queue', () => {
  function recordingQueue() {
    const scored: Array<{ start: number; end: number; accounts: string[] }> = [];
    const scorer = {
      scoreWindow(start: number, end: number, records: readonly AccountFeatures[]) {
        scored.push({ start, end, accounts: records.map((r) => r.account_id) });
        return [];
      },
      currentModel: null,
    } as unknown as WindowScorer;
    const stage = new ScoringStage(scorer);
    return { queue: { add: (r: AccountFeatures) => stage.add(r), scoreThrough: (t: number) => stage.scoreThrough(t), get pendingWindows() { return stage.queue.pendingWindows; } }, scored };
  }
  const record = (account_id: string, hour: number) =>
    ({ lab: 'lab-a', account_id, window_start: T0 + hour * HOUR, window_end: T0 + (hour + 1) * HOUR }) as AccountFeatures;

  it('scores a window only once it is complete, with every account-window it received', () => {
    const { queue, scored } = recordingQueue();
    queue.add(record('a', 0));
    queue.add(record('b', 0));
    queue.scoreThrough(T0 + HOUR - 1);
    expect(scored).toEqual([]);
    expect(queue.pendingWindows).toBe(1);
    queue.scoreThrough(T0 + HOUR);
    expect(scored).toEqual([{ start: T0, end: T0 + HOUR, accounts: ['a', 'b'] }]);
    expect(queue.pendingWindows).toBe(0);
  });

  it('scores complete windows oldest first, whatever order their records came in', () => {
    const { queue, scored } = recordingQueue();
    queue.add(record('a', 2));
    queue.add(record('a', 0));
    queue.add(record('b', 1));
    queue.add(record('c', 3));
    queue.scoreThrough(T0 + 3 * HOUR);
    expect(scored.map((s) => s.end)).toEqual([T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    expect(queue.pendingWindows).toBe(1);
  });

  it('counts a record for an already scored window as dropped and never scores it', () => {
    const { queue, scored } = recordingQueue();
    queue.add(record('a', 0));
    queue.add(record('a', 1));
    queue.scoreThrough(T0 + 2 * HOUR);
    const kept = [queue.add(record('late', 0)), queue.add(record('late', 1))];
    queue.scoreThrough(Number.POSITIVE_INFINITY);
    expect(kept.filter((k) => !k).length).toBe(2);
    expect(scored.flatMap((s) => s.accounts)).toEqual(['a', 'a']);
  });
});
