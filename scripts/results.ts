// `pnpm results`: the README's results table, from nothing but the repository. For each seed it
// runs simulate -> detect -> evaluate on the default scenario (files under out/results/,
// git-ignored), then prints one markdown table: the detector against the two baselines
// (per-lab $5,000-a-month spend rule, volume rule). The HTML report of the first seed is kept
// in out/results/report-<seed>/; `--screenshot F` also renders it to a PNG with Debian's
// headless Chromium (docs/report.png is made so).
// With `--populations`, it then prints the README's second table, the detector alone across
// populations side by side: the own simulator's `wide` scenario (seeds --wide-seeds) and the
// held-out traffic model written blind (`services/heldout`, seeds --heldout-seeds, 7 days), whose
// figures are reported and never tuned to.
// Usage: node scripts/results.ts [--seeds 7,11,23] [--scenario default] [--screenshot docs/report.png]
//        [--populations [--wide-seeds 7,11] [--heldout-seeds 1]]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: {
  seeds: { type: 'string', default: '7,11,23' }, scenario: { type: 'string', default: 'default' }, screenshot: { type: 'string' },
  populations: { type: 'boolean', default: false }, 'wide-seeds': { type: 'string', default: '7,11' }, 'heldout-seeds': { type: 'string', default: '1' },
} });
const seeds = values.seeds.split(',').map((s) => Number.parseInt(s, 10));
const outDir = join(root, 'out', 'results');
mkdirSync(outDir, { recursive: true });

function cli(args: string[], main = 'services/cli/src/main.ts'): string {
  const r = spawnSync(process.execPath, [join(root, main), ...args], {
    cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`${main} ${args.join(' ')} exited ${r.status}`);
  return r.stdout;
}

/** Renders the report's first screens to a PNG with headless Chromium (flags for a closed network). */
function screenshot(page: string, png: string): void {
  const r = spawnSync('chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${join(outDir, 'chromium-profile')}`,
    '--window-size=1000,1500', `--screenshot=${png}`, `file://${page}`,
  ], { stdio: ['ignore', 'ignore', 'ignore'], timeout: 60_000 });
  if (r.status !== 0) throw new Error(`chromium could not render ${page} (is Debian's chromium installed?)`);
  process.stderr.write(`results: report picture written to ${png}\n`);
}

interface Ratio { hits: number; of: number; rate: number }
interface Metrics {
  campaign_recall: Ratio;
  member_account_recall: Ratio;
  pages_per_day: number | null;
  campaign_recall_by_archetype: Record<string, Ratio>;
  benign_flagged: Ratio;
  precision: Ratio;
  time_to_detect_hours: { median: number | null; p90: number | null };
}
interface Evaluation { detector: Metrics; baselines: Array<{ rule: string; metrics: Metrics }> }

const rows: Array<{ seed: number; name: string; m: Metrics }> = [];
for (const [i, seed] of seeds.entries()) {
  const events = join(outDir, `events-${seed}.ndjson`);
  const labels = join(outDir, `labels-${seed}.json`);
  const alerts = join(outDir, `alerts-${seed}.ndjson`);
  const scores = join(outDir, `scores-${seed}.ndjson`);
  process.stderr.write(`results: seed ${seed}: simulate, detect, evaluate\n`);
  cli(['simulate', '--scenario', values.scenario, '--seed', String(seed), '--out', events, '--labels', labels]);
  cli(['detect', '--input', events, '--output', alerts, '--scores-out', scores]);
  const report = i === 0 ? ['--report', join(outDir, `report-${seed}`), '--scores', scores] : [];
  const evaluation = JSON.parse(cli(['evaluate', '--alerts', alerts, '--labels', labels, ...report])) as Evaluation;
  if (i === 0 && values.screenshot) screenshot(join(outDir, `report-${seed}`, 'index.html'), join(root, values.screenshot));
  rows.push({ seed, name: 'distillwatch', m: evaluation.detector });
  for (const b of evaluation.baselines) {
    rows.push({ seed, name: b.rule.startsWith('spend') ? '$5,000/month per-lab spend rule' : 'volume rule (p99 requests/hour)', m: b.metrics });
  }
}

const pct = (r: Ratio) => `${(100 * r.rate).toFixed(1)} % (${r.hits}/${r.of})`;
const hours = (h: number | null) => (h === null ? '–' : `${h.toFixed(1)} h`);
const split = (m: Metrics) => {
  const parts = ['cross_lab_split', 'account_swarm'].map((a) => m.campaign_recall_by_archetype[a]).filter((r): r is Ratio => r !== undefined);
  return `${parts.reduce((s, r) => s + r.hits, 0)}/${parts.reduce((s, r) => s + r.of, 0)}`;
};
const lines = [
  `| seed | detector | campaign recall | split + swarm campaigns caught | benign accounts flagged | alert precision | time to detect (median / p90) |`,
  `| --- | --- | --- | --- | --- | --- | --- |`,
  ...rows.map(({ seed, name, m }) =>
    `| ${seed} | ${name} | ${pct(m.campaign_recall)} | ${split(m)} | ${pct(m.benign_flagged)} | ${m.precision.of === 0 ? '–' : pct(m.precision)} | ${hours(m.time_to_detect_hours.median)} / ${hours(m.time_to_detect_hours.p90)} |`),
];
process.stdout.write(lines.join('\n') + '\n');

/** Detector figures of one population: simulate (or the held-out model), detect, evaluate. */
function population(kind: 'wide' | 'heldout', seed: number): Metrics {
  const events = join(outDir, `${kind}-events-${seed}.ndjson`);
  const labels = join(outDir, `${kind}-labels-${seed}.json`);
  const alerts = join(outDir, `${kind}-alerts-${seed}.ndjson`);
  process.stderr.write(`results: ${kind} seed ${seed}: generate, detect, evaluate\n`);
  if (kind === 'wide') cli(['simulate', '--scenario', 'wide', '--seed', String(seed), '--out', events, '--labels', labels]);
  else cli(['--seed', String(seed), '--days', '7', '--out', events, '--labels', labels], 'services/heldout/src/main.ts');
  cli(['detect', '--input', events, '--output', alerts]);
  return (JSON.parse(cli(['evaluate', '--alerts', alerts, '--labels', labels])) as Evaluation).detector;
}

if (values.populations) {
  const sets = [
    ...rows.filter((r) => r.name === 'distillwatch').map((r) => ({ traffic: `own simulator, ${values.scenario}`, seed: r.seed, m: r.m })),
    ...values['wide-seeds'].split(',').filter(Boolean).map((x) => Number.parseInt(x, 10)).map((seed) => ({ traffic: 'own simulator, wide', seed, m: population('wide', seed) })),
    ...values['heldout-seeds'].split(',').filter(Boolean).map((x) => Number.parseInt(x, 10)).map((seed) => ({ traffic: 'held-out model (blind)', seed, m: population('heldout', seed) })),
  ];
  const perDay = (m: Metrics) => (m.pages_per_day === null ? '–' : m.pages_per_day.toFixed(1));
  process.stdout.write(['',
    '| traffic | seed | campaign recall | member recall | benign accounts flagged | alert precision | pages per day | time to detect (median / p90) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...sets.map(({ traffic, seed, m }) =>
      `| ${traffic} | ${seed} | ${pct(m.campaign_recall)} | ${pct(m.member_account_recall)} | ${pct(m.benign_flagged)} | ${m.precision.of === 0 ? '–' : pct(m.precision)} | ${perDay(m)} | ${hours(m.time_to_detect_hours.median)} / ${hours(m.time_to_detect_hours.p90)} |`),
  ].join('\n') + '\n');
}
