// The aggregator service: usage events in, one AccountFeatures record per closed account-window
// out, through the same core Aggregator that `detect` runs, one per usage partition.
//
//   usage-events ─► decode (Avro) ─► validate (core parser) ─► Aggregator[partition] ─► account-features
//        │                 └─ undecodable / malformed / late ─► usage-events.dlq
//        └─ store `windows` ─► changelog distillwatch.aggregator.windows (partition = usage partition)
//           progress        ─► distillwatch.aggregator.progress (key = usage partition)
//
// Exactly once per usage partition: every batch is one Kafka transaction with a transactional
// id per usage partition (`distillwatch.aggregator.<p>`: kafkajs predates KIP-447, so fencing a
// zombie needs one id per input partition) holding the features, dead letters, the changed
// accounts of the store, the progress record and the consumed offset. A new owner of a
// partition first fences the old one (initialising the same transactional id aborts its open
// transaction), then restores the store from the changelog: state, outputs and offsets always
// agree. A partition that has read everything in it follows the clock of the rest of the
// stream (from the progress topic), so its silent accounts' windows close on time.
import { CompressionTypes, Partitioners, isRetriable, type Consumer, type EachBatchPayload, type KafkaMessage, type Message, type Producer } from '@distillwatch/platform/kafka';
import { Aggregator, EventIntake, accountKey, parseUsageEventRecord, type AccountFeatures, type AggregatorSnapshot, type UsageEvent } from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { deadLetterMessage, rawFromBytes, type DeadLetter } from '@distillwatch/platform/dlq';
import { prefixedId, type RunningService, type ServiceContext } from './context.ts';
import METRIC_CATALOG from './metricCatalog.json' with { type: 'json' };
import type { MetricHandle } from './metrics.ts';
import { ConsumerService, SerialLock, inTransaction, lockAndRestore, recover, type Transaction } from './consumerService.ts';
import { decodeProgress, encodeProgress, streamClockOf, type PartitionProgress } from './progress.ts';
import type { Logger } from './log.ts';
import { StoreReader } from './storeReader.ts';


/** Most bytes of usage records one batch (hence one transaction) of a partition holds. */
const BATCH_BYTES_PER_PARTITION = 4 * 1024 * 1024;

/**
 * Most value bytes of account-features records per send: kafkajs makes one record batch per
 * partition of a send, and the topic takes batches of at most 1 MiB (max.message.bytes).
 */
const FEATURES_SEND_BYTES = 512 * 1024;

/**
 * Most wall time a commit leaves the consumer group's offset of its partition where it is. The
 * task reads from `nextOffset` in its changelog's meta entry, restored with its store, and skips
 * what lies below it, so the group's offset only says where a new owner starts fetching; moving
 * it is two round trips (AddOffsetsToTxn, TxnOffsetCommit) of the seven of a commit with
 * features, on the path of every window. A partition that has read everything and consumed
 * nothing for an idle check moves it on the clock follower's next pass (`followStream`), so an
 * idle lab's offsets show nothing unread (the federation bridge's quiet check reads them);
 * under a steady stream the follower's commits leave it too.
 */
const OFFSETS_MAX_AGE_MS = 10_000;

/**
 * Longest a batch applies records before it lets the event loop run. `run all` runs the scorer
 * in the same thread: a catch-up batch of 4 MiB is thousands of events, applied one after the
 * other with only microtask pauses, and the scorer's commit replies, its fetches (the progress
 * that completes a window) and the other partitions' commits waited behind the whole batch.
 */
const APPLY_SLICE_MS = 10;

/** Key of the partition-level entry of the store; accounts are keyed `acct:` + JSON [lab, id]. */
const META_KEY = 'meta';

interface TaskMeta {
  version: 1;
  nextOffset: number;
  featuresEnd: Record<string, number>;
  clock: number | null;
  aheadTime: number | null;
  sweptAt: number | null;
}

/** One usage partition owned by this instance: its aggregator, offsets and transactional producer. */
class PartitionTask {
  readonly partition: number;
  readonly producer: Producer;
  /** The core's event intake over this partition's aggregator, as `detect` runs it. */
  readonly intake: EventIntake;
  /** Next usage offset to apply; records below it are already in the state. */
  nextOffset: number;
  /** Offset of the last commit: where to seek back to when a commit fails. */
  committedOffset: number;
  /** The consumer group's offset as this task last moved it (0: not yet; it may lag a restored `nextOffset`), and when. */
  groupOffset = 0;
  groupOffsetAt = Number.NEGATIVE_INFINITY;
  /** Wall time of the last commit that consumed records. */
  consumedAt = Number.NEGATIVE_INFINITY;
  featuresEnd: Record<string, number>;
  /** Store entries as last committed (key -> JSON), to write only what changed. */
  written: Map<string, string>;
  /** Accounts touched since the last commit (lab -> account ids). */
  readonly touched = new Map<string, Set<string>>();
  /** Stream-clock window index at the last full snapshot: accounts are forgotten only when it moves. */
  fullSnapshotAt = Number.NaN;
  dropped = false;
  /** Batches and clock following never interleave on this partition. */
  readonly lock = new SerialLock();

  constructor(partition: number, producer: Producer, aggregator: Aggregator, meta: TaskMeta | null, written: Map<string, string>) {
    this.partition = partition;
    this.producer = producer;
    this.intake = new EventIntake(aggregator);
    this.nextOffset = meta?.nextOffset ?? 0;
    this.committedOffset = this.nextOffset;
    this.featuresEnd = { ...(meta?.featuresEnd ?? {}) };
    this.written = written;
  }

  get aggregator(): Aggregator { return this.intake.aggregator; }

  /** Runs `fn` when nothing else runs on this partition. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn);
  }
}

/** What one transaction writes besides the store. */
interface Outbox {
  features: AccountFeatures[];
  deadLetters: Message[];
  /** Whether input was consumed (then the group's offset moves when it is OFFSETS_MAX_AGE_MS old). */
  consumed: boolean;
}

/**
 * The aggregator's topology: open the codecs and the store, consume usage-events into the
 * partition tasks, let idle partitions follow the stream clock.
 */
export async function startAggregator(ctx: ServiceContext): Promise<RunningService> {
  return (await AggregatorService.open(ctx)).start();
}

/** The codecs and the partitioner of account-features the aggregator's steps use. */
interface AggregatorCodecs {
  usage: AvroCodec<UsageEvent>;
  features: AvroCodec<AccountFeatures>;
  /** The partition kafkajs's default (Java-compatible murmur2) partitioner picks for a key. */
  featurePartitionOf: (key: string) => number;
}

/** The running aggregator: its partition tasks and the steps lock, restore, process, commit, recover. */
class AggregatorService extends ConsumerService {
  readonly name = 'aggregator';
  /** usage-events, the one input; a partition of it is a task. */
  readonly #source: string;
  readonly #sinks: { features: string; deadLetters: string; progress: string };
  /** The changelog of the tasks' windows, one partition per usage partition. */
  readonly #store: { windows: string };
  protected readonly consumer: Consumer;
  readonly #codecs: AggregatorCodecs;
  readonly #m: AggregatorMetrics;
  readonly #tasks = new Map<number, Promise<PartitionTask>>();
  #assigned = new Set<number>();
  #following: Promise<void> | null = null;
  #followTimer: ReturnType<typeof setInterval> | undefined;

  static async open(ctx: ServiceContext): Promise<AggregatorService> {
    const log = ctx.log.child({ service: 'aggregator' });
    const m = ctx.metrics.declareAll(METRIC_CATALOG.aggregator);
    const { topics } = ctx;
    const usage = await AvroCodec.forTopic<UsageEvent>(ctx.registry, topics.usageEvents, await readSchemaFile('usage-event.avsc'));
    const features = await AvroCodec.forTopic<AccountFeatures>(ctx.registry, topics.accountFeatures, await readSchemaFile('account-features.avsc'));
    const partitioner = Partitioners.DefaultPartitioner();
    const featurePartitionMetadata = Array.from({ length: ctx.featurePartitions }, (_, i) => ({ partitionId: i, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0, offlineReplicas: [] }));
    const featurePartitionOf = (key: string) => partitioner({ topic: topics.accountFeatures, partitionMetadata: featurePartitionMetadata, message: { key, value: null } });
    const reader = await StoreReader.start(ctx.kafka, ctx.admin, [topics.aggregatorWindows, topics.aggregatorProgress], prefixedId(ctx, 'distillwatch.aggregator.restore.'), log, [topics.aggregatorWindows]);
    return new AggregatorService(ctx, log, m, { usage, features, featurePartitionOf }, reader);
  }

  private constructor(ctx: ServiceContext, log: Logger, m: AggregatorMetrics, codecs: AggregatorCodecs, reader: StoreReader) {
    super(ctx, log, reader, prefixedId(ctx, 'distillwatch.aggregator'));
    const { topics } = ctx;
    this.#m = m;
    this.#codecs = codecs;
    this.#source = topics.usageEvents;
    this.#sinks = { features: topics.accountFeatures, deadLetters: topics.deadLetters, progress: topics.aggregatorProgress };
    this.#store = { windows: topics.aggregatorWindows };
    // Batches of up to 4 MiB per partition (kafkajs reads 1 MiB by default): every batch is one
    // transaction that rewrites the changelog entries of every account it touched, so while
    // catching up, fewer larger batches cost much less. A caught-up stream gets small batches anyway.
    this.consumer = ctx.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200,
      maxBytesPerPartition: BATCH_BYTES_PER_PARTITION, maxBytes: BATCH_BYTES_PER_PARTITION * 4,
      sessionTimeout: ctx.settings.sessionTimeoutMs, heartbeatInterval: Math.floor(ctx.settings.sessionTimeoutMs / 10) });
  }

  /** Lock, then restore: the partition's store from its changelog, behind its transactional id. */
  async restoreTask(partition: number): Promise<PartitionTask> {
    const started = Date.now();
    // Locking initialises the transactional id: the previous owner is fenced and its open
    // transaction aborted before the changelog is read.
    return lockAndRestore(this.ctx, prefixedId(this.ctx, `distillwatch.aggregator.${partition}`), async (producer) => {
      const entries = await this.reader.restore(this.#store.windows, partition);
      const written = new Map<string, string>();
      let meta: TaskMeta | null = null;
      const accounts: AggregatorSnapshot['accounts'] = [];
      for (const [key, value] of entries) {
        const json = value.toString('utf8');
        written.set(key, json);
        if (key === META_KEY) meta = JSON.parse(json) as TaskMeta;
        else accounts.push(JSON.parse(json) as AggregatorSnapshot['accounts'][number]);
      }
      const windows = this.ctx.detector.windows;
      const aggregator = meta === null
        ? new Aggregator(windows)
        : Aggregator.restore(windows, { version: 1, clock: meta.clock, aheadTime: meta.aheadTime, sweptAt: meta.sweptAt, accounts });
      const task = new PartitionTask(partition, producer, aggregator, meta, written);
      // This task writes the partition's changelog from now on and keeps what it holds.
      this.reader.pause(this.#store.windows, partition);
      const seconds = (Date.now() - started) / 1000;
      this.#m.restoreSeconds(seconds, { partition });
      this.log.info('partition restored', { partition, accounts: accounts.length, nextOffset: task.nextOffset, seconds });
      return task;
    });
  }

  /** The partition's task, restoring it unless it is restored or being restored. */
  obtain(partition: number): Promise<PartitionTask> {
    let t = this.#tasks.get(partition);
    if (!t) {
      t = this.restoreTask(partition);
      this.#tasks.set(partition, t);
      t.catch((err) => { if (this.#tasks.get(partition) === t) this.#tasks.delete(partition); this.log.warn('restore failed; retrying on the next batch', { partition, error: err }); });
    }
    return t;
  }

  async drop(task: PartitionTask): Promise<void> {
    task.dropped = true;
    const current = this.#tasks.get(task.partition);
    if (current && (await current.catch(() => null)) === task) this.#tasks.delete(task.partition);
    this.#m.lag(0, { partition: task.partition });
    await task.producer.disconnect().catch(() => undefined);
  }

  /** A new assignment: drop the partitions this instance lost, restore the ones it got. */
  onAssignment(partitions: number[]): void {
    this.#assigned = new Set(partitions);
    this.log.info('partitions assigned', { partitions: [...this.#assigned].sort((a, b) => a - b) });
    for (const [partition, t] of this.#tasks) {
      if (!this.#assigned.has(partition)) void t.then((task) => task.exclusive(() => this.drop(task))).catch(() => undefined);
    }
    for (const p of this.#assigned) void this.obtain(p).catch(() => undefined);
  }

  protected async consume(): Promise<void> {
    const consumer = this.consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onAssignment(payload.memberAssignment[this.#source] ?? []));
    await this.keepConsuming(async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.#source], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        // Partitions are independent tasks (own state, lock and producer): while one waits for its
        // transaction to commit, another computes.
        partitionsConsumedConcurrently: this.ctx.usagePartitions,
        eachBatch: (payload) => this.processBatch(payload),
      });
    });
  }

  /** Process: one batch of a partition, applied and committed as one transaction. */
  async processBatch({ batch, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const partition = batch.partition;
    const task = await this.stateFor(batch, () => this.obtain(partition));
    if (task === null) return;
    await task.exclusive(async () => {
      if (task.dropped || !isRunning() || isStale()) return;
      const out: Outbox = { features: [], deadLetters: [], consumed: false };
      let read = 0;
      let slice = performance.now();
      try {
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset < task.nextOffset) continue;
          read++;
          await this.apply(task, message, out);
          task.nextOffset = offset + 1;
          out.consumed = true;
          if (performance.now() - slice >= APPLY_SLICE_MS) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            slice = performance.now();
          }
        }
        if (out.consumed) await this.commit(task, out);
        this.#m.lag(Math.max(0, Number(batch.highWatermark) - task.nextOffset), { partition });
      } catch (err) {
        await this.recoverTask(task, err, true);
      } finally {
        // Counted once a batch: a counter update per record showed as 1 % of `run all`'s profile.
        this.#m.eventsIn(read);
      }
    });
  }

  /** One usage record: decoded, validated and windowed as `detect` does its JSON lines. */
  async apply(task: PartitionTask, message: KafkaMessage, out: Outbox): Promise<void> {
    const m = this.#m;
    const { partition } = task;
    const offset = Number(message.offset);
    let event: UsageEvent;
    try {
      event = await this.#codecs.usage.decode(message.value ?? Buffer.alloc(0));
    } catch (err) {
      if (isRetriable(err)) throw err;
      m.rejected();
      out.deadLetters.push(deadLetter({ reason: `undecodable: ${(err as Error).message}`, raw: rawFromBytes(message.value), partition, offset }, message.key));
      return;
    }
    // The text only for dead letters.
    const text = () => JSON.stringify(event);
    const step = task.intake.accept(parseUsageEventRecord(event as unknown as Record<string, unknown>, 0, text), 0, text);
    if (step.event) touch(task, step.event.lab, step.event.account_id);
    if (step.outcome === 'rejected') m.rejected();
    else if (step.outcome === 'late') m.late();
    else if (step.outcome === 'duplicate') m.duplicates();
    const r = step.rejection;
    if (r) out.deadLetters.push(deadLetter({ reason: r.reason, ...(r.field ? { field: r.field } : {}), raw: r.raw, partition, offset }, message.key));
    for (const record of step.records) { out.features.push(record); touch(task, record.lab, record.account_id); }
  }

  /**
   * The store entries that changed since the last commit (key, JSON or null for deleted): the
   * accounts touched since then, or every account when the clock entered a new window (the
   * only time the aggregator forgets idle accounts).
   */
  storeChanges(task: PartitionTask): { changes: [string, string | null][]; meta: Pick<AggregatorSnapshot, 'aheadTime' | 'sweptAt'> } {
    const windowIndex = Math.floor(task.aggregator.streamClock / this.ctx.detector.windows.windowMs);
    const full = windowIndex !== task.fullSnapshotAt;
    const touched = [...task.touched].flatMap(([lab, ids]) => [...ids].map((accountId) => ({ lab, accountId })));
    const snap = full ? task.aggregator.snapshot() : task.aggregator.snapshot(touched);
    const changes: [string, string | null][] = [];
    const live = new Set<string>();
    for (const a of snap.accounts) {
      const key = storeKey(a.lab, a.accountId);
      live.add(key);
      const json = JSON.stringify(a);
      if (task.written.get(key) !== json) changes.push([key, json]);
    }
    const gone = full ? [...task.written.keys()].filter((k) => k !== META_KEY) : touched.map((a) => storeKey(a.lab, a.accountId));
    for (const key of gone) if (!live.has(key) && task.written.has(key)) changes.push([key, null]);
    if (full) task.fullSnapshotAt = windowIndex;
    return { changes, meta: snap };
  }

  /** Commit: one transaction, then what it wrote becomes the task's last committed state. */
  async commit(task: PartitionTask, out: Outbox): Promise<void> {
    const offsets = this.offsetsLag(task) && (this.quiet(task) || Date.now() - task.groupOffsetAt >= OFFSETS_MAX_AGE_MS);
    const { featuresEnd, changes, clock } = await inTransaction(task.producer, (txn) => this.writeStep(task, out, txn, offsets));
    if (offsets) [task.groupOffset, task.groupOffsetAt] = [task.nextOffset, Date.now()];
    if (out.consumed) task.consumedAt = Date.now();
    task.featuresEnd = featuresEnd;
    task.committedOffset = task.nextOffset;
    for (const [key, json] of changes) if (json === null) task.written.delete(key); else task.written.set(key, json);
    task.touched.clear();
    this.#m.commits();
    this.#m.windowsClosed(out.features.length);
    this.#m.clock(Number.isFinite(clock) ? clock : 0, { partition: task.partition });
  }

  /** The group's offset is behind what the task has read. */
  offsetsLag(task: PartitionTask): boolean {
    return task.groupOffset < task.nextOffset;
  }

  /** The task consumed nothing for an idle check: its input has stopped, for now. */
  quiet(task: PartitionTask): boolean {
    return Date.now() - task.consumedAt >= this.ctx.settings.idleCheckMs;
  }

  /**
   * What one step of a partition writes in its transaction: features, dead letters, changelog,
   * progress, and the group's offset when `offsets` (see OFFSETS_MAX_AGE_MS).
   */
  async writeStep(task: PartitionTask, out: Outbox, txn: Transaction, offsets: boolean): Promise<{ featuresEnd: Record<string, number>; changes: [string, string | null][]; clock: number }> {
    const featuresEnd = await this.sendFeatures(txn, out.features, task.featuresEnd);
    if (out.deadLetters.length > 0) await txn.send({ topic: this.#sinks.deadLetters, messages: out.deadLetters });
    const clock = task.aggregator.streamClock;
    const { changes, meta: snap } = this.storeChanges(task);
    const meta: TaskMeta = {
      version: 1, nextOffset: task.nextOffset, featuresEnd, clock: finiteOrNull(clock), aheadTime: snap.aheadTime, sweptAt: snap.sweptAt,
    };
    changes.push([META_KEY, JSON.stringify(meta)]);
    const progress: PartitionProgress = {
      partition: task.partition, clock: finiteOrNull(clock), completeThrough: finiteOrNull(task.aggregator.completeThrough), features: featuresEnd,
    };
    // The changelog and the progress record in one request (each send of a transaction is a
    // round trip to add its partitions and one to produce): the window's alerts wait for this
    // commit. The progress record is gzipped with the changelog; it is a few hundred bytes.
    await txn.sendBatch({
      compression: CompressionTypes.GZIP,
      topicMessages: [
        { topic: this.#store.windows, messages: changes.map(([key, json]) => ({ key, value: json === null ? null : Buffer.from(json, 'utf8'), partition: task.partition })) },
        { topic: this.#sinks.progress, messages: [{ key: String(task.partition), value: encodeProgress(progress), partition: 0 }] },
      ],
    });
    if (offsets) {
      await txn.sendOffsets({ consumerGroupId: this.groupId, topics: [{ topic: this.#source, partitions: [{ partition: task.partition, offset: String(task.nextOffset) }] }] });
    }
    return { featuresEnd, changes, clock };
  }

  /** Sends the closed account-windows; returns the end offset per account-features partition after them. */
  async sendFeatures(txn: Transaction, features: AccountFeatures[], ends: Record<string, number>): Promise<Record<string, number>> {
    const featuresEnd = { ...ends };
    if (features.length === 0) return featuresEnd;
    const messages = features.map((r) => {
      const key = accountKey(r.lab, r.account_id);
      return { key, value: this.#codecs.features.encode(r), partition: this.#codecs.featurePartitionOf(key), timestamp: String(r.window_end) };
    });
    for (const chunk of chunksOf(messages, FEATURES_SEND_BYTES)) {
      const counts = new Map<number, number>();
      for (const msg of chunk) counts.set(msg.partition, (counts.get(msg.partition) ?? 0) + 1);
      const sent = await txn.send({ topic: this.#sinks.features, messages: chunk });
      for (const s of sent) featuresEnd[String(s.partition)] = Number(s.baseOffset) + (counts.get(s.partition) ?? 0);
    }
    return featuresEnd;
  }

  /**
   * Recover from a failed batch or commit: forget the partition's state; it is restored from
   * the last commit. `rewind`: the step read records (a clock step did not).
   */
  async recoverTask(task: PartitionTask, err: unknown, rewind: boolean): Promise<void> {
    this.#m.commitFailures();
    await recover(err, {
      log: this.log, context: { partition: task.partition }, drop: () => this.drop(task), stopping: () => this.stopping,
      rewind: rewind ? () => this.consumer.seek({ topic: this.#source, partition: task.partition, offset: String(task.committedOffset) }) : null,
    });
  }

  /**
   * The timer step: a partition that has read everything in it follows the rest of the stream's
   * clock, and moves the group's offset to what it has read.
   */
  protected startTimer(): void {
    this.#followTimer = setInterval(() => {
      // One pass at a time: a pass slowed down by a broker outage is not queued behind.
      this.#following ??= this.followStream()
        .catch((err) => this.log.warn('following the stream clock failed', { error: err }))
        .finally(() => { this.#following = null; });
    }, this.ctx.settings.idleCheckMs);
    this.log.info('aggregator started', { source: this.#source, sinks: this.#sinks, store: this.#store, groupId: this.groupId });
  }

  async followStream(): Promise<void> {
    if (this.stopping) return;
    // Read the stream's clock before the end offsets: whatever is appended after this moment
    // arrives, by the contract's time rule, at most the idle grace behind this clock.
    const progress = [...this.reader.current(this.#sinks.progress, 0).values()].map(decodeProgress);
    const streamClock = streamClockOf(progress);
    let ends: Map<number, number> | null = null;
    for (const partition of [...this.#assigned]) {
      const t = this.#tasks.get(partition);
      if (!t) {
        // A restore that failed (broker busy) is retried here too: a partition without records
        // gets no batch that would retry it.
        void this.obtain(partition).catch(() => undefined);
        continue;
      }
      const task = await t.catch(() => null);
      if (!task || task.dropped || !(followsClock(task, streamClock) || (this.offsetsLag(task) && this.quiet(task)))) continue;
      ends ??= new Map((await this.ctx.admin.fetchTopicOffsets(this.#source)).map((o) => [o.partition, Number(o.high)]));
      if (task.nextOffset < (ends.get(partition) ?? 0)) continue;
      await task.exclusive(() => this.followClock(task, streamClock));
    }
  }

  /**
   * Closes the windows of a caught-up partition that the stream's clock has passed, and commits
   * them; a quiet partition's step moves the group's offset too (one that closes none moves only
   * that offset, when it lags).
   */
  async followClock(task: PartitionTask, streamClock: number): Promise<void> {
    if (task.dropped || this.stopping) return;
    const follows = followsClock(task, streamClock);
    if (!follows && !(this.offsetsLag(task) && this.quiet(task))) return;
    const features = follows ? task.intake.follow(streamClock) : [];
    for (const r of features) touch(task, r.lab, r.account_id);
    try {
      await this.commit(task, { features, deadLetters: [], consumed: false });
    } catch (err) {
      await this.recoverTask(task, err, false);
    }
    this.#m.lag(0, { partition: task.partition });
  }

  protected detail(): Record<string, unknown> {
    return { partitions: [...this.#assigned].sort((a, b) => a - b) };
  }

  async stop(): Promise<void> {
    const log = this.log;
    clearInterval(this.#followTimer);
    await this.leaveGroup();
    log.info('left the consumer group; finishing the clock follower');
    await this.#following;
    log.info('closing partition producers');
    for (const t of this.#tasks.values()) {
      const task = await t.catch(() => null);
      if (task) await task.exclusive(() => this.drop(task));
    }
    await this.reader.stop();
    log.info('aggregator stopped');
  }
}

function deadLetter(letter: Omit<DeadLetter, 'line' | 'source'>, key: Buffer | null): Message {
  return deadLetterMessage({ line: null, source: 'aggregator', ...letter }, key);
}

/** `messages` in order, cut into runs of at most `limit` value bytes (a larger message alone). */
function chunksOf<M extends { value: Buffer }>(messages: M[], limit: number): M[][] {
  const chunks: M[][] = [];
  let bytes = Number.POSITIVE_INFINITY;
  for (const msg of messages) {
    if (bytes + msg.value.length > limit) { chunks.push([]); bytes = 0; }
    chunks.at(-1)!.push(msg);
    bytes += msg.value.length;
  }
  return chunks;
}

/** Whether the stream's clock (-Infinity: no progress yet) is ahead of the partition's. */
const followsClock = (task: PartitionTask, streamClock: number): boolean => Number.isFinite(streamClock) && streamClock > task.aggregator.streamClock;

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

const storeKey = (lab: string, accountId: string) => `acct:${JSON.stringify([lab, accountId])}`;

function touch(task: PartitionTask, lab: string, accountId: string): void {
  let ids = task.touched.get(lab);
  if (!ids) { ids = new Set(); task.touched.set(lab, ids); }
  ids.add(accountId);
}

/** The aggregator's counters and gauges, one handle per `metricCatalog.json` entry. */
type AggregatorMetrics = Record<keyof typeof METRIC_CATALOG.aggregator, MetricHandle>;


