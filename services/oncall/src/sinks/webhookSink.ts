// An alert sink that POSTs each alert to one webhook URL, signed (webhook.ts), retrying no
// answer, 408, 429 and 5xx with exponential backoff (Retry-After honoured) up to a bounded
// number of attempts. `write` resolves once every alert was delivered; it rejects with
// UndeliverableAlertError for one it gave up on and DeliveryAbandonedError when stopped while
// waiting. It never logs or reports the URL's path or query (webhook URLs such as Slack's carry
// their secret there) and never the signing secret.
import type { DistillationAlert } from '@distillwatch/core';
import {
  backoffMs, DEFAULT_RETRY_POLICY, retriableStatus, SIGNATURE_HEADER, signBody, webhookBody,
  type RetryPolicy, type WebhookFormat,
} from '../webhook.ts';
import { DeliveryAbandonedError, UndeliverableAlertError, type AlertSink } from './alertSink.ts';

export interface WebhookSinkOptions {
  /** The webhook: http or https. */
  url: string;
  format: WebhookFormat;
  /** Key of the HMAC-SHA256 signature header. */
  secret: string;
  retry?: Partial<RetryPolicy>;
  /** One request's time limit. Default 10 s. */
  requestTimeoutMs?: number;
  /** Ends a wait between attempts early; the alert in hand is then abandoned. */
  signal?: AbortSignal;
  /** Called about once a second while waiting to retry (a consumer keeps its group membership so). */
  keepAlive?(): Promise<void>;
  /** Called before each wait to retry. */
  onRetry?(retry: { alertId: string; attempt: number; status: number | null; error?: string; waitMs: number }): void;
  /** Called when an alert was accepted, with the attempts it took and the 2xx status. */
  onDelivered?(delivery: { alertId: string; attempts: number; status: number }): void;
}

/** Scheme, host and port of a URL: what logs may show of a webhook. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/…`;
}

/** The result of one POST: delivered, or why not and whether to try again. */
type Attempt = { ok: true; status: number } | { ok: false; status: number | null; error: string; retriable: boolean; retryAfterMs: number | null };

export function webhookSink(options: WebhookSinkOptions): AlertSink {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const stopping = () => options.signal?.aborted === true;

  const deliver = async (alert: DistillationAlert): Promise<void> => {
    const body = webhookBody(alert, options.format);
    const signature = signBody(options.secret, body);
    for (let attempt = 1; ; attempt++) {
      const result = await post(options.url, body, signature, alert.alert_id, attempt, timeoutMs);
      if (result.ok) {
        options.onDelivered?.({ alertId: alert.alert_id, attempts: attempt, status: result.status });
        return;
      }
      if (!result.retriable) throw new UndeliverableAlertError(alert, `HTTP ${result.status} (not retriable)`, attempt, result.status);
      if (attempt >= policy.maxAttempts) throw new UndeliverableAlertError(alert, `${result.error} after ${attempt} attempts`, attempt, result.status);
      const waitMs = backoffMs(policy, attempt, result.retryAfterMs);
      options.onRetry?.({ alertId: alert.alert_id, attempt, status: result.status, ...(result.status === null ? { error: result.error } : {}), waitMs });
      await waitToRetry(waitMs);
      if (stopping()) throw new DeliveryAbandonedError(`stopped while retrying alert ${alert.alert_id}`);
    }
  };

  // Keep-alive calls go on while we wait; the wait ends early on shutdown.
  const waitToRetry = async (waitMs: number): Promise<void> => {
    for (let left = waitMs; left > 0 && !stopping(); left -= 1000) {
      await sleep(Math.min(left, 1000), options.signal);
      await options.keepAlive?.();
    }
  };

  return {
    target: redactUrl(options.url),
    write: async (alerts) => { for (const alert of alerts) await deliver(alert); },
    flush: async () => undefined,
    close: async () => undefined,
  };
}

/** One signed POST of an alert; network failures and timeouts are answers too (status null). */
async function post(url: string, body: string, signature: string, alertId: string, attempt: number, timeoutMs: number): Promise<Attempt> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'distillwatch-notifier',
        [SIGNATURE_HEADER]: signature,
        'X-Distillwatch-Alert-Id': alertId,
        'X-Distillwatch-Delivery-Attempt': String(attempt),
      },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await response.body?.cancel();
    if (response.ok) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `HTTP ${response.status}`, retriable: retriableStatus(response.status), retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    const error = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? (err as Error).message);
    return { ok: false, status: null, error, retriable: true, retryAfterMs: null };
  }
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) { resolve(); return; }
    const timer = setTimeout(() => { signal?.removeEventListener('abort', stop); resolve(); }, ms);
    const stop = () => { clearTimeout(timer); resolve(); };
    signal?.addEventListener('abort', stop, { once: true });
  });
}
