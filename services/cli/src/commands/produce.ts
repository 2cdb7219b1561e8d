// `distillwatch produce`: ships an NDJSON usage log into Kafka as Avro in the Confluent wire
// format, keyed `<lab>/<account_id>`, with the record timestamp set to event_time. Every line
// goes through the core's parser; a malformed line is reported on stderr, dead-lettered to
// usage-events.dlq with its line number and counted, never fatal. It never drops duplicates
// (the detector does) and never writes to stdout.
//
//   input (file | .ndjson.gz | stdin) ─► lines ─► parseUsageEventLine ─► Avro ─► batches ─► usage-events
//                                                        └─ rejected ─► stderr + usage-events.dlq
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import kafkajs, { type Message, type Producer, type TopicMessages } from 'kafkajs';
import { accountKey, parseUsageEventLine, type Rejection, type UsageEvent } from '@distillwatch/core';
import { AvroCodec, readSchemaFile, RecordEncodingError } from '@distillwatch/platform/avro';
import { ConfigError, loadConfig, prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { deadLetterMessage, deadLetterTopic } from '@distillwatch/platform/dlq';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { tcpProbe } from '@distillwatch/platform/net';
import { createRegistryClient, SchemaRegistryError } from '@distillwatch/platform/registry';
import { distillwatchTopics, ensureTopics, type TopicSpec } from '@distillwatch/platform/topics';
import { parseFlags, required, type Command } from '../command.ts';
import { UserError } from '../errors.ts';

// kafkajs spreads its error classes into module.exports, which ESM named imports cannot see.
const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, Partitioners } = kafkajs;

const DEFAULT_TOPIC = 'usage-events';
/** A batch is sent when it holds this many records... */
const BATCH_RECORDS = 1000;
/** ...or this many bytes, well under the broker's 1 MiB per partition batch. */
const BATCH_BYTES = 512 * 1024;
/** A partial batch waits at most this long, so a slow stdin stream still flows. */
const BATCH_LINGER_MS = 200;
/** Records above this cannot be stored under Kafka's default max.message.bytes (1 MiB). */
const MAX_RECORD_BYTES = 1_000_000;
/** Bad lines reported one by one on stderr before the rest are only counted. */
const REPORTED_REJECTIONS = 20;
const PROGRESS_EVERY_MS = 2000;

/** A paced producer sleeps only once it is this far ahead of its schedule (one timer per batch, not per event). */
const PACE_SLACK_MS = 5;

const help = `usage: distillwatch produce --input F [--topic T] [--rate N]

Ships an NDJSON usage log (one usage event per line, CONTRACT.md section 2) into Kafka as
Avro in the Confluent wire format, with the schema schemas/usage-event.avsc registered in
the schema registry under the subject '<topic>-value' (BACKWARD compatibility).
Each record is keyed '<lab>/<account_id>' (UTF-8) and timestamped with its event_time.

Malformed lines are not fatal: each is reported on stderr as 'F:LINE: field 'x': reason'
(the first ${REPORTED_REJECTIONS}, then only counted), written to the topic usage-events.dlq as
{"line", "reason", "field", "raw", "source": "produce"}, and skipped. Blank lines are
skipped. Duplicate events are shipped as they are (the detector drops them).
Progress and a final summary go to stderr; nothing is written to stdout.
Exit status: 0 when the input was shipped (even with rejected lines), 2 on a user error
(missing file, unreachable broker or registry).

flags:
  --input F   NDJSON file, .ndjson.gz file (gunzipped while read), or - for stdin (required)
  --topic T   topic to produce to (default ${DEFAULT_TOPIC}); the prefix is prepended
  --rate N    ship at most N events per second on average (a steady replay of a log, e.g.
              to measure alert latency under load); default: as fast as the broker takes them
  --help      this text

environment:
  KAFKA_BROKERS              bootstrap brokers, comma-separated host:port (default 127.0.0.1:9092)
  SCHEMA_REGISTRY_URL        Confluent-compatible registry API
                             (default http://127.0.0.1:8081/apis/ccompat/v7)
  DISTILLWATCH_TOPIC_PREFIX  prepended to the topic names and schema subjects (default empty)
`;

export const produce: Command = {
  name: 'produce',
  summary: 'ship an NDJSON usage log into Kafka as Avro',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, { input: { type: 'string' }, topic: { type: 'string' }, rate: { type: 'string' } });
    const inputPath = required(values.input, 'input');
    const pacer = values.rate === undefined ? null : new Pacer(parseRate(values.rate));
    const config = loadPlatformConfig();
    const topic = prefixed(config, values.topic ?? DEFAULT_TOPIC);

    const input = await openInput(inputPath);
    try {
      const shipper = await UsageShipper.connect(config, topic);
      try {
        const counts = await shipLines(input, displayName(inputPath), shipper, pacer);
        process.stderr.write(summaryLine(counts, topic, deadLetterTopic(config)) + '\n');
      } finally {
        await shipper.close();
      }
    } finally {
      input.raw.destroy();
    }
    return 0;
  },
};

interface Counts {
  lines: number;
  produced: number;
  rejected: number;
  blank: number;
  startedAt: number;
}

function loadPlatformConfig(): PlatformConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(err.message);
    throw err;
  }
}

function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

/** The input's bytes (a missing file is named at once) and whether they are gzipped. */
async function openInput(path: string): Promise<{ raw: Readable; gzipped: boolean }> {
  const gzipped = path.endsWith('.gz');
  if (path === '-') return { raw: process.stdin, gzipped };
  try {
    const file = await open(path, 'r');
    if ((await file.stat()).isDirectory()) {
      await file.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return { raw: file.createReadStream({ highWaterMark: 256 * 1024 }), gzipped };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new UserError(`cannot read input '${path}': ${why}`);
  }
}

/**
 * The input as UTF-8 text chunks, gunzipped on the way. Created only when reading starts: a
 * gunzip stream with nobody listening would turn a corrupt file into an unhandled error.
 */
function textChunks(input: { raw: Readable; gzipped: boolean }): AsyncIterator<string> {
  let text = input.raw;
  if (input.gzipped) {
    const gunzip = createGunzip();
    input.raw.on('error', (err) => gunzip.destroy(err));
    text = input.raw.pipe(gunzip);
  }
  text.setEncoding('utf8');
  return (text as AsyncIterable<string>)[Symbol.asyncIterator]();
}

/** Reads the input line by line (LF or CRLF), feeding the shipper; returns what happened. */
async function shipLines(input: { raw: Readable; gzipped: boolean }, name: string, shipper: UsageShipper, pacer: Pacer | null): Promise<Counts> {
  const counts: Counts = { lines: 0, produced: 0, rejected: 0, blank: 0, startedAt: performance.now() };
  const progress = setInterval(() => {
    counts.produced = shipper.produced;
    process.stderr.write(progressLine(counts) + '\n');
  }, PROGRESS_EVERY_MS);
  progress.unref();

  const handle = async (text: string): Promise<void> => {
    counts.lines += 1;
    const result = parseUsageEventLine(text, counts.lines);
    if (result.kind === 'blank') {
      counts.blank += 1;
    } else if (result.kind === 'rejected') {
      reject(result.rejection);
    } else {
      const rejection = await shipper.add(result.event, counts.lines, text);
      if (rejection !== null) reject(rejection);
      else if (pacer !== null) await pacer.tick();
    }
  };
  const reject = (rejection: Rejection): void => {
    counts.rejected += 1;
    if (counts.rejected <= REPORTED_REJECTIONS) process.stderr.write(`${name}:${rejectionText(rejection)}\n`);
    shipper.deadLetter(rejection);
  };

  const splitter = new LineSplitter();
  const chunks = textChunks(input);
  try {
    for (;;) {
      let next: IteratorResult<string>;
      try {
        next = await chunks.next();
      } catch (err) {
        throw inputError(name, err);
      }
      if (next.done === true) break;
      for (const line of splitter.push(next.value)) await handle(line);
    }
    for (const line of splitter.end()) await handle(line);
  } finally {
    clearInterval(progress);
  }
  await shipper.drain();
  counts.produced = shipper.produced;
  if (counts.rejected > REPORTED_REJECTIONS) {
    process.stderr.write(`${name}: ... ${counts.rejected - REPORTED_REJECTIONS} more rejected lines not shown (all are in ${shipper.dlqTopic})\n`);
  }
  return counts;
}

function parseRate(text: string): number {
  const rate = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(rate > 0) || !Number.isFinite(rate)) {
    throw new UserError(`--rate must be a positive number of events per second, got '${text}'`);
  }
  return rate;
}

/**
 * Holds a producer to `rate` events per second on average, counted from its first event: each
 * `tick` (one shipped event) sleeps when the events so far are ahead of that schedule by more
 * than PACE_SLACK_MS. One that falls behind (a slow broker) ships without sleeping until it is
 * back on schedule, so the average over the whole run is `rate`.
 */
export class Pacer {
  readonly #interval: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #start = Number.NaN;
  #count = 0;

  constructor(rate: number, now: () => number = () => performance.now(), sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms))) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive finite number, got ${rate}`);
    this.#interval = 1000 / rate;
    this.#now = now;
    this.#sleep = sleep;
  }

  async tick(): Promise<void> {
    const now = this.#now();
    if (this.#count === 0) this.#start = now;
    this.#count += 1;
    // Event k (from 1) is due (k - 1) intervals after the first.
    const ahead = this.#start + (this.#count - 1) * this.#interval - now;
    if (ahead > PACE_SLACK_MS) await this.#sleep(ahead);
  }
}

function inputError(name: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && code.startsWith('Z_')) return new UserError(`cannot read input '${name}': not valid gzip (${(err as Error).message})`);
  return new UserError(`cannot read input '${name}': ${(err as Error).message}`);
}

/**
 * Splits a text stream, chunk by chunk, into lines ending in LF or CRLF, carrying a partial line
 * over to the next chunk. A last line without a newline is a line; the empty tail after a final
 * newline is not.
 */
export class LineSplitter {
  #rest = '';

  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      const piece = chunk.slice(start, newline);
      lines.push(stripCr(this.#rest === '' ? piece : this.#rest + piece));
      this.#rest = '';
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    this.#rest += chunk.slice(start);
    return lines;
  }

  end(): string[] {
    const last = this.#rest;
    this.#rest = '';
    return last === '' ? [] : [stripCr(last)];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function rejectionText(r: Rejection): string {
  return r.field === undefined ? `${r.line}: ${r.reason}` : `${r.line}: field '${r.field}': ${r.reason}`;
}

function elapsedSeconds(counts: Counts): number {
  return (performance.now() - counts.startedAt) / 1000;
}

function progressLine(counts: Counts): string {
  const seconds = elapsedSeconds(counts);
  return `produce: ${counts.lines} lines, ${counts.produced} events produced, ${counts.rejected} rejected, ${Math.round(counts.produced / seconds)} events/s`;
}

function summaryLine(counts: Counts, topic: string, dlq: string): string {
  const seconds = elapsedSeconds(counts);
  const rate = seconds > 0 ? Math.round(counts.produced / seconds) : counts.produced;
  return `produce: read ${counts.lines} lines: ${counts.produced} events produced to ${topic}, ` +
    `${counts.rejected} rejected (to ${dlq}), ${counts.blank} blank; ${seconds.toFixed(1)} s, ${rate} events/s`;
}

/**
 * The Kafka side of `produce`: encodes events, batches them with dead letters, and sends one
 * batch while the next is being filled (one in flight: the idempotent producer's ordering).
 */
class UsageShipper {
  produced = 0;
  readonly #producer: Producer;
  readonly #codec: AvroCodec<UsageEvent>;
  readonly #topic: string;
  readonly dlqTopic: string;
  readonly #brokers: string;
  #events: Message[] = [];
  #deadLetters: Message[] = [];
  #bytes = 0;
  #inFlight: Promise<void> = Promise.resolve();
  #lingerFailure: unknown = undefined;
  readonly #linger: NodeJS.Timeout;

  private constructor(producer: Producer, codec: AvroCodec<UsageEvent>, topic: string, dlqTopic: string, brokers: string) {
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
    const brokers = config.brokers.join(',');
    await requireReachableBroker(config.brokers);
    const kafka = kafkaClient(config, { clientId: 'distillwatch-produce' });
    const dlqTopic = deadLetterTopic(config);
    await kafkaCall(brokers, async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await ensureTopics(admin, topicSpecs(config, topic));
      } finally {
        await admin.disconnect();
      }
    });
    let codec: AvroCodec<UsageEvent>;
    try {
      codec = await AvroCodec.forTopic<UsageEvent>(createRegistryClient(config), topic, await readSchemaFile('usage-event.avsc'));
    } catch (err) {
      if (err instanceof SchemaRegistryError) {
        throw new UserError(err.retriable ? `${err.message}; start it with \`pnpm distillwatch infra up\`` : err.message);
      }
      throw err;
    }
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 on the key, as the Java client partitions (librdkafka with partitioner=murmur2_random),
      // so an account lands on the same partition whichever of those produces it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await kafkaCall(brokers, () => producer.connect());
    return new UsageShipper(producer, codec, topic, dlqTopic, brokers);
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
      await kafkaCall(this.#brokers, () => this.#producer.sendBatch({ topicMessages, acks: -1 }));
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
  const usage = specs.find((s) => s.name === prefixed(config, DEFAULT_TOPIC));
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

/** Runs a Kafka call; losing the broker becomes a one-line UserError naming it. */
async function kafkaCall<T>(brokers: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof KafkaJSConnectionError || err instanceof KafkaJSNumberOfRetriesExceeded) {
      throw new UserError(`lost the connection to Kafka at ${brokers}: ${err.message}; is it running (\`pnpm distillwatch infra status\`)?`);
    }
    throw err;
  }
}
