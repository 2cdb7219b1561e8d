import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeMetrics, operatingCurve, parseAlertLine, parseLabels, percentile, type Flag } from '../src/index.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const labels = parseLabels(fixture('labels.json'), 'labels.json');
const alerts = fixture('alerts.ndjson').split('\n').map((line, i) => parseAlertLine(line, i + 1, 'alerts.ndjson')).filter((a): a is Flag => a !== null);

// The fixture: three campaigns (a sweep with one account, a swarm of three, a split across
// two labs), four active benign accounts and one silent one, and five alerts: a1 at 3 h, the
// swarm's s1+s2 at 15 h, the SaaS app at 4 h, s1 with the eval runner at 12 h, and one
// account the labels do not know.
describe('evaluate: detector metrics on a hand-built fixture', () => {
  const m = computeMetrics(labels, alerts);

  it('catches a campaign when any alert covers any of its accounts', () => {
    expect(m.campaign_recall).toEqual({ hits: 2, of: 3, rate: 0.666667 });
    expect(m.campaign_recall_by_archetype).toEqual({
      account_swarm: { hits: 1, of: 1, rate: 1 },
      coverage_sweep: { hits: 1, of: 1, rate: 1 },
      cross_lab_split: { hits: 0, of: 1, rate: 0 },
    });
  });

  it('counts member accounts covered, not campaigns', () => {
    expect(m.member_account_recall).toEqual({ hits: 3, of: 6, rate: 0.5 });
  });

  it('counts benign accounts flagged among those that sent events, per archetype', () => {
    expect(m.benign_flagged).toEqual({ hits: 2, of: 4, rate: 0.5 });
    expect(m.benign_flagged_by_archetype).toEqual({
      eval_runner: { hits: 1, of: 1, rate: 1 },
      individual: { hits: 0, of: 2, rate: 0 },
      saas_app: { hits: 1, of: 1, rate: 1 },
    });
  });

  it('counts an alert as precise when it covers at least one campaign account', () => {
    expect(m.precision).toEqual({ hits: 3, of: 5, rate: 0.6 });
    expect(m.unlabelled_accounts).toBe(1);
  });

  it('measures time to detect from the first event to the earliest covering window end', () => {
    const byId = Object.fromEntries(m.campaigns.map((c) => [c.campaign_id, c]));
    expect(byId['coverage_sweep-01']!.time_to_detect_hours).toBe(3);
    // s1's earliest alert is the 12 h one, not the 15 h campaign alert.
    expect(byId['account_swarm-01']!.time_to_detect_hours).toBe(2);
    expect(byId['account_swarm-01']!.members_flagged).toBe(2);
    expect(byId['cross_lab_split-01']).toMatchObject({ caught: false, time_to_detect_hours: null, first_flag_time: null });
    expect(m.time_to_detect_hours).toEqual({ median: 2, p90: 3, caught: 2 });
  });

  it('reports member recall per archetype and pages per day of data', () => {
    expect(m.member_account_recall_by_archetype).toEqual({
      account_swarm: { hits: 2, of: 3, rate: 0.666667 },
      coverage_sweep: { hits: 1, of: 1, rate: 1 },
      cross_lab_split: { hits: 0, of: 2, rate: 0 },
    });
    // Five alerts over the fixture's two days.
    expect(m.pages_per_day).toBe(2.5);
  });

  it('reports no precision and no detection time when there are no alerts', () => {
    const none = computeMetrics(labels, []);
    expect(none.precision).toEqual({ hits: 0, of: 0, rate: null });
    expect(none.campaign_recall.rate).toBe(0);
    expect(none.time_to_detect_hours).toEqual({ median: null, p90: null, caught: 0 });
  });
});

describe('evaluate: operating curve', () => {
  it('sweeps the threshold over the alert scores, highest first', () => {
    expect(operatingCurve(labels, alerts)).toEqual([
      { threshold: 0.9, flags: 1, campaign_recall: 0.333333, member_account_recall: 0.166667, benign_flag_rate: 0 },
      { threshold: 0.8, flags: 2, campaign_recall: 0.666667, member_account_recall: 0.5, benign_flag_rate: 0 },
      { threshold: 0.75, flags: 3, campaign_recall: 0.666667, member_account_recall: 0.5, benign_flag_rate: 0.25 },
      { threshold: 0.7, flags: 4, campaign_recall: 0.666667, member_account_recall: 0.5, benign_flag_rate: 0.5 },
      { threshold: 0.6, flags: 5, campaign_recall: 0.666667, member_account_recall: 0.5, benign_flag_rate: 0.5 },
    ]);
  });

  it('keeps at most the requested number of points, always ending with every alert', () => {
    const many: Flag[] = Array.from({ length: 50 }, (_, i) => ({ ...alerts[0]!, score: i / 50, id: `a${i}` }));
    const curve = operatingCurve(labels, many, 10);
    expect(curve.length).toBe(10);
    expect(curve.at(-1)!.flags).toBe(50);
  });
});

describe('evaluate: percentiles', () => {
  it('uses the nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('evaluate: inputs', () => {
  it('names the file, line and field of a bad alert', () => {
    expect(() => parseAlertLine('{"accounts": [], "window_end": 1, "score": 1}', 7, 'a.ndjson')).toThrow("a.ndjson:7: field 'accounts'");
    expect(() => parseAlertLine('{"accounts": [{"lab": "l", "account_id": "x"}], "score": 1}', 2, 'a.ndjson')).toThrow("a.ndjson:2: field 'window_end'");
    expect(() => parseAlertLine('not json', 3, 'a.ndjson')).toThrow('a.ndjson:3: invalid JSON');
    expect(parseAlertLine('   ', 4, 'a.ndjson')).toBeNull();
  });

  it('refuses a labels file that is not from the simulator', () => {
    expect(() => parseLabels('{"accounts": []}', 'l.json')).toThrow("l.json: field 'format'");
  });
});

describe('evaluate: labels from another traffic model', () => {
  // The same fixture as a held-out model would write it: its own archetype names (prefixed
  // ho_) and a link kind this simulator never writes.
  const heldOut = JSON.parse(fixture('labels.json').replaceAll('"archetype": "', '"archetype": "ho_').replaceAll('"link": "network_agent"', '"link": "shared_vps"'));
  const m = computeMetrics(parseLabels(JSON.stringify(heldOut), 'ho.json'), alerts);

  it('reports figures per archetype under whatever names the labels hold', () => {
    expect(Object.keys(m.campaign_recall_by_archetype)).toEqual(['ho_account_swarm', 'ho_coverage_sweep', 'ho_cross_lab_split']);
    expect(m.benign_flagged_by_archetype['ho_saas_app']).toEqual({ hits: 1, of: 1, rate: 1 });
    expect(m.member_account_recall_by_archetype['ho_account_swarm']).toEqual({ hits: 2, of: 3, rate: 0.666667 });
  });

  it('scores them exactly as it scores the simulator names', () => {
    const own = computeMetrics(labels, alerts);
    expect([m.campaign_recall, m.member_account_recall, m.benign_flagged, m.precision, m.pages_per_day])
      .toEqual([own.campaign_recall, own.member_account_recall, own.benign_flagged, own.precision, own.pages_per_day]);
  });

  it('rejects an account without a kind, naming the field', () => {
    const bad = JSON.parse(fixture('labels.json'));
    delete bad.accounts[2].kind;
    expect(() => parseLabels(JSON.stringify(bad), 'bad.json')).toThrow("bad.json: field 'accounts[2].kind': expected \"benign\" or \"campaign\"");
  });
});
