// The feature history of a subject as charts: one small Vega-Lite line chart per feature (one
// line per account, the alerted windows marked), rendered to SVG on the server so the page
// needs no charting code. Which features: the alert's reasons that are account features, then
// the basic volume and elicitation ones, at most four. Pure apart from Vega's rendering.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { DistillationAlert } from '@distillwatch/core';
import type { FeaturePoint } from './dashboardState.ts';

const FALLBACK_FEATURES = ['requests_log', 'output_tokens_log', 'topics_touched_log', 'reasoning_share', 'spend_log'];
export const CHARTS_PER_SUBJECT = 4;

export interface FeatureChart {
  feature: string;
  svg: string;
}

/** Features to chart for these alerts and points: reasons first (most recent alert), then basics. */
export function chartFeatures(alerts: readonly DistillationAlert[], points: readonly FeaturePoint[]): string[] {
  const known = new Set(points.flatMap((p) => Object.keys(p.features)));
  const wanted = [...(alerts.at(-1)?.reasons.map((r) => r.feature) ?? []), ...FALLBACK_FEATURES];
  return [...new Set(wanted)].filter((f) => known.has(f)).slice(0, CHARTS_PER_SUBJECT);
}

export function featureSpec(feature: string, alerts: readonly DistillationAlert[], points: readonly FeaturePoint[]): TopLevelSpec {
  const values = points.map((p) => ({ time: p.window_start, value: p.features[feature] ?? null, account: `${p.lab}/${p.account_id}` }));
  const marks = alerts.map((a) => ({ time: a.window_start, severity: a.severity }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: feature, anchor: 'start', fontSize: 12 },
    width: 440, height: 100, background: 'white',
    config: { font: 'sans-serif', view: { stroke: null }, axis: { labelFontSize: 10, titleFontSize: 10 } },
    layer: [
      {
        data: { values: marks },
        mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3] },
        encoding: { x: { field: 'time', type: 'temporal' } },
      },
      {
        data: { values },
        mark: { type: 'line', point: { size: 18 }, interpolate: 'monotone' },
        encoding: {
          x: { field: 'time', type: 'temporal', title: 'window (UTC)', axis: { format: '%d %H:%M' }, scale: { type: 'utc' } },
          y: { field: 'value', type: 'quantitative', title: null },
          color: { field: 'account', type: 'nominal', legend: new Set(values.map((v) => v.account)).size > 1 ? { orient: 'bottom', title: null, labelLimit: 400 } : null },
        },
      },
    ],
  } as TopLevelSpec;
}

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function featureCharts(alerts: readonly DistillationAlert[], points: readonly FeaturePoint[]): Promise<FeatureChart[]> {
  const charts: FeatureChart[] = [];
  for (const feature of chartFeatures(alerts, points)) charts.push({ feature, svg: await toSvg(featureSpec(feature, alerts, points)) });
  return charts;
}
