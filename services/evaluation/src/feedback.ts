// The simulated analyst of `evaluate --feedback K`: judges from the simulator's labels every
// alert whose window ends in the first K hours, 30 minutes after its window ends, and measures
// what the verdicts change in the period after K. Pure: the CLI reruns `detect` between rounds.
// It must never look at alerts after K when judging: those are what the figures are about.
import type { AlertVerdict, DistillationAlert } from '@distillwatch/core';
import type { Labels } from '@distillwatch/simulator';
import { computeMetrics, type Ratio } from './metrics.ts';

/** How long after its window ends the simulated analyst judges an alert. */
export const ANALYST_DELAY_MS = 30 * 60_000;

/**
 * The verdicts of the simulated analyst on `alerts` that end at or before `cutoff` and are not in
 * `judged` yet: `distillation` when the alert covers a campaign member, else `benign`.
 */
export function judgeAlerts(labels: Labels, alerts: readonly DistillationAlert[], cutoff: number, judged: ReadonlySet<string>): AlertVerdict[] {
  const campaignMembers = new Set(labels.accounts.filter((a) => a.kind === 'campaign').map((a) => `${a.lab}/${a.account_id}`));
  return alerts
    .filter((a) => a.window_end <= cutoff && !judged.has(a.alert_id))
    .map((a) => ({
      verdict_time: a.window_end + ANALYST_DELAY_MS,
      alert_id: a.alert_id,
      subject_id: a.subject_id,
      accounts: a.accounts.map((r) => ({ lab: r.lab, account_id: r.account_id })),
      verdict: a.accounts.some((r) => campaignMembers.has(`${r.lab}/${r.account_id}`)) ? 'distillation' : 'benign',
      analyst: 'simulated (labels)',
      note: null,
      expires_at: null,
    }));
}

/** What the period after the cutoff looks like for one set of alerts. */
export interface FeedbackFigures {
  alerts_after: number;
  /** Alerts after the cutoff covering a campaign member / alerts after the cutoff. */
  precision_after: Ratio;
  /** Benign accounts covered by an alert after the cutoff / benign accounts. */
  benign_flagged_after: Ratio;
  /** Over the whole data, so that a verdict cannot buy precision with a missed campaign. */
  campaign_recall: Ratio;
  member_account_recall: Ratio;
}

export function feedbackFigures(labels: Labels, alerts: readonly DistillationAlert[], cutoff: number): FeedbackFigures {
  const flags = (list: readonly DistillationAlert[]) => list.map((a) => ({ accounts: a.accounts, time: a.window_end, score: a.score, id: a.alert_id }));
  const after = computeMetrics(labels, flags(alerts.filter((a) => a.window_end > cutoff)));
  const whole = computeMetrics(labels, flags(alerts));
  return {
    alerts_after: after.flags,
    precision_after: after.precision,
    benign_flagged_after: after.benign_flagged,
    campaign_recall: whole.campaign_recall,
    member_account_recall: whole.member_account_recall,
  };
}
