// Public surface of @distillwatch/oncall: one `export ... from` line per module.
export { SEVERITIES, atLeast, formatAlert, parseSeverity, percentileText, usd, windowText } from './alertView.ts';
export type { AlertViewOptions } from './alertView.ts';
export { ALERTS_TOPIC, alertCodec, ensureAlertTopic, followAlerts, followRecords } from './alertFeed.ts';
export type { AlertFeedOptions, FeedOptions, RecordPosition } from './alertFeed.ts';
export { DEFAULT_RETRY_POLICY, SIGNATURE_HEADER, WEBHOOK_FORMATS, backoffMs, retriableStatus, signBody, slackMessage, verifySignature, webhookBody } from './webhook.ts';
export type { RetryPolicy, WebhookFormat } from './webhook.ts';
export { NOTIFIER_DLQ_TOPIC, NOTIFIER_GROUP, redactUrl, runNotifier } from './notifier.ts';
export type { NotifierDeadLetter, NotifierEvent, NotifierOptions } from './notifier.ts';
export { AlertBoard, FeatureHistory } from './dashboardState.ts';
export type { FeaturePoint } from './dashboardState.ts';
export { chartFeatures, featureCharts, featureSpec } from './dashboardCharts.ts';
export type { FeatureChart } from './dashboardCharts.ts';
export { startDashboard } from './dashboard.ts';
export type { Dashboard, DashboardOptions } from './dashboard.ts';
export { VERDICTS_TOPIC, publishVerdict, verdictCodec, verdictOn } from './verdictFeed.ts';
export type { VerdictDecision } from './verdictFeed.ts';
