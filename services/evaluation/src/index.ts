// Public surface of @distillwatch/evaluation: read labels and alerts, compute the metrics and
// the baseline rules, render the report.
export { InputError, parseAlertLine, parseLabels } from './inputs.ts';
export type { Flag } from './inputs.ts';
export { computeMetrics, operatingCurve, percentile, ratio } from './metrics.ts';
export type { CampaignOutcome, CurvePoint, Metrics, Ratio } from './metrics.ts';
export { Deduplicator, SpendRule, VolumeRule, SPEND_LINE_USD, SPEND_WINDOW_HOURS, VOLUME_PERCENTILE } from './baselines.ts';
export { evaluateDetector } from './evaluation.ts';
export type { AccountScore, BaselineResult, Evaluation } from './evaluation.ts';
export { renderReport } from './report.ts';
export { judgeAlerts, feedbackFigures, ANALYST_DELAY_MS } from './feedback.ts';
export { campaignsPerLab } from './campaignsPerLab.ts';
export type { CampaignAlert, CampaignPerLab } from './campaignsPerLab.ts';
export type { FeedbackFigures } from './feedback.ts';
