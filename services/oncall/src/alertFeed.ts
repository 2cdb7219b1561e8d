// Follows the alerts topic (or another Avro topic, such as account-features) for a reader that only looks (`alerts tail`, the dashboard): a
// throw-away consumer group that never commits offsets, starting at the end of every partition
// or at the beginning, decoding each record with the schema it was written with (every
// registered version of the alert schema reads as the current one). It can stop once it has
// read everything that was in the topic when it started. It never writes to a topic and never
// changes another group's offsets; its own group is deleted when it stops.
import { randomUUID } from 'node:crypto';
import type { DistillationAlert } from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { isRetriable, kafkaClient, type Admin, type Consumer } from '@distillwatch/platform/kafka';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { distillwatchTopics, ensureTopics } from '@distillwatch/platform/topics';

export const ALERTS_TOPIC = 'distillation-alerts';

/** Where a record sits, for readers that show or link it. */
export interface RecordPosition {
  partition: number;
  offset: string;
  /** Kafka record timestamp (epoch ms). */
  timestamp: number;
}

export interface FeedOptions<T> {
  /** Topic name without the prefix. */
  topic: string;
  /** Schema file in schemas/ the topic's values are read as. */
  schemaFile: string;
  /** Start at the beginning of every partition instead of its end. */
  fromBeginning: boolean;
  /** Stop once every partition has been read up to where it ended when the feed started. */
  stopAtEnd?: boolean;
  /** Stops the feed (it then resolves normally). */
  signal?: AbortSignal;
  /** Called in order per partition; resolve `false` to stop the feed. */
  onRecord(value: T, position: RecordPosition): Promise<boolean | void> | boolean | void;
  /** A record no schema can read: reported, skipped. */
  onUndecodable?(error: Error, position: RecordPosition): void;
  /** Called once the consumer has joined and is reading (tests wait for it before producing). */
  onReady?(): void;
  /** Client id for broker logs; default distillwatch-alert-feed. */
  clientId?: string;
}

/** The codec of the alerts topic (registers the local schema if the subject has none yet). */
export async function alertCodec(config: PlatformConfig, topic = ALERTS_TOPIC): Promise<AvroCodec<DistillationAlert>> {
  const registry = createRegistryClient(config);
  return AvroCodec.forTopic<DistillationAlert>(registry, prefixed(config, topic), await readSchemaFile('distillation-alert.avsc'));
}

export interface AlertFeedOptions extends Omit<FeedOptions<DistillationAlert>, 'topic' | 'schemaFile' | 'onRecord'> {
  /** Topic name without the prefix; default distillation-alerts. */
  topic?: string;
  onAlert: FeedOptions<DistillationAlert>['onRecord'];
}

/** Creates a topic when it is missing (with the layout of `infra up` for the public ones), never altering one. */
export async function ensureAlertTopic(admin: Admin, config: PlatformConfig, topic = ALERTS_TOPIC): Promise<void> {
  const name = prefixed(config, topic);
  const spec = distillwatchTopics(config).find((s) => s.name === name) ?? { name, partitions: 3, configs: {} };
  await ensureTopics(admin, [spec]);
}

/** Reads alerts until stopped, the end is reached (stopAtEnd), or onAlert returns false. */
export function followAlerts(config: PlatformConfig, options: AlertFeedOptions): Promise<void> {
  const { onAlert, topic, ...rest } = options;
  return followRecords<DistillationAlert>(config, { ...rest, topic: topic ?? ALERTS_TOPIC, schemaFile: 'distillation-alert.avsc', onRecord: onAlert });
}

/** Reads a topic's Avro records until stopped, the end is reached (stopAtEnd), or onRecord returns false. */
export async function followRecords<T>(config: PlatformConfig, options: FeedOptions<T>): Promise<void> {
  const topic = prefixed(config, options.topic);
  const kafka = kafkaClient(config, { clientId: options.clientId ?? 'distillwatch-alert-feed' });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${config.topicPrefix}distillwatch.alert-feed.${randomUUID()}`;
  let consumer: Consumer | null = null;
  try {
    await ensureAlertTopic(admin, config, options.topic);
    const codec = await AvroCodec.forTopic<T>(createRegistryClient(config), topic, await readSchemaFile(options.schemaFile));
    const ends = await startPositions(admin, topic, groupId, options);
    if (ends === null) return;
    consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
    await readUntilDone(consumer, topic, codec, ends, options);
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    if (consumer) await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Where each partition ends now (with stopAtEnd the feed is done once it got there), after
 * placing the group at those ends unless it reads from the beginning. Null: nothing to read.
 */
async function startPositions(admin: Admin, topic: string, groupId: string, options: FeedOptions<unknown>): Promise<Map<number, bigint> | null> {
  const ends = new Map<number, bigint>();
  const offsets = await admin.fetchTopicOffsets(topic);
  for (const p of offsets) {
    const high = BigInt(p.high);
    if (options.fromBeginning && high > BigInt(p.low)) ends.set(p.partition, high);
  }
  if (options.stopAtEnd && ends.size === 0) return null;
  if (options.signal?.aborted) return null;
  if (!options.fromBeginning) {
    // The group starts exactly where the partitions end now, not wherever they end once it
    // has joined: an alert written in between is shown, not skipped.
    await admin.setOffsets({ groupId, topic, partitions: offsets.map((p) => ({ partition: p.partition, offset: p.high })) });
  }
  return ends;
}

/** Runs the consumer, handing each record to onRecord, until the feed is stopped, done or failed. */
async function readUntilDone<T>(consumer: Consumer, topic: string, codec: AvroCodec<T>, ends: Map<number, bigint>, options: FeedOptions<T>): Promise<void> {
  let finish: () => void = () => undefined;
  let fail: (err: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => { finish = resolve; fail = reject; });
  const reached = (partition: number, lastOffset: string) => {
    const end = ends.get(partition);
    if (end !== undefined && BigInt(lastOffset) + 1n >= end) ends.delete(partition);
    if (options.stopAtEnd && ends.size === 0) finish();
  };
  // Fires for every processed batch, also for batches of transaction markers only, which
  // never reach eachMessage: the partition's end can sit behind such a marker.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => reached(payload.partition, payload.lastOffset));
  consumer.on(consumer.events.CRASH, ({ payload }) => { if (!payload.restart) fail(payload.error); });
  options.signal?.addEventListener('abort', () => finish(), { once: true });
  let announced = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (!announced) { announced = true; options.onReady?.(); }
  });

  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning });
  let stopped = false;
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      if (stopped) return;
      const position: RecordPosition = { partition, offset: message.offset, timestamp: Number(message.timestamp) };
      let value: T;
      try {
        value = await codec.decode(message.value ?? Buffer.alloc(0));
      } catch (err) {
        if (isRetriable(err)) throw err;
        options.onUndecodable?.(err as Error, position);
        return;
      }
      if ((await options.onRecord(value, position)) === false) {
        stopped = true;
        finish();
      }
    },
  });
  await finished;
}
