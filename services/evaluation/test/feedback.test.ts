import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DistillationAlert } from '@distillwatch/core';
import { ANALYST_DELAY_MS, feedbackFigures, judgeAlerts, parseLabels } from '../src/index.ts';

const labels = parseLabels(readFileSync(new URL('./fixtures/labels.json', import.meta.url), 'utf8'), 'labels.json');
const HOUR = 3_600_000;
const T0 = labels.start_time;

function alert(id: string, hour: number, accounts: Array<[string, string]>): DistillationAlert {
  return {
    alert_id: id, window_start: T0 + (hour - 1) * HOUR, window_end: T0 + hour * HOUR, subject_kind: accounts.length > 1 ? 'campaign' : 'account',
    subject_id: accounts.length > 1 ? `campaign-${id}` : `${accounts[0]![0]}/${accounts[0]![1]}`,
    accounts: accounts.map(([lab, account_id]) => ({ lab, account_id })), score: 0.7, threshold: 0.59, severity: 'low', reasons: [],
    spend_usd_window: 0, spend_usd_30d: 0, spend_usd_30d_all_labs: 0, kyc_tier: 'consumer', model_version: 'm',
  };
}

describe('the simulated analyst of evaluate --feedback', () => {
  const alerts = [alert('early-campaign', 3, [['lab-a', 'a1']]), alert('early-benign', 4, [['lab-a', 'b3']]), alert('late-benign', 30, [['lab-a', 'b1']])];

  it('judges only alerts that end by the cutoff and are not judged yet, from the labels, 30 minutes after the window', () => {
    const verdicts = judgeAlerts(labels, alerts, T0 + 24 * HOUR, new Set(['early-benign']));
    expect(verdicts).toEqual([{ verdict_time: T0 + 3 * HOUR + ANALYST_DELAY_MS, alert_id: 'early-campaign', subject_id: 'lab-a/a1',
      accounts: [{ lab: 'lab-a', account_id: 'a1' }], verdict: 'distillation', analyst: 'simulated (labels)', note: null, expires_at: null }]);
    expect(judgeAlerts(labels, alerts, T0 + 24 * HOUR, new Set()).map((v) => v.verdict)).toEqual(['distillation', 'benign']);
  });

  it('counts precision and benign flags after the cutoff, and recall over the whole data', () => {
    const figures = feedbackFigures(labels, alerts, T0 + 24 * HOUR);
    expect(figures.alerts_after).toBe(1);
    expect(figures.precision_after).toEqual({ hits: 0, of: 1, rate: 0 });
    expect(figures.benign_flagged_after.hits).toBe(1);
    expect(figures.campaign_recall.hits).toBe(1);
  });
});
