// Public surface of @distillwatch/oncall: one `export ... from` line per module.
export { SEVERITIES, atLeast, formatAlert, parseSeverity, percentileText, usd, windowText } from './alertView.ts';
export type { AlertViewOptions } from './alertView.ts';
export { ALERTS_TOPIC, alertCodec, ensureAlertTopic, followAlerts } from './alertFeed.ts';
export type { AlertFeedOptions, RecordPosition } from './alertFeed.ts';
