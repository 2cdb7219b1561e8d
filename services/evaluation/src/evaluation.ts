// One evaluation run: the detector's metrics and operating curve against the labels, the
// baseline rules' metrics when the events were available, and the per-account alert scores
// the report plots. Pure: flags and labels in, a plain JSON-able result out.
import type { Labels } from '@distillwatch/simulator';
import type { Flag } from './inputs.ts';
import { computeMetrics, operatingCurve, type CurvePoint, type Metrics } from './metrics.ts';

export interface BaselineResult {
  rule: string;
  /** What the rule is, in one sentence. */
  definition: string;
  metrics: Metrics;
}

export interface AccountScore {
  lab: string;
  account_id: string;
  kind: 'benign' | 'campaign' | 'unlabelled';
  archetype: string;
  /** Highest score of any alert (or, with `detect --scores-out`, any scored window) covering the account. */
  score: number;
}

export interface Evaluation {
  labels: { scenario: string; seed: number; campaigns: number; campaign_accounts: number; benign_accounts: number };
  detector: Metrics & { operating_curve: CurvePoint[] };
  /** Null when no events file was available. */
  baselines: BaselineResult[] | null;
  /** For the report: each account's top score, over the alerts or over every scored window. */
  account_scores: AccountScore[];
  /** Whether `account_scores` and the operating curve come from every scored window (`--scores`). */
  scores_from_all_windows: boolean;
}

/**
 * `scores`, when given, are every scored subject-window (`detect --scores-out`), alerted or not:
 * the score distributions then cover every account, and the operating curve sweeps the raw
 * score threshold (before the confirmation and alert lifecycle that shape the alerts).
 */
export function evaluateDetector(labels: Labels, alerts: readonly Flag[], baselines: BaselineResult[] | null,
  scores: readonly Flag[] | null = null): Evaluation {
  const active = labels.accounts.filter((a) => a.events > 0);
  const byKey = new Map(labels.accounts.map((a) => [`${a.lab}/${a.account_id}`, a]));
  const top = new Map<string, number>();
  for (const alert of scores ?? alerts) {
    for (const ref of alert.accounts) {
      const k = `${ref.lab}/${ref.account_id}`;
      top.set(k, Math.max(top.get(k) ?? -Infinity, alert.score));
    }
  }
  const account_scores: AccountScore[] = [...top].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, score]) => {
    const label = byKey.get(k);
    const slash = k.indexOf('/');
    return {
      lab: k.slice(0, slash),
      account_id: k.slice(slash + 1),
      kind: label?.kind ?? 'unlabelled',
      archetype: label?.archetype ?? 'unlabelled',
      score,
    };
  });
  return {
    labels: {
      scenario: labels.scenario,
      seed: labels.seed,
      campaigns: labels.campaigns.length,
      campaign_accounts: active.filter((a) => a.kind === 'campaign').length,
      benign_accounts: active.filter((a) => a.kind === 'benign').length,
    },
    detector: { ...computeMetrics(labels, alerts), operating_curve: operatingCurve(labels, scores ?? alerts) },
    baselines,
    account_scores,
    scores_from_all_windows: scores !== null,
  };
}
