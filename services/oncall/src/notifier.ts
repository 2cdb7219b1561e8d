// The webhook notifier (`distillwatch run notifier`): a consumer group on the alerts topic that
// POSTs every alert at or above a severity to one URL, signed (webhook.ts), retrying with
// exponential backoff, and dead-letters an alert it could not deliver after a bounded number
// of attempts. An alert's offset is committed only after it was delivered, skipped (below the
// severity) or dead-lettered, so a crash or a redeploy re-sends rather than loses: delivery is
// at least once, and receivers de-duplicate by alert_id (also sent as a header). Partitions are
// handled in parallel, each in order. It never logs the URL's path or query (webhook URLs such
// as Slack's carry their secret there) and never logs the signing secret.
import type { DistillationAlert, Severity } from '@distillwatch/core';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { cutRaw, rawFromBytes } from '@distillwatch/platform/dlq';
import { isRetriable, kafkaClient, Partitioners, type Consumer, type Producer } from '@distillwatch/platform/kafka';
import { ensureTopics } from '@distillwatch/platform/topics';
import { ALERTS_TOPIC, alertCodec, ensureAlertTopic } from './alertFeed.ts';
import { atLeast } from './alertView.ts';
import {
  backoffMs, DEFAULT_RETRY_POLICY, retriableStatus, SIGNATURE_HEADER, signBody, webhookBody,
  type RetryPolicy, type WebhookFormat,
} from './webhook.ts';

/** Dead letters of the notifier: alerts it could not deliver, and records it could not read. */
export const NOTIFIER_DLQ_TOPIC = 'distillation-alerts.notifier.dlq';
/** Its consumer group (the prefix is prepended). */
export const NOTIFIER_GROUP = 'distillwatch.notifier';

export interface NotifierOptions {
  /** The webhook: http or https. */
  url: string;
  /** Alerts below this severity are skipped (and committed). */
  minSeverity: Severity;
  format: WebhookFormat;
  /** Key of the HMAC-SHA256 signature header. */
  secret: string;
  retry?: Partial<RetryPolicy>;
  /** One request's time limit. Default 10 s. */
  requestTimeoutMs?: number;
  /** Stops the notifier after the alerts in hand are finished or abandoned uncommitted. */
  signal?: AbortSignal;
  /** What happened to each alert, for logs, metrics and tests. */
  onEvent?(event: NotifierEvent): void;
  /** Consumer group name without the prefix; default distillwatch.notifier. */
  groupId?: string;
  /**
   * Where a group without committed offsets starts: at the end (default: only alerts written
   * from now on, so a first deployment does not page for history), or at the beginning.
   */
  fromBeginning?: boolean;
}

export type NotifierEvent =
  | { kind: 'started'; topic: string; groupId: string; target: string }
  | { kind: 'delivered'; alertId: string; attempts: number; status: number; partition: number; offset: string }
  | { kind: 'retrying'; alertId: string; attempt: number; status: number | null; error?: string; waitMs: number }
  | { kind: 'dead-lettered'; alertId: string | null; attempts: number; reason: string; partition: number; offset: string }
  | { kind: 'skipped'; alertId: string; severity: Severity; partition: number; offset: string };

/** The value of a notifier dead letter (JSON): the platform's dead-letter fields plus the whole alert. */
export interface NotifierDeadLetter {
  line: null;
  reason: string;
  raw: string;
  source: 'notifier';
  partition: number;
  offset: number;
  attempts: number;
  /** Last HTTP status, null when the receiver never answered. */
  status: number | null;
  /** The alert as JSON, so it can be re-sent; null when the record could not be read. */
  alert: DistillationAlert | null;
}

/** Scheme, host and port of a URL: what logs may show of a webhook. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/…`;
}

interface Outcome { delivered: boolean; attempts: number; status: number | null; reason: string }

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) { resolve(); return; }
    const timer = setTimeout(() => { signal?.removeEventListener('abort', stop); resolve(); }, ms);
    const stop = () => { clearTimeout(timer); resolve(); };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

/** Runs until `options.signal` aborts (resolves) or the consumer fails for good (rejects). */
export async function runNotifier(config: PlatformConfig, options: NotifierOptions): Promise<void> {
  const target = redactUrl(options.url);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const topic = prefixed(config, ALERTS_TOPIC);
  const dlqTopic = prefixed(config, NOTIFIER_DLQ_TOPIC);
  const groupId = prefixed(config, options.groupId ?? NOTIFIER_GROUP);
  const kafka = kafkaClient(config, { clientId: 'distillwatch-notifier' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureAlertTopic(admin, config);
    await ensureTopics(admin, [{ name: dlqTopic, partitions: 1, configs: { 'retention.ms': '-1', 'retention.bytes': '-1' } }]);
  } finally {
    await admin.disconnect();
  }
  const codec = await alertCodec(config);
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer: Consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
  const stopping = () => options.signal?.aborted === true;

  const post = async (alert: DistillationAlert, heartbeat: () => Promise<void>): Promise<Outcome> => {
    const body = webhookBody(alert, options.format);
    const signature = signBody(options.secret, body);
    let status: number | null = null;
    let error = '';
    for (let attempt = 1; ; attempt++) {
      let retryAfter: number | null = null;
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'distillwatch-notifier',
            [SIGNATURE_HEADER]: signature,
            'X-Distillwatch-Alert-Id': alert.alert_id,
            'X-Distillwatch-Delivery-Attempt': String(attempt),
          },
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        status = response.status;
        retryAfter = retryAfterMs(response.headers.get('retry-after'));
        await response.body?.cancel();
        if (response.ok) return { delivered: true, attempts: attempt, status, reason: '' };
        error = `HTTP ${status}`;
        if (!retriableStatus(status)) return { delivered: false, attempts: attempt, status, reason: `HTTP ${status} (not retriable)` };
      } catch (err) {
        status = null;
        const cause = (err as { cause?: { code?: string } }).cause;
        error = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? (err as Error).message);
      }
      if (attempt >= policy.maxAttempts) return { delivered: false, attempts: attempt, status, reason: `${error} after ${attempt} attempts` };
      const waitMs = backoffMs(policy, attempt, retryAfter);
      options.onEvent?.({ kind: 'retrying', alertId: alert.alert_id, attempt, status, ...(status === null ? { error } : {}), waitMs });
      // Heartbeats keep the group membership while we wait; the wait ends early on shutdown.
      for (let left = waitMs; left > 0 && !stopping(); left -= 1000) {
        await sleep(Math.min(left, 1000), options.signal);
        await heartbeat();
      }
      if (stopping()) return { delivered: false, attempts: attempt, status, reason: 'stopping' };
    }
  };

  const deadLetter = async (letter: NotifierDeadLetter, key: Buffer | string | null) => {
    await producer.send({ topic: dlqTopic, messages: [{ key, value: JSON.stringify(letter) }] });
  };

  await producer.connect();
  let crashed: ((err: unknown) => void) | null = null;
  const failed = new Promise<never>((_, reject) => { crashed = reject; });
  failed.catch(() => undefined); // a crash after shutdown has no one left to tell
  consumer.on(consumer.events.CRASH, ({ payload }) => { if (!payload.restart) crashed?.(payload.error); });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning === true });
    options.onEvent?.({ kind: 'started', topic, groupId, target });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 8,
      eachMessage: async ({ partition, message, heartbeat }) => {
        if (stopping()) return; // not committed: the next instance takes it from here
        const commit = () => consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        let alert: DistillationAlert;
        try {
          alert = await codec.decode(message.value ?? Buffer.alloc(0));
        } catch (err) {
          if (isRetriable(err)) throw err;
          const reason = `undecodable: ${(err as Error).message}`;
          await deadLetter({ line: null, reason: cutRaw(reason), raw: rawFromBytes(message.value), source: 'notifier', partition, offset: Number(message.offset), attempts: 0, status: null, alert: null }, message.key);
          options.onEvent?.({ kind: 'dead-lettered', alertId: null, attempts: 0, reason, partition, offset: message.offset });
          await commit();
          return;
        }
        if (!atLeast(alert.severity, options.minSeverity)) {
          options.onEvent?.({ kind: 'skipped', alertId: alert.alert_id, severity: alert.severity, partition, offset: message.offset });
          await commit();
          return;
        }
        const outcome = await post(alert, heartbeat);
        if (outcome.delivered) {
          await commit();
          options.onEvent?.({ kind: 'delivered', alertId: alert.alert_id, attempts: outcome.attempts, status: outcome.status!, partition, offset: message.offset });
          return;
        }
        if (outcome.reason === 'stopping') return;
        const reason = `webhook ${target}: ${outcome.reason}`;
        await deadLetter({
          line: null, reason, raw: cutRaw(JSON.stringify(alert)), source: 'notifier', partition, offset: Number(message.offset),
          attempts: outcome.attempts, status: outcome.status, alert,
        }, message.key);
        await commit();
        options.onEvent?.({ kind: 'dead-lettered', alertId: alert.alert_id, attempts: outcome.attempts, reason, partition, offset: message.offset });
      },
    });
    const stopped = new Promise<void>((resolve) => {
      if (stopping()) resolve();
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([stopped, failed]);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
  }
}
