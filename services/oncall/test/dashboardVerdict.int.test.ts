// The dashboard's verdict buttons against the real broker and registry: POST /api/verdict with
// the token publishes the verdict on an alert of the board to alert-verdicts, filled from the
// alert, from the latest window on the board; without the token, for an unknown alert, or not
// as JSON, nothing is written. Fails when Kafka is not running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertVerdict } from '@distillwatch/core';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { integrationConfig } from '@distillwatch/platform/harness';
import { followRecords } from '../src/alertFeed.ts';
import { startDashboard, type Dashboard } from '../src/dashboard.ts';
import { produceAlerts, sampleAlert } from './sampleAlerts.ts';

const TOKEN = 'verdict-test-token';
const HOUR = 3_600_000;
const older = sampleAlert({ alert_id: 'alert-old', subject_id: 'lab-a/x', subject_kind: 'account', accounts: [{ lab: 'lab-a', account_id: 'x' }] });
const newer = sampleAlert({ alert_id: 'alert-new', window_start: older.window_start + 4 * HOUR, window_end: older.window_end + 4 * HOUR });

describe('distillwatch ui: verdict buttons', () => {
  let config: PlatformConfig;
  let dashboard: Dashboard;
  beforeAll(async () => {
    config = await integrationConfig('ui-verdict');
    await produceAlerts(config, [older, newer], 'ui-verdict-test');
    dashboard = await startDashboard(config, { port: 0, token: TOKEN });
    await dashboard.ready;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const board = await (await fetch(`${dashboard.url}api/alerts`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as unknown[];
      if (board.length === 2) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);
  afterAll(async () => { await dashboard?.close(); });

  const post = (body: unknown, headers: Record<string, string>) =>
    fetch(`${dashboard.url}api/verdict`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses a verdict without the token, on an unknown alert, or not as JSON', async () => {
    expect((await post({ alert_id: 'alert-old', verdict: 'benign' }, {})).status).toBe(401);
    expect((await post({ alert_id: 'alert-nope', verdict: 'benign' }, { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
    expect((await post({ alert_id: 'alert-old', verdict: 'maybe' }, { authorization: `Bearer ${TOKEN}` })).status).toBe(400);
    expect((await post({ alert_id: 'alert-old', verdict: 'benign' }, { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('publishes the verdict filled from the alert, from the latest window on the board', async () => {
    const response = await post({ alert_id: 'alert-old', verdict: 'benign', note: 'known' }, { authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    const expected: AlertVerdict = { verdict_time: newer.window_end, alert_id: 'alert-old', subject_id: 'lab-a/x', accounts: [{ lab: 'lab-a', account_id: 'x' }],
      verdict: 'benign', analyst: 'dashboard', note: 'known', expires_at: null };
    expect(await response.json()).toEqual(expected);
    const onTopic: AlertVerdict[] = [];
    await followRecords<AlertVerdict>(config, { topic: 'alert-verdicts', schemaFile: 'alert-verdict.avsc', fromBeginning: true, stopAtEnd: true, onRecord: (v) => { onTopic.push(v); } });
    expect(onTopic).toEqual([expected]);
  }, 60_000);
});
