import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const fixtures = join(repo, 'services/evaluation/test/fixtures');
const dir = mkdtempSync(join(tmpdir(), 'dw-evaluate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['services/cli/src/main.ts', ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('distillwatch evaluate', () => {
  it('prints the metrics of the alerts against the labels as JSON on stdout', () => {
    const result = cli('evaluate', '--alerts', join(fixtures, 'alerts.ndjson'), '--labels', join(fixtures, 'labels.json'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const metrics = JSON.parse(result.stdout);
    expect(metrics.detector.campaign_recall).toEqual({ hits: 2, of: 3, rate: 0.666667 });
    expect(metrics.detector.precision.rate).toBe(0.6);
    expect(metrics.detector.time_to_detect_hours).toEqual({ median: 2, p90: 3, caught: 2 });
    expect(metrics.baselines).toBeNull();
  });

  it('names the file, line and field of a bad alert, in one line, exit 2', () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, readFileSync(join(fixtures, 'alerts.ndjson'), 'utf8') + '{"accounts": [{"lab": "lab-a", "account_id": "a1"}], "score": 0.5}\n');
    const result = cli('evaluate', '--alerts', bad, '--labels', join(fixtures, 'labels.json'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`distillwatch: ${bad}:6: field 'window_end': expected epoch milliseconds\n`);
    expect(result.stdout).toBe('');
  });

  it('fails with one line when the labels file is missing', () => {
    const result = cli('evaluate', '--alerts', join(fixtures, 'alerts.ndjson'), '--labels', join(dir, 'none.json'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`distillwatch: ${join(dir, 'none.json')}: no such file\n`);
  });

  // End to end: simulate -> detect -> evaluate (baselines from the events the labels point
  // at) -> the report in headless Chromium.
  it('scores a real detection run against both baselines and renders the report', async () => {
    const run = join(dir, 'run');
    mkdirSync(run);
    expect(cli('simulate', '--scenario', 'small', '--seed', '1', '--out', join(run, 'events.ndjson'), '--labels', join(run, 'labels.json')).status).toBe(0);
    const detect = cli('detect', '--input', join(run, 'events.ndjson'), '--output', join(run, 'alerts.ndjson'));
    expect(detect.status, detect.stderr).toBe(0);
    const result = cli('evaluate', '--alerts', join(run, 'alerts.ndjson'), '--labels', join(run, 'labels.json'), '--report', join(run, 'report'));
    expect(result.status, result.stderr).toBe(0);
    const metrics = JSON.parse(result.stdout);
    expect(metrics.labels).toMatchObject({ scenario: 'small', seed: 1, campaigns: 10 });
    expect(metrics.baselines.map((b: { rule: string }) => b.rule)).toEqual(['spend_5000_usd_30d_per_lab_account', 'volume_p99_requests_per_account_hour']);
    expect(metrics.baselines[0].metrics.campaign_recall.of).toBe(10);
    expect(existsSync(join(run, 'report/index.html'))).toBe(true);

    const browser = await chromium.launchPersistentContext(join(run, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1000, height: 900 } });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(run, 'report/index.html')).href);
      const marks = await page.$$eval('figure', (nodes) => nodes.map((f) => f.querySelectorAll('svg g.mark-rect path, svg g.mark-symbol path, svg g.mark-line path').length));
      expect(marks.length).toBe(6);
      for (const n of marks) expect(n).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
