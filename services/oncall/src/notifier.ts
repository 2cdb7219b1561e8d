// The webhook notifier (`distillwatch run notifier`): a consumer group on the alerts topic that
// hands every alert at or above a severity to a webhook sink (sinks/webhookSink.ts: signed
// POSTs, retried with backoff) and dead-letters an alert the sink gave up on. An alert's offset
// is committed only after it was delivered, skipped (below the severity) or dead-lettered, so a
// crash or a redeploy re-sends rather than loses: delivery is at least once, and receivers
// de-duplicate by alert_id (also sent as a header). Partitions are handled in parallel, each in
// order. It never logs the URL's path or query (webhook URLs such as Slack's carry their secret
// there) and never logs the signing secret.
import type { DistillationAlert, Severity } from '@distillwatch/core';
import type { AvroCodec } from '@distillwatch/platform/avro';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { cutRaw, rawFromBytes } from '@distillwatch/platform/dlq';
import { isRetriable, kafkaClient, Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer } from '@distillwatch/platform/kafka';
import { ensureTopics } from '@distillwatch/platform/topics';
import { ALERTS_TOPIC, alertCodec, ensureAlertTopic } from './alertFeed.ts';
import { atLeast } from './alertView.ts';
import { DeliveryAbandonedError, UndeliverableAlertError, type AlertSink } from './sinks/alertSink.ts';
import { webhookSink, type WebhookSinkOptions } from './sinks/webhookSink.ts';

/** Dead letters of the notifier: alerts it could not deliver, and records it could not read. */
export const NOTIFIER_DLQ_TOPIC = 'distillation-alerts.notifier.dlq';
/** Its consumer group (the prefix is prepended). */
export const NOTIFIER_GROUP = 'distillwatch.notifier';

/** The webhook (URL, format, signing secret, retries, time limit) as the sink takes it, and the notifier's own settings. */
export interface NotifierOptions extends Pick<WebhookSinkOptions, 'url' | 'format' | 'secret' | 'retry' | 'requestTimeoutMs'> {
  /** Alerts below this severity are skipped (and committed). */
  minSeverity: Severity;
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

/** Where the notifier reads and writes, under the configured prefix. */
interface NotifierTopics { alerts: string; deadLetters: string; groupId: string }

/** Runs until `options.signal` aborts (resolves) or the consumer fails for good (rejects). */
export async function runNotifier(config: PlatformConfig, options: NotifierOptions): Promise<void> {
  const topics: NotifierTopics = {
    alerts: prefixed(config, ALERTS_TOPIC),
    deadLetters: prefixed(config, NOTIFIER_DLQ_TOPIC),
    groupId: prefixed(config, options.groupId ?? NOTIFIER_GROUP),
  };
  const kafka = kafkaClient(config, { clientId: 'distillwatch-notifier' });
  await ensureNotifierTopics(kafka, config, topics);
  const codec = await alertCodec(config);
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer: Consumer = kafka.consumer({ groupId: topics.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
  // Any partition's heartbeat keeps this member in the group while the sink waits to retry.
  let heartbeat: () => Promise<void> = async () => undefined;
  const sink = webhookSink({
    url: options.url, format: options.format, secret: options.secret, signal: options.signal,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    keepAlive: () => heartbeat(),
    onRetry: (retry) => options.onEvent?.({ kind: 'retrying', ...retry }),
    onDelivered: ({ alertId, attempts, status }) => deliveries.set(alertId, { attempts, status }),
  });
  const deliveries: Deliveries = new Map();
  const handler = recordHandler({ topics, codec, sink, deliveries, options, consumer, producer });
  await producer.connect();
  const failed = crashOf(consumer);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.alerts], fromBeginning: options.fromBeginning === true });
    options.onEvent?.({ kind: 'started', topic: topics.alerts, groupId: topics.groupId, target: sink.target });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 8,
      eachMessage: async (payload) => {
        heartbeat = payload.heartbeat;
        await handler(payload.partition, payload.message);
      },
    });
    await Promise.race([stopped(options.signal), failed]);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await sink.close();
  }
}

async function ensureNotifierTopics(kafka: Kafka, config: PlatformConfig, topics: NotifierTopics): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureAlertTopic(admin, config);
    await ensureTopics(admin, [{ name: topics.deadLetters, partitions: 1, configs: { 'retention.ms': '-1', 'retention.bytes': '-1' } }]);
  } finally {
    await admin.disconnect();
  }
}

/** How each alert in hand was delivered, until its offset is committed and it is reported. */
type Deliveries = Map<string, { attempts: number; status: number }>;

interface HandlerParts {
  topics: NotifierTopics;
  codec: AvroCodec<DistillationAlert>;
  sink: AlertSink;
  deliveries: Deliveries;
  options: NotifierOptions;
  consumer: Consumer;
  producer: Producer;
}

/**
 * What happens to one alert record: decode (dead-letter what cannot be read), skip below the
 * severity, hand to the sink, dead-letter what the sink gave up on; then commit. An alert the
 * sink abandoned on shutdown stays uncommitted, for the next instance.
 */
function recordHandler({ topics, codec, sink, deliveries, options, consumer, producer }: HandlerParts): (partition: number, message: KafkaMessage) => Promise<void> {
  const stopping = () => options.signal?.aborted === true;
  const deadLetter = async (letter: NotifierDeadLetter, key: Buffer | null) => {
    await producer.send({ topic: topics.deadLetters, messages: [{ key, value: JSON.stringify(letter) }] });
  };
  return async (partition, message) => {
    if (stopping()) return; // not committed: the next instance takes it from here
    const at = { partition, offset: message.offset };
    const commit = () => consumer.commitOffsets([{ topic: topics.alerts, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    let alert: DistillationAlert;
    try {
      alert = await codec.decode(message.value ?? Buffer.alloc(0));
    } catch (err) {
      if (isRetriable(err)) throw err;
      const reason = `undecodable: ${(err as Error).message}`;
      await deadLetter({ line: null, reason: cutRaw(reason), raw: rawFromBytes(message.value), source: 'notifier', partition, offset: Number(message.offset), attempts: 0, status: null, alert: null }, message.key);
      options.onEvent?.({ kind: 'dead-lettered', alertId: null, attempts: 0, reason, ...at });
      await commit();
      return;
    }
    if (!atLeast(alert.severity, options.minSeverity)) {
      options.onEvent?.({ kind: 'skipped', alertId: alert.alert_id, severity: alert.severity, ...at });
      await commit();
      return;
    }
    try {
      await sink.write([alert]);
    } catch (err) {
      if (err instanceof DeliveryAbandonedError) return;
      if (!(err instanceof UndeliverableAlertError)) throw err;
      const reason = `webhook ${sink.target}: ${err.message}`;
      await deadLetter({
        line: null, reason, raw: cutRaw(JSON.stringify(alert)), source: 'notifier', partition, offset: Number(message.offset),
        attempts: err.attempts, status: err.status, alert,
      }, message.key);
      await commit();
      options.onEvent?.({ kind: 'dead-lettered', alertId: alert.alert_id, attempts: err.attempts, reason, ...at });
      return;
    }
    await commit();
    const delivery = deliveries.get(alert.alert_id)!;
    deliveries.delete(alert.alert_id);
    options.onEvent?.({ kind: 'delivered', alertId: alert.alert_id, ...delivery, ...at });
  };
}

/** Rejects when the consumer crashes for good (kafkajs restarts it after retriable crashes). */
function crashOf(consumer: Consumer): Promise<never> {
  const failed = new Promise<never>((_, reject) => {
    consumer.on(consumer.events.CRASH, ({ payload }) => { if (!payload.restart) reject(payload.error); });
  });
  failed.catch(() => undefined); // a crash after shutdown has no one left to tell
  return failed;
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}
