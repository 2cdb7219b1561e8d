// The Kafka side of `produce`: checks the broker and registry, creates the usage topic and its
// dead-letter topic when missing, registers the schema, then encodes events as Avro and sends
// them in batches together with the dead letters of rejected lines. It never decides what is a
// bad line (the core parser does) and never drops duplicates (the detector does).
import { accountKey, type Rejection, type UsageEvent } from '@distillwatch/core';
import { AvroCodec, readSchemaFile, RecordEncodingError } from '@distillwatch/platform/avro';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { deadLetterMessage, deadLetterTopic } from '@distillwatch/platform/dlq';
import { kafkaClient, Partitioners, type Message, type Producer, type TopicMessages } from '@distillwatch/platform/kafka';
import { tcpProbe } from '@distillwatch/platform/net';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { distillwatchTopics, ensureTopics, type TopicSpec } from '@distillwatch/platform/topics';
import { connectionCall } from '../connectionErrors.ts';
import { UserError } from '../errors.ts';

export const DEFAULT_USAGE_TOPIC = 'usage-events';
/** A batch is sent when it holds this many records... */
const BATCH_RECORDS = 1000;
/** ...or this many bytes, well under the broker's 1 MiB per partition batch. */
const BATCH_BYTES = 512 * 1024;
/** A partial batch waits at most this long, so a slow stdin stream still flows. */
const BATCH_LINGER_MS = 200;
/** Records above this cannot be stored under Kafka's default max.message.bytes (1 MiB). */
const MAX_RECORD_BYTES = 1_000_000;

/**
 * Encodes events, batches them with dead letters, and sends one batch while the next is being
 * filled (one in flight: the idempotent producer's ordering).
 */
export class UsageShipper {
  produced = 0;
  readonly #producer: Producer;
  readonly #codec: AvroCodec<UsageEvent>;
  readonly #topic: string;
  readonly dlqTopic: string;
  readonly #brokers: readonly string[];
  #events: Message[] = [];
  #deadLetters: Message[] = [];
  #bytes = 0;
  #inFlight: Promise<void> = Promise.resolve();
  #lingerFailure: unknown = undefined;
  readonly #linger: NodeJS.Timeout;

  private constructor(producer: Producer, codec: AvroCodec<UsageEvent>, topic: string, dlqTopic: string, brokers: readonly string[]) {
    this.#producer = producer;
    this.#codec = codec;
    this.#topic = topic;
    this.dlqTopic = dlqTopic;
    this.#brokers = brokers;
    this.#linger = setInterval(() => {
      if (this.#events.length + this.#deadLetters.length > 0) this.flush().catch((err: unknown) => { this.#lingerFailure ??= err; });
    }, BATCH_LINGER_MS);
  }

  /** Checks the broker and registry, creates missing topics and registers the schema. */
  static async connect(config: PlatformConfig, topic: string): Promise<UsageShipper> {
    await requireReachableBroker(config.brokers);
    const kafka = kafkaClient(config, { clientId: 'distillwatch-produce' });
    const dlqTopic = deadLetterTopic(config);
    await connectionCall(config.brokers, async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await ensureTopics(admin, topicSpecs(config, topic));
      } finally {
        await admin.disconnect();
      }
    });
    const codec = await connectionCall(config.brokers, async () => AvroCodec.forTopic<UsageEvent>(createRegistryClient(config), topic, await readSchemaFile('usage-event.avsc')));
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 on the key, as the Java client partitions (librdkafka with partitioner=murmur2_random),
      // so an account lands on the same partition whichever of those produces it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await connectionCall(config.brokers, () => producer.connect());
    return new UsageShipper(producer, codec, topic, dlqTopic, config.brokers);
  }

  /**
   * Queues one valid event; returns a Rejection instead when Kafka cannot hold it (a time
   * before the epoch, a value the schema cannot encode, a record above the size limit).
   */
  async add(event: UsageEvent, line: number, text: string): Promise<Rejection | null> {
    if (this.#lingerFailure !== undefined) throw this.#lingerFailure;
    // Kafka timestamps are non-negative epoch ms; the broker would refuse the whole batch.
    if (event.event_time < 0) return { line, reason: 'before 1970 (not a Kafka timestamp)', field: 'event_time', raw: text };
    let value: Buffer;
    try {
      value = this.#codec.encode(event);
    } catch (err) {
      if (err instanceof RecordEncodingError) {
        return { line, reason: err.field === undefined ? err.message : 'does not fit the schema', field: err.field, raw: text };
      }
      throw err;
    }
    if (value.length > MAX_RECORD_BYTES) return { line, reason: `record too large (${value.length} bytes)`, raw: text };
    this.#events.push({ key: accountKey(event.lab, event.account_id), value, timestamp: String(event.event_time) });
    this.#bytes += value.length;
    if (this.#events.length >= BATCH_RECORDS || this.#bytes >= BATCH_BYTES) await this.flush();
    return null;
  }

  /** Queues a dead letter for a rejected line (sent with the next batch). */
  deadLetter(rejection: Rejection): void {
    this.#deadLetters.push(deadLetterMessage({ ...rejection, source: 'produce' }));
  }

  /**
   * Starts sending what is queued once the batch before it is acknowledged, and waits for that
   * earlier batch: at most one batch in flight while the caller fills the next one.
   */
  async flush(): Promise<void> {
    const events = this.#events;
    const deadLetters = this.#deadLetters;
    this.#events = [];
    this.#deadLetters = [];
    this.#bytes = 0;
    const previous = this.#inFlight;
    const current = (async () => {
      await previous;
      if (events.length + deadLetters.length === 0) return;
      const topicMessages: TopicMessages[] = [];
      if (events.length > 0) topicMessages.push({ topic: this.#topic, messages: events });
      if (deadLetters.length > 0) topicMessages.push({ topic: this.dlqTopic, messages: deadLetters });
      await connectionCall(this.#brokers, () => this.#producer.sendBatch({ topicMessages, acks: -1 }));
      this.produced += events.length;
    })();
    // Awaited by the next flush or by drain(); marked handled so a failure is not reported twice.
    current.catch(() => undefined);
    this.#inFlight = current;
    await previous;
  }

  /** Sends what is left and waits until the broker has acknowledged every batch. */
  async drain(): Promise<void> {
    await this.flush();
    await this.#inFlight;
    if (this.#lingerFailure !== undefined) throw this.#lingerFailure;
  }

  /** Stops the linger timer and disconnects; call drain() first to keep what is queued. */
  async close(): Promise<void> {
    clearInterval(this.#linger);
    await this.#producer.disconnect();
  }
}

/** The usage topic (with the spec of usage-events when it is a custom name) and the DLQ. */
function topicSpecs(config: PlatformConfig, topic: string): TopicSpec[] {
  const specs = distillwatchTopics(config);
  const usage = specs.find((s) => s.name === prefixed(config, DEFAULT_USAGE_TOPIC));
  const dlq = specs.find((s) => s.name === deadLetterTopic(config));
  if (usage === undefined || dlq === undefined) throw new Error('distillwatchTopics lacks usage-events or its DLQ');
  return [{ ...usage, name: topic }, dlq];
}

/** Fails fast, naming the address, when no broker accepts a TCP connection. */
async function requireReachableBroker(brokers: readonly string[]): Promise<void> {
  const reasons: string[] = [];
  for (const broker of brokers) {
    const reason = await tcpProbe(broker);
    if (reason === null) return;
    reasons.push(`${broker} (${reason})`);
  }
  throw new UserError(`cannot reach Kafka at ${reasons.join(', ')}; start it with \`pnpm distillwatch infra up\` or set KAFKA_BROKERS`);
}
