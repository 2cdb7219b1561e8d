// The HTML report of an evaluation: plots a person would rather look at than read (alert
// scores of campaign vs benign accounts, the operating curve, time to detect per campaign,
// the detector against the baseline rules), each a Vega-Lite spec rendered to SVG here on
// the server, plus the tables behind them. Self-contained: no scripts, no network.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Evaluation } from './evaluation.ts';
import type { Metrics, Ratio } from './metrics.ts';

const DETECTOR = 'detector';
const SYSTEM_COLORS = { domain: [DETECTOR, 'spend rule', 'volume rule'], range: ['#1f77b4', '#ff7f0e', '#7f7f7f'] };
const KIND_COLORS = { domain: ['campaign', 'benign', 'unlabelled'], range: ['#d62728', '#2ca02c', '#bbbbbb'] };

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

interface Figure {
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

function systems(e: Evaluation): { name: string; metrics: Metrics }[] {
  const out = [{ name: DETECTOR, metrics: e.detector as Metrics }];
  for (const b of e.baselines ?? []) out.push({ name: b.rule.startsWith('spend') ? 'spend rule' : 'volume rule', metrics: b.metrics });
  return out;
}

const base = { config: { font: 'sans-serif', view: { stroke: null } }, background: 'white' } as const;

/** The report's figures, in page order. */
function figures(e: Evaluation): Figure[] {
  const all = systems(e);
  return [
    scoresFigure(e),
    curveFigure(e, all),
    timeToDetectFigure(e, all),
    baselinesFigure(e, all),
    byArchetypeFigure(all, {
      id: 'recall-by-archetype',
      title: 'Campaign recall by archetype',
      caption: 'Share of campaigns of each archetype with at least one member account alerted.',
      pick: (m) => m.campaign_recall_by_archetype,
      y: { title: 'campaign recall', scale: { domain: [0, 1] } },
    }),
    byArchetypeFigure(all, {
      id: 'benign-by-archetype',
      title: 'Benign accounts flagged, by archetype',
      caption: 'Share of benign accounts of each kind that received at least one alert (lower is better).',
      pick: (m) => m.benign_flagged_by_archetype,
      y: { title: 'share flagged' },
    }),
  ];
}

type Systems = ReturnType<typeof systems>;

/** Score histogram of campaign and benign accounts. */
function scoresFigure(e: Evaluation): Figure {
  return {
    id: 'scores',
    title: e.scores_from_all_windows ? 'Scores of campaign and benign accounts' : 'Alert scores of campaign and benign accounts',
    caption: e.scores_from_all_windows
      ? `Highest score of each account over all its scored windows (${e.account_scores.length} accounts; from detect --scores-out), alerted or not.`
      : `Highest alert score of each alerted account (${e.account_scores.length} accounts). Accounts never alerted have no score and are not shown; pass --scores (from detect --scores-out) to see every account.`,
    spec: {
      ...base,
      width: 640, height: 240,
      data: { values: e.account_scores },
      mark: { type: 'bar', opacity: 0.75 },
      encoding: {
        x: { field: 'score', type: 'quantitative', bin: { maxbins: 40 }, title: 'score' },
        y: { aggregate: 'count', type: 'quantitative', title: 'accounts', stack: null, scale: { type: 'symlog' } },
        color: { field: 'kind', type: 'nominal', scale: KIND_COLORS, title: 'account' },
      },
    },
  };
}

/** The operating curve of the detector, with a dot per system at its alerts. */
function curveFigure(e: Evaluation, all: Systems): Figure {
  const curve = e.detector.operating_curve.map((p) => ({ ...p, system: DETECTOR }));
  const points = all.map((s) => ({ system: s.name, benign_flag_rate: s.metrics.benign_flagged.rate, campaign_recall: s.metrics.campaign_recall.rate }));
  return {
    id: 'curve',
    title: 'Campaign recall against benign accounts flagged',
    caption: e.scores_from_all_windows
      ? 'The line sweeps a threshold over every scored window (a window scoring at least the threshold flags the accounts it covers; before confirmation and the alert lifecycle). Large dots: each system with all its alerts.'
      : 'The line sweeps a threshold over the alerts\' own scores (alerts scoring at least the threshold are kept). Large dots: each system with all its alerts.',
    spec: {
      ...base,
      width: 640, height: 300,
      layer: [
        {
          data: { values: curve },
          mark: { type: 'line', point: true, interpolate: 'step-after' },
          encoding: {
            // symlog: what matters is the first percent of benign accounts, not the whole axis.
            x: { field: 'benign_flag_rate', type: 'quantitative', title: 'share of benign accounts flagged (symlog)', axis: { format: '.1%', values: [0, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1] }, scale: { type: 'symlog', constant: 0.002 } },
            y: { field: 'campaign_recall', type: 'quantitative', title: 'campaign recall', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
            color: { field: 'system', type: 'nominal', scale: SYSTEM_COLORS, title: 'system' },
            tooltip: [{ field: 'threshold' }, { field: 'flags' }],
          },
        },
        {
          data: { values: points },
          mark: { type: 'point', filled: true, size: 160 },
          encoding: {
            x: { field: 'benign_flag_rate', type: 'quantitative', scale: { type: 'symlog', constant: 0.002 } },
            y: { field: 'campaign_recall', type: 'quantitative' },
            color: { field: 'system', type: 'nominal', scale: SYSTEM_COLORS },
            shape: { field: 'system', type: 'nominal', legend: null },
          },
        },
      ],
    },
  };
}

/** Hours to detect each campaign, per system. */
function timeToDetectFigure(e: Evaluation, all: Systems): Figure {
  const ttd = all.flatMap((s) => s.metrics.campaigns.filter((c) => c.caught).map((c) => ({ system: s.name, campaign: c.campaign_id, archetype: c.archetype, hours: c.time_to_detect_hours })));
  const order = (e.detector.campaigns.map((c) => c.campaign_id));
  return {
    id: 'ttd',
    title: 'Time to detect, per campaign',
    caption: 'Hours from a campaign\'s first event to the first alert (window end) covering any of its accounts. Missing dots: not caught by that system.',
    spec: {
      ...base,
      width: 640, height: { step: 16 },
      data: { values: ttd },
      mark: { type: 'point', filled: true, size: 70 },
      encoding: {
        y: { field: 'campaign', type: 'nominal', sort: order, title: null, scale: { domain: order } },
        x: { field: 'hours', type: 'quantitative', title: 'hours to detect' },
        color: { field: 'system', type: 'nominal', scale: SYSTEM_COLORS, title: 'system' },
        shape: { field: 'system', type: 'nominal', legend: null },
        tooltip: [{ field: 'archetype' }, { field: 'hours' }],
      },
    },
  };
}

/** The headline metrics of every system side by side. */
function baselinesFigure(e: Evaluation, all: Systems): Figure {
  const compare = all.flatMap((s) => [
    { system: s.name, metric: 'campaign recall', value: s.metrics.campaign_recall.rate },
    { system: s.name, metric: 'member-account recall', value: s.metrics.member_account_recall.rate },
    { system: s.name, metric: 'benign accounts flagged', value: s.metrics.benign_flagged.rate },
    { system: s.name, metric: 'alert precision', value: s.metrics.precision.rate },
  ]).filter((d) => d.value !== null);
  return {
    id: 'baselines',
    title: 'Detector against the baseline rules',
    caption: (e.baselines ?? []).map((b) => `${b.rule}: ${b.definition}`).join(' ') || 'No events file was given, so the baselines could not be computed.',
    spec: {
      ...base,
      width: 640, height: 260,
      data: { values: compare },
      mark: 'bar',
      encoding: {
        x: { field: 'metric', type: 'nominal', title: null, sort: ['campaign recall', 'member-account recall', 'benign accounts flagged', 'alert precision'], axis: { labelAngle: 0, labelLimit: 200 } },
        xOffset: { field: 'system', type: 'nominal', sort: SYSTEM_COLORS.domain },
        y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] }, axis: { format: '.0%' } },
        color: { field: 'system', type: 'nominal', scale: SYSTEM_COLORS, title: 'system' },
      },
    },
  };
}

interface ArchetypeFigure {
  id: string;
  title: string;
  caption: string;
  pick(m: Metrics): Record<string, Ratio>;
  y: { title: string; scale?: { domain: [number, number] } };
}

/** One rate per archetype and system, as grouped bars. */
function byArchetypeFigure(all: Systems, f: ArchetypeFigure): Figure {
  const values = all.flatMap((s) => Object.entries(f.pick(s.metrics)).map(([archetype, r]) => ({ system: s.name, archetype, rate: r.rate, label: `${r.hits}/${r.of}` })));
  return {
    id: f.id,
    title: f.title,
    caption: f.caption,
    spec: {
      ...base,
      width: 640, height: 240,
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'archetype', type: 'nominal', title: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'system', type: 'nominal', sort: SYSTEM_COLORS.domain },
        y: { field: 'rate', type: 'quantitative', title: f.y.title, ...(f.y.scale ? { scale: f.y.scale } : {}), axis: { format: '.0%' } },
        color: { field: 'system', type: 'nominal', scale: SYSTEM_COLORS, title: 'system' },
        tooltip: [{ field: 'label' }],
      },
    },
  };
}

const escape = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const pct = (r: Ratio): string => (r.rate === null ? 'n/a' : `${(r.rate * 100).toFixed(1)}% (${r.hits}/${r.of})`);
const hours = (h: number | null): string => (h === null ? 'n/a' : `${h.toFixed(1)} h`);

function summaryTable(e: Evaluation): string {
  const rows = systems(e).map((s) => {
    const m = s.metrics;
    return `<tr><th>${escape(s.name)}</th><td>${pct(m.campaign_recall)}</td><td>${pct(m.member_account_recall)}</td><td>${pct(m.benign_flagged)}</td><td>${pct(m.precision)}</td><td>${hours(m.time_to_detect_hours.median)}</td><td>${hours(m.time_to_detect_hours.p90)}</td></tr>`;
  });
  return `<table><thead><tr><th></th><th>campaign recall</th><th>member-account recall</th><th>benign accounts flagged</th><th>alert precision</th><th>time to detect, median</th><th>p90</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function campaignTable(e: Evaluation): string {
  const others = systems(e).slice(1);
  const head = ['campaign', 'archetype', 'accounts', 'detector: flagged', 'detector: time to detect', ...others.map((s) => `${s.name}: time to detect`)];
  const rows = e.detector.campaigns.map((c) => {
    const base = [c.campaign_id, c.archetype, String(c.members), `${c.members_flagged}/${c.members}`, c.caught ? hours(c.time_to_detect_hours) : 'missed'];
    for (const s of others) {
      const o = s.metrics.campaigns.find((x) => x.campaign_id === c.campaign_id);
      base.push(o?.caught ? hours(o.time_to_detect_hours) : 'missed');
    }
    return `<tr>${base.map((v) => `<td>${escape(v)}</td>`).join('')}</tr>`;
  });
  return `<table><thead><tr>${head.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const STYLE = `body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em}figure{margin:1.5em 0}figcaption{color:#555;font-size:.9em;max-width:700px}
table{border-collapse:collapse;font-size:.9em;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:.3em .7em;text-align:left}
`;

/** The report as one self-contained HTML page. */
export async function renderReport(e: Evaluation): Promise<string> {
  const figs = figures(e);
  const rendered = await Promise.all(figs.map(async (f) => `<figure id="${f.id}"><h2>${escape(f.title)}</h2>${await toSvg(f.spec)}<figcaption>${escape(f.caption)}</figcaption></figure>`));
  const l = e.labels;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>distillwatch evaluation: ${escape(l.scenario)} (seed ${l.seed})</title><style>${STYLE}</style></head>
<body>
<h1>distillwatch evaluation</h1>
<p>Scenario <b>${escape(l.scenario)}</b>, seed ${l.seed}: ${l.campaigns} campaigns over ${l.campaign_accounts} accounts, ${l.benign_accounts} benign accounts; ${e.detector.flags} alerts.</p>
${summaryTable(e)}
${rendered.join('\n')}
<h2>Campaigns</h2>
${campaignTable(e)}
</body></html>
`;
}
