// What the notifier sends: the request body for a webhook (the alert itself, or a Slack
// incoming-webhook message), its HMAC-SHA256 signature, and the retry schedule. Pure: no
// network, no clock; the notifier does the sending.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DistillationAlert, Severity } from '@distillwatch/core';
import { percentileText, usd, windowText } from './alertView.ts';

export type WebhookFormat = 'generic' | 'slack';
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['generic', 'slack'];

/** The header that carries the signature: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const SIGNATURE_HEADER = 'X-Distillwatch-Signature';

/** `sha256=<hex>` of `body` under `secret`. */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a receiver runs: true when `header` is the signature of `body` (constant-time compare). */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const SLACK_EMOJI: Record<Severity, string> = { low: ':large_blue_circle:', medium: ':large_yellow_circle:', high: ':red_circle:', critical: ':rotating_light:' };

/** A Slack incoming-webhook message: `text` for notifications, `blocks` for the channel. */
export function slackMessage(alert: DistillationAlert): Record<string, unknown> {
  const labs = [...new Set(alert.accounts.map((a) => a.lab))].sort().join(', ');
  const headline = `${alert.severity.toUpperCase()} distillation alert: ${alert.subject_kind} ${alert.subject_id}`;
  const reasons = alert.reasons.slice(0, 3)
    .map((r) => `• \`${r.feature}\` ${r.value.toFixed(2)} vs population ${percentileText(r.percentile)} (median ${r.baseline.toFixed(2)})`)
    .join('\n');
  return {
    text: `${headline} (score ${alert.score.toFixed(3)}, KYC ${alert.kyc_tier})`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${SLACK_EMOJI[alert.severity]} *${headline}*\n${windowText(alert.window_start, alert.window_end)} · score ${alert.score.toFixed(3)} (threshold ${alert.threshold.toFixed(3)})` } },
      { type: 'section', fields: [
        { type: 'mrkdwn', text: `*Accounts*\n${alert.accounts.length} at ${labs}` },
        { type: 'mrkdwn', text: `*KYC tier*\n${alert.kyc_tier}` },
        { type: 'mrkdwn', text: `*Spend this window*\n${usd(alert.spend_usd_window)}` },
        { type: 'mrkdwn', text: `*Spend 30 d, linked labs*\n${usd(alert.spend_usd_30d_all_labs)}` },
      ] },
      { type: 'section', text: { type: 'mrkdwn', text: `*Why*\n${reasons}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `alert ${alert.alert_id} · model ${alert.model_version}` }] },
    ],
  };
}

/** The UTF-8 JSON body posted for `alert`. Generic: the alert exactly as in the topic. */
export function webhookBody(alert: DistillationAlert, format: WebhookFormat): string {
  return JSON.stringify(format === 'slack' ? slackMessage(alert) : alert);
}

export interface RetryPolicy {
  /** Attempts in all (the first one included) before the alert is dead-lettered. */
  maxAttempts: number;
  /** Wait before the second attempt; doubles each time. */
  initialBackoffMs: number;
  /** Longest wait between attempts (also caps a receiver's Retry-After). */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, initialBackoffMs: 1_000, maxBackoffMs: 60_000 };

/** Wait after failed attempt `attempt` (1-based): exponential, capped; a Retry-After wins if sooner than the cap. */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | null = null): number {
  if (retryAfterMs !== null && retryAfterMs >= 0) return Math.min(retryAfterMs, policy.maxBackoffMs);
  return Math.min(policy.initialBackoffMs * 2 ** (attempt - 1), policy.maxBackoffMs);
}

/** True when repeating the request may succeed: no answer, 408, 429 or any 5xx. */
export function retriableStatus(status: number | null): boolean {
  return status === null || status === 408 || status === 429 || status >= 500;
}
