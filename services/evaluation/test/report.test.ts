import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics, evaluateDetector, parseAlertLine, parseLabels, renderReport, type Flag } from '../src/index.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const labels = parseLabels(fixture('labels.json'), 'labels.json');
const alerts = fixture('alerts.ndjson').split('\n').map((line, i) => parseAlertLine(line, i + 1, 'alerts.ndjson')).filter((a): a is Flag => a !== null);
const spendFlags: Flag[] = [{ accounts: [{ lab: 'lab-a', account_id: 'b3' }], time: labels.start_time + 30 * 3_600_000, score: 1, id: 'spend:b3' }];
const evaluation = evaluateDetector(labels, alerts, [
  { rule: 'spend_5000_usd_30d_per_lab_account', definition: 'spend line.', metrics: computeMetrics(labels, spendFlags) },
  { rule: 'volume_p99_requests_per_account_hour', definition: 'volume line.', metrics: computeMetrics(labels, alerts.slice(0, 1)) },
]);

// Headless Chromium as Debian packages it (apt-get install chromium), with a fresh profile.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('evaluate: HTML report', () => {
  let dir: string;
  let browser: BrowserContext;
  let html: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dw-report-'));
    html = await renderReport(evaluation);
    writeFileSync(join(dir, 'index.html'), html);
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1000, height: 800 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is deterministic: the same evaluation renders the same page', async () => {
    expect(await renderReport(evaluation)).toBe(html);
  });

  it('is self-contained: no scripts and nothing fetched', () => {
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('shows every plot as an SVG with drawn marks in a real browser', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    const figures = await page.$$eval('figure', (nodes) => nodes.map((f) => ({
      id: f.id,
      svg: f.querySelector('svg') !== null,
      marks: f.querySelectorAll('svg g.mark-rect path, svg g.mark-symbol path, svg g.mark-line path').length,
      width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
    })));
    expect(figures.map((f) => f.id)).toEqual(['scores', 'curve', 'ttd', 'baselines', 'recall-by-archetype', 'benign-by-archetype']);
    for (const f of figures) {
      expect(f.svg, f.id).toBe(true);
      expect(f.marks, f.id).toBeGreaterThan(0);
      expect(f.width, f.id).toBeGreaterThan(300);
    }
    // The time-to-detect plot has one dot per caught campaign and system.
    const ttdDots = await page.$$eval('#ttd svg g.mark-symbol path', (nodes) => nodes.length);
    expect(ttdDots).toBe(2 + 1);
    await page.close();
  });
});
