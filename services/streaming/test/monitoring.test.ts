// Checks the operations files in infra/monitoring against the tools and the code: the alerting
// rules with promtool (syntax, and rules firing on synthetic series), the Grafana dashboard
// against @grafana/schema's Dashboard type (tsc) plus the fields Grafana needs to import it, and
// every metric the two files name against the names the services register. It must fail, not
// skip, when promtool is missing (`.ci/run` installs it).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dashboard, Panel, VariableModel } from '@grafana/schema';
import dashboardJson from '../../../infra/monitoring/dashboard.json' with { type: 'json' };
import METRIC_CATALOG from '../src/metricCatalog.json' with { type: 'json' };
import { Metrics, type MetricSpec } from '../src/metrics.ts';

const root = join(import.meta.dirname, '../../..');
const monitoring = join(root, 'infra/monitoring');
// Grafana's published variable kinds; a JSON import widens `type` to string, so it is narrowed
// here at run time and everything else in the file is checked by tsc against the Dashboard type.
const VARIABLE_TYPES = ['query', 'adhoc', 'groupby', 'constant', 'datasource', 'interval', 'textbox', 'custom', 'system', 'snapshot', 'switch'] as const;
function variableOf(v: (typeof dashboardJson.templating.list)[number]): VariableModel {
  const type = VARIABLE_TYPES.find((t) => t === v.type);
  if (!type) throw new Error(`dashboard.json: variable ${v.name} has unknown type ${v.type}`);
  return { ...v, type };
}
const dashboard: Dashboard = { ...dashboardJson, templating: { list: dashboardJson.templating.list.map(variableOf) } };

function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: monitoring, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('promtool not found: install Debian\'s prometheus package (.ci/run does)');
    throw err;
  }
}

/**
 * Metric names the services register (aggregator, scorer, and the federation's bridge and
 * forum): their `metricCatalog.json` entries, and any `metrics.counter|gauge('name', ...)`
 * written in the code beside them.
 */
function registeredMetrics(): Set<string> {
  const dir = join(root, 'services/streaming/src');
  const names = new Set(Object.values(METRIC_CATALOG).flatMap((service) => Object.values(service).map((m) => m.name)));
  const sources = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  for (const file of sources) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/\.(?:counter|gauge)\('([a-z_:][a-z0-9_:]*)'/g)) names.add(m[1]!);
  }
  return names;
}

const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/** Metric names a PromQL expression selects: identifiers that are not functions, keywords, labels or strings. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')                                  // strings
    .replace(/\{[^}]*\}/g, '')                                            // label matchers
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '') // label lists
    .replace(/\[[^\]]*\]/g, '')                                           // ranges and subqueries
    .replace(/\$\w+/g, '');                                               // Grafana variables
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((m) => !/^\s*\(/.test(bare.slice(m.index + m[0].length))) // a function call
    .map((m) => m[0])
    .filter((w) => !PROMQL_WORDS.has(w) && !/^\d/.test(w) && !/^e\d+$/.test(w));
}

/** The `expr:` of every rule in alerts.yml (one line each, as the file is written). */
function ruleExpressions(): string[] {
  return [...readFileSync(join(monitoring, 'alerts.yml'), 'utf8').matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1]!);
}

function panelsOf(d: Dashboard): Panel[] {
  return (d.panels ?? []).flatMap((p) => ('panels' in p && Array.isArray(p.panels) ? p.panels : [p as Panel]));
}

function dashboardExpressions(): string[] {
  return panelsOf(dashboard).flatMap((p) => (p.targets ?? []).map((t) => String(t.expr)));
}

describe('alerting rules', () => {
  it('pass promtool check rules', () => {
    expect(promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: 14 rules found/);
  });

  it('fire on synthetic series as promtool test rules expects (stuck clock, scrape down, commit failures, dead letters, a lagging lab, forum dead letters)', () => {
    expect(promtool('test', 'rules', 'alerts.test.yml')).toMatch(/SUCCESS/);
  });

  it('each have a for:, a severity and on-call annotations', () => {
    const rules = readFileSync(join(monitoring, 'alerts.yml'), 'utf8').split(/^\s+- alert: /m).slice(1);
    expect(rules).toHaveLength(14);
    for (const rule of rules) {
      expect(rule).toMatch(/^\s+for: \d+m$/m);
      expect(rule).toMatch(/severity: (critical|warning)/);
      expect(rule).toMatch(/^\s+summary: ".+"$/m);
      expect(rule).toMatch(/^\s+description: ".+"$/m);
    }
  });
});

describe('Grafana dashboard', () => {
  it('has what Grafana needs to import it: uid, title, schema version, panels with unique ids, a type, a grid position and queries', () => {
    expect(dashboard.uid).toBe('distillwatch-ops');
    expect(dashboard.title).toBeTruthy();
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const panels = panelsOf(dashboard);
    expect(panels.length).toBeGreaterThan(0);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels) {
      expect(p.type).toBe('timeseries');
      expect(p.gridPos).toMatchObject({ h: expect.any(Number), w: expect.any(Number), x: expect.any(Number), y: expect.any(Number) });
      expect(p.gridPos!.x + p.gridPos!.w).toBeLessThanOrEqual(24);
      const targets = p.targets ?? [];
      expect(targets.length).toBeGreaterThan(0);
      expect(new Set(targets.map((t) => t.refId)).size).toBe(targets.length);
      for (const t of targets) expect(typeof t.expr).toBe('string');
    }
  });

  it('shows every metric the services register', () => {
    const shown = new Set(dashboardExpressions().flatMap(metricsIn));
    expect([...registeredMetrics()].filter((m) => !shown.has(m))).toEqual([]);
  });
});

describe('metric names', () => {
  it('the parser finds the metric names in an expression and nothing else', () => {
    expect(metricsIn('sum by (job, instance) (rate(a_total{x="y"}[5m])) / b > 0.01 and on (job) c_ms > 1e5')).toEqual(['a_total', 'b', 'c_ms']);
  });

  it('every metric the dashboard and the rules use is one the services register (or Prometheus up)', () => {
    const known = new Set([...registeredMetrics(), 'up']);
    expect(known.size).toBeGreaterThan(20);
    const used = [...dashboardExpressions(), ...ruleExpressions()].flatMap(metricsIn);
    expect(used.length).toBeGreaterThan(30);
    expect([...new Set(used)].filter((m) => !known.has(m))).toEqual([]);
  });

  it('declares every catalog entry once: a known kind, a unique name, help text', () => {
    const metrics = new Metrics();
    const all = Object.values(METRIC_CATALOG).flatMap((service) => Object.values(service));
    for (const service of Object.values(METRIC_CATALOG)) metrics.declareAll(service as Record<string, MetricSpec>);
    expect(new Set(all.map((m) => m.name)).size).toBe(all.length);
    for (const m of all) {
      expect(m.help.length).toBeGreaterThan(0);
      expect(metrics.render()).toContain(`# TYPE ${m.name} ${m.type}\n`);
    }
    expect(() => metrics.declareAll({ x: { type: 'histogram', name: 'distillwatch_x', help: 'x' } })).toThrow(/unknown kind histogram/);
  });
});
