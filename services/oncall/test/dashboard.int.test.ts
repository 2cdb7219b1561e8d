// The live dashboard in headless Chromium against the real broker and registry: it refuses
// requests without the token, shows an alert produced while the page is open, filters by
// severity and lab, and for a selected campaign shows its reasons and feature history charts.
// The screenshot goes to a temporary folder, or to docs/ui.png with UPDATE_SCREENSHOTS=1.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES, type AccountFeatures, type DistillationAlert } from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { integrationConfig } from '@distillwatch/platform/harness';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { alertCodec, ensureAlertTopic } from '../src/alertFeed.ts';
import { startDashboard, type Dashboard } from '../src/dashboard.ts';
import { sampleAlert } from './sampleAlerts.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TOKEN = 'ui-test-token';
const HOUR = 3_600_000;
const START = Date.UTC(2026, 2, 2, 0);
const CAMPAIGN = [{ lab: 'lab-a', account_id: 'acct_35a441ee3727' }, { lab: 'lab-b', account_id: 'acct_7b6afd458ebf' }];

/** 24 hourly windows per campaign account: ordinary at first, then harvesting with reasoning prompts. */
function featureRecords(): AccountFeatures[] {
  const records: AccountFeatures[] = [];
  CAMPAIGN.forEach((account, k) => {
    for (let h = 0; h < 24; h++) {
      const ramp = h < 12 ? 0 : (h - 11) / 12;
      const features = Object.fromEntries(FEATURE_NAMES.map((f) => [f, 0]));
      Object.assign(features, {
        requests_log: Math.log1p(40 + 400 * ramp + 10 * k), output_tokens_log: Math.log1p(8000 + 90_000 * ramp),
        high_effort_share: Math.min(1, 0.05 + ramp), reasoning_share: Math.min(1, 0.1 + 0.9 * ramp), topics_touched_log: Math.log1p(3 + 20 * ramp),
      });
      records.push({
        ...account, window_start: START + h * HOUR, window_end: START + (h + 1) * HOUR, events: 40 + Math.round(400 * ramp),
        first_event_time: START + h * HOUR + 1000, last_event_time: START + (h + 1) * HOUR - 1000, spend_usd_window: 2 + 40 * ramp, spend_usd_30d: 100 + 400 * ramp,
        features, topics: [{ topic: 'math', count: 10 }], template_sketch: [], payment_fingerprints: ['pf_1'], network_agents: [],
      });
    }
  });
  return records;
}

const olderAlerts: DistillationAlert[] = [
  sampleAlert({ alert_id: 'alert-old-low', subject_kind: 'account', subject_id: 'lab-c/acct_eval_runner', accounts: [{ lab: 'lab-c', account_id: 'acct_eval_runner' }], severity: 'low', score: 0.601, window_start: START + 14 * HOUR, window_end: START + 15 * HOUR, spend_usd_30d_all_labs: 180, kyc_tier: 'consumer' }),
  sampleAlert({ alert_id: 'alert-old-medium', subject_kind: 'account', subject_id: 'lab-b/acct_research', accounts: [{ lab: 'lab-b', account_id: 'acct_research' }], severity: 'medium', score: 0.63, window_start: START + 16 * HOUR, window_end: START + 17 * HOUR, spend_usd_30d_all_labs: 950, kyc_tier: 'standard' }),
];
const liveAlert = sampleAlert({ alert_id: 'alert-ui-live', subject_id: 'campaign-e9a6425b1adaffe8', accounts: CAMPAIGN, severity: 'critical', score: 0.742, window_start: START + 20 * HOUR, window_end: START + 21 * HOUR });

async function produce(config: PlatformConfig, alerts: DistillationAlert[], features: AccountFeatures[] = []): Promise<void> {
  const kafka = kafkaClient(config, { clientId: 'ui-test' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureAlertTopic(admin, config);
  await ensureAlertTopic(admin, config, 'account-features');
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  if (features.length > 0) {
    const codec = await AvroCodec.forTopic<AccountFeatures>(createRegistryClient(config), prefixed(config, 'account-features'), await readSchemaFile('account-features.avsc'));
    await producer.send({ topic: codec.topic, messages: features.map((f) => ({ key: `${f.lab}/${f.account_id}`, value: codec.encode(f) })) });
  }
  if (alerts.length > 0) {
    const codec = await alertCodec(config);
    await producer.send({ topic: codec.topic, messages: alerts.map((a) => ({ key: a.subject_id, value: codec.encode(a) })) });
  }
  await producer.disconnect();
}

function status(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject).end();
  });
}

describe('distillwatch ui', () => {
  let config: PlatformConfig;
  let dashboard: Dashboard;
  let browser: BrowserContext;
  const dir = mkdtempSync(join(tmpdir(), 'dw-ui-'));

  beforeAll(async () => {
    config = await integrationConfig('ui');
    await produce(config, olderAlerts, featureRecords());
    dashboard = await startDashboard(config, { port: 0, token: TOKEN });
    await dashboard.ready;
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses every request without the token, and requests for another host', async () => {
    expect(await status(dashboard.url)).toBe(401);
    expect(await status(`${dashboard.url}events`)).toBe(401);
    expect(await status(`${dashboard.url}api/subject?id=x`, { authorization: 'Bearer wrong' })).toBe(401);
    expect(await status(`${dashboard.url}api/alerts`, { authorization: `Bearer ${TOKEN}` })).toBe(200);
    expect(await status(`${dashboard.url}api/alerts`, { authorization: `Bearer ${TOKEN}`, host: 'evil.example:80' })).toBe(421);
  });

  it('shows an alert produced while the page is open, filters it, and charts the selected subject', async () => {
    const page = await browser.newPage();
    await page.goto(`${dashboard.url}?token=${TOKEN}`);
    expect(new URL(page.url()).search).toBe('');
    await page.waitForSelector('tr[data-alert-id="alert-old-medium"]');
    await page.waitForSelector('#status:text("live")');

    await produce(config, [liveAlert]);
    const row = await page.waitForSelector('tr[data-alert-id="alert-ui-live"]', { timeout: 30_000 });
    expect(await row.textContent()).toContain('critical');
    expect(await row.textContent()).toContain('campaign campaign-e9a6425b1adaffe8');

    await page.selectOption('#severity', 'medium');
    await page.waitForSelector('tr[data-alert-id="alert-old-low"]', { state: 'detached' });
    await page.selectOption('#lab', 'lab-a');
    await page.waitForSelector('tr[data-alert-id="alert-old-medium"]', { state: 'detached' });
    expect(await page.$$eval('#alerts tbody tr', (rows) => rows.map((r) => r.getAttribute('data-alert-id')))).toEqual(['alert-ui-live']);
    await page.selectOption('#lab', '');

    await page.click('tr[data-alert-id="alert-ui-live"]');
    await page.waitForSelector('#charts figure svg');
    const charts = await page.$$eval('#charts figure', (figures) => figures.map((f) => ({
      feature: f.getAttribute('data-feature'), lines: f.querySelectorAll('g.mark-line path').length,
    })));
    expect(charts.map((c) => c.feature)).toEqual(['high_effort_share', 'reasoning_share', 'requests_log', 'output_tokens_log']);
    for (const c of charts) expect(c.lines, c.feature).toBe(2);
    expect(await page.$$eval('#reasons tbody tr', (rows) => rows.length)).toBe(4);
    expect(await page.textContent('#detail-title')).toBe('campaign campaign-e9a6425b1adaffe8');

    const shot = process.env.UPDATE_SCREENSHOTS === '1' ? join(import.meta.dirname, '..', '..', '..', 'docs', 'ui.png') : join(dir, 'ui.png');
    const png = await page.screenshot({ path: shot, fullPage: true });
    expect(png.length).toBeGreaterThan(10_000);
  });
});
