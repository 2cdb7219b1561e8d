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
import { CompressionTypes, Partitioners, isRetriable, type Consumer, type Message, type Producer } from '@distillwatch/platform/kafka';
import { Aggregator, EventIntake, accountKey, parseUsageEventRecord, type AccountFeatures, type AggregatorSnapshot, type UsageEvent } from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { deadLetterMessage, rawFromBytes, type DeadLetter } from '@distillwatch/platform/dlq';
import { prefixedId, sleep, type RunningService, type ServiceContext } from './context.ts';
import { SerialLock, inTransaction, lockAndRestore, recover, type Transaction } from './consumerService.ts';
import { decodeProgress, encodeProgress, streamClockOf, type PartitionProgress } from './progress.ts';
import { keepConsuming } from './keepConsuming.ts';
import { StoreReader } from './storeReader.ts';


/** Most bytes of usage records one batch (hence one transaction) of a partition holds. */
const BATCH_BYTES_PER_PARTITION = 4 * 1024 * 1024;

/**
 * Most value bytes of account-features records per send: kafkajs makes one record batch per
 * partition of a send, and the topic takes batches of at most 1 MiB (max.message.bytes).
 */
const FEATURES_SEND_BYTES = 512 * 1024;

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
  /** Whether input was consumed (then the offset is committed in the transaction). */
  consumed: boolean;
}

export async function startAggregator(ctx: ServiceContext): Promise<RunningService> {
  const { topics, log: rootLog, metrics } = ctx;
  const log = rootLog.child({ service: 'aggregator' });
  const source = topics.usageEvents;
  const sinks = { features: topics.accountFeatures, deadLetters: topics.deadLetters, progress: topics.aggregatorProgress };
  const store = { windows: topics.aggregatorWindows };
  const groupId = prefixedId(ctx, 'distillwatch.aggregator');

  const m = {
    eventsIn: metrics.counter('distillwatch_aggregator_events_in_total', 'Usage records read'),
    rejected: metrics.counter('distillwatch_aggregator_rejected_total', 'Usage records dead-lettered as undecodable or malformed'),
    late: metrics.counter('distillwatch_aggregator_late_total', 'Usage events too late to count (dead-lettered)'),
    duplicates: metrics.counter('distillwatch_aggregator_duplicates_total', 'Usage events dropped as duplicates'),
    windowsClosed: metrics.counter('distillwatch_aggregator_windows_closed_total', 'Account-windows closed and published'),
    commits: metrics.counter('distillwatch_aggregator_commits_total', 'Transactions committed'),
    commitFailures: metrics.counter('distillwatch_aggregator_commit_failures_total', 'Transactions that failed (state restored from the changelog)'),
    lag: metrics.gauge('distillwatch_aggregator_consumer_lag', 'Usage records not yet applied, per partition'),
    restoreSeconds: metrics.gauge('distillwatch_aggregator_restore_seconds', 'Time the last restore of a partition took'),
    clock: metrics.gauge('distillwatch_aggregator_stream_clock_ms', 'Stream clock of a partition (event time, epoch ms)'),
  };

  const usageCodec = await AvroCodec.forTopic<UsageEvent>(ctx.registry, source, await readSchemaFile('usage-event.avsc'));
  const featuresCodec = await AvroCodec.forTopic<AccountFeatures>(ctx.registry, sinks.features, await readSchemaFile('account-features.avsc'));
  const partitioner = Partitioners.DefaultPartitioner();
  const featurePartitionMetadata = Array.from({ length: ctx.featurePartitions }, (_, i) => ({ partitionId: i, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0, offlineReplicas: [] }));
  /** The partition kafkajs's default (Java-compatible murmur2) partitioner picks for a key. */
  const featurePartitionOf = (key: string) => partitioner({ topic: sinks.features, partitionMetadata: featurePartitionMetadata, message: { key, value: null } });

  const reader = await StoreReader.start(ctx.kafka, ctx.admin, [store.windows, sinks.progress], prefixedId(ctx, 'distillwatch.aggregator.restore.'), log);
  const tasks = new Map<number, Promise<PartitionTask>>();
  let assigned = new Set<number>();
  let stopping = false;
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => { fail = reject; });
  failed.catch(() => undefined);

  async function restoreTask(partition: number): Promise<PartitionTask> {
    const started = Date.now();
    // Locking initialises the transactional id: the previous owner is fenced and its open
    // transaction aborted before the changelog is read.
    return lockAndRestore(ctx, prefixedId(ctx, `distillwatch.aggregator.${partition}`), async (producer) => {
      const entries = await reader.restore(store.windows, partition);
      const written = new Map<string, string>();
      let meta: TaskMeta | null = null;
      const accounts: AggregatorSnapshot['accounts'] = [];
      for (const [key, value] of entries) {
        const json = value.toString('utf8');
        written.set(key, json);
        if (key === META_KEY) meta = JSON.parse(json) as TaskMeta;
        else accounts.push(JSON.parse(json) as AggregatorSnapshot['accounts'][number]);
      }
      const aggregator = meta === null
        ? new Aggregator(ctx.detector.windows)
        : Aggregator.restore(ctx.detector.windows, { version: 1, clock: meta.clock, aheadTime: meta.aheadTime, sweptAt: meta.sweptAt, accounts });
      const task = new PartitionTask(partition, producer, aggregator, meta, written);
      // This task writes the partition's changelog from now on and keeps what it holds.
      reader.pause(store.windows, partition);
      const seconds = (Date.now() - started) / 1000;
      m.restoreSeconds(seconds, { partition });
      log.info('partition restored', { partition, accounts: accounts.length, nextOffset: task.nextOffset, seconds });
      return task;
    });
  }

  function obtain(partition: number): Promise<PartitionTask> {
    let t = tasks.get(partition);
    if (!t) {
      t = restoreTask(partition);
      tasks.set(partition, t);
      t.catch((err) => { if (tasks.get(partition) === t) tasks.delete(partition); log.warn('restore failed; retrying on the next batch', { partition, error: err }); });
    }
    return t;
  }

  async function drop(task: PartitionTask): Promise<void> {
    task.dropped = true;
    const current = tasks.get(task.partition);
    if (current && (await current.catch(() => null)) === task) tasks.delete(task.partition);
    m.lag(0, { partition: task.partition });
    await task.producer.disconnect().catch(() => undefined);
  }

  /**
   * The store entries that changed since the last commit (key, JSON or null for deleted): the
   * accounts touched since then, or every account when the clock entered a new window (the
   * only time the aggregator forgets idle accounts).
   */
  function storeChanges(task: PartitionTask): { changes: [string, string | null][]; meta: Pick<AggregatorSnapshot, 'aheadTime' | 'sweptAt'> } {
    const windowIndex = Math.floor(task.aggregator.streamClock / ctx.detector.windows.windowMs);
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

  async function commit(task: PartitionTask, out: Outbox): Promise<void> {
    const { featuresEnd, changes, clock } = await inTransaction(task.producer, (txn) => writeStep(task, out, txn));
    task.featuresEnd = featuresEnd;
    task.committedOffset = task.nextOffset;
    for (const [key, json] of changes) if (json === null) task.written.delete(key); else task.written.set(key, json);
    task.touched.clear();
    m.commits();
    m.windowsClosed(out.features.length);
    m.clock(Number.isFinite(clock) ? clock : 0, { partition: task.partition });
  }

  /** What one step of a partition writes in its transaction: features, dead letters, changelog, progress, offset. */
  async function writeStep(task: PartitionTask, out: Outbox, txn: Transaction): Promise<{ featuresEnd: Record<string, number>; changes: [string, string | null][]; clock: number }> {
    const featuresEnd = { ...task.featuresEnd };
    if (out.features.length > 0) {
      const messages = out.features.map((r) => {
        const key = accountKey(r.lab, r.account_id);
        return { key, value: featuresCodec.encode(r), partition: featurePartitionOf(key), timestamp: String(r.window_end) };
      });
      for (const chunk of chunksOf(messages, FEATURES_SEND_BYTES)) {
        const counts = new Map<number, number>();
        for (const msg of chunk) counts.set(msg.partition, (counts.get(msg.partition) ?? 0) + 1);
        const sent = await txn.send({ topic: sinks.features, messages: chunk });
        for (const s of sent) featuresEnd[String(s.partition)] = Number(s.baseOffset) + (counts.get(s.partition) ?? 0);
      }
    }
    if (out.deadLetters.length > 0) await txn.send({ topic: sinks.deadLetters, messages: out.deadLetters });
    const clock = task.aggregator.streamClock;
    const { changes, meta: snap } = storeChanges(task);
    const meta: TaskMeta = {
      version: 1, nextOffset: task.nextOffset, featuresEnd, clock: finiteOrNull(clock), aheadTime: snap.aheadTime, sweptAt: snap.sweptAt,
    };
    changes.push([META_KEY, JSON.stringify(meta)]);
    await txn.send({
      topic: store.windows, compression: CompressionTypes.GZIP,
      messages: changes.map(([key, json]) => ({ key, value: json === null ? null : Buffer.from(json, 'utf8'), partition: task.partition })),
    });
    const progress: PartitionProgress = {
      partition: task.partition, clock: finiteOrNull(clock), completeThrough: finiteOrNull(task.aggregator.completeThrough), features: featuresEnd,
    };
    await txn.send({ topic: sinks.progress, messages: [{ key: String(task.partition), value: encodeProgress(progress), partition: 0 }] });
    if (out.consumed) {
      await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: source, partitions: [{ partition: task.partition, offset: String(task.nextOffset) }] }] });
    }
    return { featuresEnd, changes, clock };
  }

  /** A failed batch or commit: forget the partition's state; it is restored from the last commit. */
  async function recoverTask(task: PartitionTask, err: unknown, consumer: Consumer | null): Promise<void> {
    m.commitFailures();
    await recover(err, {
      log, context: { partition: task.partition }, drop: () => drop(task), stopping: () => stopping,
      rewind: consumer && (() => consumer.seek({ topic: source, partition: task.partition, offset: String(task.committedOffset) })),
    });
  }

  function deadLetter(letter: Omit<DeadLetter, 'line' | 'source'>, key: Buffer | null): Message {
    return deadLetterMessage({ line: null, source: 'aggregator', ...letter }, key);
  }

  // Batches of up to 4 MiB per partition (kafkajs reads 1 MiB by default): every batch is one
  // transaction that rewrites the changelog entries of every account it touched, so while
  // catching up, fewer larger batches cost much less. A caught-up stream gets small batches anyway.
  const consumer = ctx.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200,
    maxBytesPerPartition: BATCH_BYTES_PER_PARTITION, maxBytes: BATCH_BYTES_PER_PARTITION * 4,
    sessionTimeout: ctx.settings.sessionTimeoutMs, heartbeatInterval: Math.floor(ctx.settings.sessionTimeoutMs / 10) });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assigned = new Set(payload.memberAssignment[source] ?? []);
    log.info('partitions assigned', { partitions: [...assigned].sort((a, b) => a - b) });
    for (const [partition, t] of tasks) {
      if (!assigned.has(partition)) void t.then((task) => task.exclusive(() => drop(task))).catch(() => undefined);
    }
    for (const p of assigned) void obtain(p).catch(() => undefined);
  });
  await keepConsuming(consumer, async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [source], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      // Partitions are independent tasks (own state, lock and producer): while one waits for its
      // transaction to commit, another computes.
      partitionsConsumedConcurrently: ctx.usagePartitions,
      eachBatch: async ({ batch, isRunning, isStale }) => {
        const partition = batch.partition;
        let task: PartitionTask;
        try {
          task = await obtain(partition);
        } catch {
          await sleep(1000);
          consumer.seek({ topic: source, partition, offset: batch.firstOffset() ?? '0' });
          return;
        }
        await task.exclusive(async () => {
          if (task.dropped || !isRunning() || isStale()) return;
          const out: Outbox = { features: [], deadLetters: [], consumed: false };
          try {
            for (const message of batch.messages) {
              const offset = Number(message.offset);
              if (offset < task.nextOffset) continue;
              m.eventsIn();
              let event: UsageEvent | null = null;
              try {
                event = await usageCodec.decode(message.value ?? Buffer.alloc(0));
              } catch (err) {
                if (isRetriable(err)) throw err;
                m.rejected();
                out.deadLetters.push(deadLetter({ reason: `undecodable: ${(err as Error).message}`, raw: rawFromBytes(message.value), partition, offset }, message.key));
              }
              if (event !== null) {
                // Validated and windowed as `detect` does its JSON lines; the text only for dead letters.
                const decoded = event;
                const text = () => JSON.stringify(decoded);
                const step = task.intake.accept(parseUsageEventRecord(event as unknown as Record<string, unknown>, 0, text), 0, text);
                if (step.event) touch(task, step.event.lab, step.event.account_id);
                if (step.outcome === 'rejected') m.rejected();
                else if (step.outcome === 'late') m.late();
                else if (step.outcome === 'duplicate') m.duplicates();
                const r = step.rejection;
                if (r) out.deadLetters.push(deadLetter({ reason: r.reason, ...(r.field ? { field: r.field } : {}), raw: r.raw, partition, offset }, message.key));
                for (const record of step.records) { out.features.push(record); touch(task, record.lab, record.account_id); }
              }
              task.nextOffset = offset + 1;
              out.consumed = true;
            }
            if (out.consumed) await commit(task, out);
            m.lag(Math.max(0, Number(batch.highWatermark) - task.nextOffset), { partition });
          } catch (err) {
            await recoverTask(task, err, consumer);
          }
        });
      },
    });
  }, { log, stopping: () => stopping, fail });

  // A partition that has read everything in it follows the rest of the stream's clock.
  let following: Promise<void> | null = null;
  const followTimer = setInterval(() => {
    // One pass at a time: a pass slowed down by a broker outage is not queued behind.
    following ??= followStream()
      .catch((err) => log.warn('following the stream clock failed', { error: err }))
      .finally(() => { following = null; });
  }, ctx.settings.idleCheckMs);

  async function followStream(): Promise<void> {
    if (stopping) return;
    // Read the stream's clock before the end offsets: whatever is appended after this moment
    // arrives, by the contract's time rule, at most the idle grace behind this clock.
    const progress = [...reader.current(sinks.progress, 0).values()].map(decodeProgress);
    const streamClock = streamClockOf(progress);
    if (!Number.isFinite(streamClock)) return;
    let ends: Map<number, number> | null = null;
    for (const partition of [...assigned]) {
      const t = tasks.get(partition);
      if (!t) {
        // A restore that failed (broker busy) is retried here too: a partition without records
        // gets no batch that would retry it.
        void obtain(partition).catch(() => undefined);
        continue;
      }
      const task = await t.catch(() => null);
      if (!task || task.dropped || !(streamClock > task.aggregator.streamClock)) continue;
      ends ??= new Map((await ctx.admin.fetchTopicOffsets(source)).map((o) => [o.partition, Number(o.high)]));
      if (task.nextOffset < (ends.get(partition) ?? 0)) continue;
      await task.exclusive(async () => {
        if (task.dropped || stopping || !(streamClock > task.aggregator.streamClock)) return;
        const features = task.intake.follow(streamClock);
        for (const r of features) touch(task, r.lab, r.account_id);
        try {
          await commit(task, { features, deadLetters: [], consumed: false });
        } catch (err) {
          await recoverTask(task, err, null);
        }
        m.lag(0, { partition });
      });
    }
  }

  log.info('aggregator started', { source, sinks, store, groupId });
  return {
    name: 'aggregator',
    failed,
    detail: () => ({ partitions: [...assigned].sort((a, b) => a - b) }),
    async stop() {
      stopping = true;
      clearInterval(followTimer);
      // Disconnecting waits for the batch in progress, which commits before it returns.
      await consumer.disconnect().catch((err) => log.warn('consumer disconnect failed', { error: err }));
      log.info('left the consumer group; finishing the clock follower');
      await following;
      log.info('closing partition producers');
      for (const t of tasks.values()) {
        const task = await t.catch(() => null);
        if (task) await task.exclusive(() => drop(task));
      }
      await reader.stop();
      log.info('aggregator stopped');
    },
  };
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

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

const storeKey = (lab: string, accountId: string) => `acct:${JSON.stringify([lab, accountId])}`;

function touch(task: PartitionTask, lab: string, accountId: string): void {
  let ids = task.touched.get(lab);
  if (!ids) { ids = new Set(); task.touched.set(lab, ids); }
  ids.add(accountId);
}
