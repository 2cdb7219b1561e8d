// What the dashboard keeps in memory stays bounded and answers per subject: recent alerts (a
// re-emitted alert replaces its copy) and each account's latest windows of features.
import { describe, expect, it } from 'vitest';
import type { AccountFeatures } from '@distillwatch/core';
import { chartFeatures } from '../src/dashboardCharts.ts';
import { AlertBoard, FeatureHistory } from '../src/dashboardState.ts';
import { sampleAlert } from './sampleAlerts.ts';

const HOUR = 3_600_000;
function window(account_id: string, hour: number, requests = 10): AccountFeatures {
  return {
    lab: 'lab-a', account_id, window_start: hour * HOUR, window_end: (hour + 1) * HOUR, events: requests, first_event_time: hour * HOUR,
    last_event_time: (hour + 1) * HOUR - 1, spend_usd_window: 1, spend_usd_30d: 1, features: { requests_log: Math.log1p(requests), reasoning_share: 0.5 },
    topics: [], template_sketch: [], payment_fingerprints: [], network_agents: [],
  };
}

describe('AlertBoard', () => {
  it('keeps the most recent alerts, a re-emitted alert once', () => {
    const board = new AlertBoard(2);
    board.add(sampleAlert({ alert_id: 'a1', subject_id: 's1' }));
    board.add(sampleAlert({ alert_id: 'a2', subject_id: 's2' }));
    board.add(sampleAlert({ alert_id: 'a1', subject_id: 's1', severity: 'critical' }));
    expect(board.all().map((a) => [a.alert_id, a.severity])).toEqual([['a2', 'high'], ['a1', 'critical']]);
    board.add(sampleAlert({ alert_id: 'a3', subject_id: 's1' }));
    expect(board.all().map((a) => a.alert_id)).toEqual(['a1', 'a3']);
    expect(board.of('s1').map((a) => a.alert_id)).toEqual(['a1', 'a3']);
  });
});

describe('FeatureHistory', () => {
  it('keeps the latest windows per account in window order, a replayed window once', () => {
    const history = new FeatureHistory(3);
    for (const h of [1, 3, 2, 4]) history.add(window('x', h));
    history.add(window('x', 4, 99));
    const points = history.of([{ lab: 'lab-a', account_id: 'x' }]);
    expect(points.map((p) => p.window_start / HOUR)).toEqual([2, 3, 4]);
    expect(points.at(-1)!.events).toBe(99);
  });

  it('forgets the least recently updated account beyond its bound', () => {
    const history = new FeatureHistory(3, 2);
    history.add(window('x', 1));
    history.add(window('y', 1));
    history.add(window('x', 2));
    history.add(window('z', 1));
    expect(history.accounts).toBe(2);
    expect(history.of([{ lab: 'lab-a', account_id: 'y' }])).toEqual([]);
  });
});

describe('chartFeatures', () => {
  it('charts the reasons that are account features first, then the basics, at most four', () => {
    const history = new FeatureHistory();
    history.add(window('x', 1));
    const alert = sampleAlert({ reasons: [
      { feature: 'rich_output_log', value: 1, baseline: 0, percentile: 99, contribution: 0.5 },
      { feature: 'reasoning_share', value: 1, baseline: 0, percentile: 99, contribution: 0.3 },
    ] });
    expect(chartFeatures([alert], history.of([{ lab: 'lab-a', account_id: 'x' }]))).toEqual(['reasoning_share', 'requests_log']);
    expect(chartFeatures([alert], [])).toEqual([]);
  });
});
