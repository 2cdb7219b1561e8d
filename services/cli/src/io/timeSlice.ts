// Reads the records of a topic whose timestamps fall in a time range, from every partition,
// merged into one stream by record timestamp, for `replay`. Where each partition starts and
// ends is found once, up front, with offset-for-time lookups: it starts at the first record
// stamped at or after `from` and ends before the first record stamped at or after `until` (or
// at the partition's end as it was when the read began), so progress and ETA are exact.
//
// Order: the merge only ever takes the head of a partition, so each partition's own order -
// and with it each key's (account's) order - is kept; among heads, the oldest timestamp goes
// first (ties by partition). Records are buffered per partition up to a bound; a partition
// that is far ahead is paused until the others catch up, so memory stays bounded. It uses a
// throw-away consumer group that never commits and is deleted at the end; it never writes.
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from '@distillwatch/platform/kafka';

/** A partition is paused when this many of its records wait to be merged... */
const BUFFER_HIGH = 5000;
/** ...and resumed when it is down to this many. */
const BUFFER_LOW = 1000;

export interface SliceRecord {
  partition: number;
  offset: bigint;
  /** Kafka record timestamp (epoch ms). */
  timestamp: number;
  message: KafkaMessage;
}

export interface PartitionRange {
  partition: number;
  /** First offset to read. */
  start: bigint;
  /** First offset not to read. */
  end: bigint;
}

/** Per partition: from the first record at or after `from` to before the first at or after `until`. */
export async function sliceRanges(admin: Admin, topic: string, from: number, until: number): Promise<PartitionRange[]> {
  // A partition without a record at or after a time answers with its end (kafkajs maps -1 so).
  const [starts, ends] = await Promise.all([
    admin.fetchTopicOffsetsByTimestamp(topic, from),
    admin.fetchTopicOffsetsByTimestamp(topic, until),
  ]);
  const endOf = new Map(ends.map((e) => [e.partition, BigInt(e.offset)]));
  return starts
    .map((s) => ({ partition: s.partition, start: BigInt(s.offset), end: endOf.get(s.partition) ?? BigInt(s.offset) }))
    .map((r) => (r.end < r.start ? { ...r, end: r.start } : r))
    .sort((a, b) => a.partition - b.partition);
}

/** Records still to read over all ranges, for progress. */
export function recordsIn(ranges: readonly PartitionRange[]): number {
  return ranges.reduce((sum, r) => sum + Number(r.end - r.start), 0);
}

/**
 * The k-way merge of partition streams by record timestamp: it releases a record only when
 * every partition that may still deliver one has a record waiting, and then the oldest (ties
 * by partition), so the merged order depends only on the partitions' contents, never on when
 * their records arrived. Each partition's own order is kept.
 */
export class PartitionMerge<V> {
  readonly #waiting = new Map<number, { timestamp: number; value: V }[]>();
  readonly #open = new Set<number>();

  constructor(partitions: readonly number[]) {
    for (const p of [...partitions].sort((a, b) => a - b)) {
      this.#waiting.set(p, []);
      this.#open.add(p);
    }
  }

  /** The next record of `partition`, in the partition's order. */
  push(partition: number, timestamp: number, value: V): void {
    if (!this.#open.has(partition)) throw new Error(`partition ${partition} was declared exhausted`);
    this.#waiting.get(partition)!.push({ timestamp, value });
  }

  /** `partition` will deliver nothing more. */
  exhaust(partition: number): void {
    this.#open.delete(partition);
  }

  /** Records waiting in `partition`. */
  waiting(partition: number): number {
    return this.#waiting.get(partition)?.length ?? 0;
  }

  /** Every record that can be released now, in merged order. */
  *release(): Generator<{ partition: number; value: V }> {
    for (;;) {
      let head: number | null = null;
      let headTime = 0;
      for (const [p, queue] of this.#waiting) {
        if (queue.length === 0) {
          if (this.#open.has(p)) return; // this partition may still deliver an older record
          continue;
        }
        if (head === null || queue[0]!.timestamp < headTime) { head = p; headTime = queue[0]!.timestamp; }
      }
      if (head === null) return;
      yield { partition: head, value: this.#waiting.get(head)!.shift()!.value };
    }
  }

  /** True when every partition is exhausted and nothing waits. */
  get finished(): boolean {
    return this.#open.size === 0 && [...this.#waiting.values()].every((q) => q.length === 0);
  }
}

interface PartitionState {
  range: PartitionRange;
  /** Next offset expected from the broker. */
  next: bigint;
  paused: boolean;
}

/** What a slice read does with each record: decode it, take it in merged order, flush after each run. */
export interface SliceHandlers<T> {
  decode(record: SliceRecord): Promise<T>;
  onRecord(value: T, record: SliceRecord): void;
  afterBatch?(): Promise<void>;
}

/**
 * Reads every range with the throw-away consumer group `groupId` and calls `onRecord` in merged
 * order. `decode` turns each record into what `onRecord` gets (it may be async: a schema
 * lookup); `afterBatch` runs after each merged run (e.g. to flush output) and may be async.
 */
export async function readMergedSlice<T>(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  ranges: readonly PartitionRange[],
  groupId: string,
  handlers: SliceHandlers<T>,
): Promise<void> {
  const states = new Map<number, PartitionState>(ranges.map((range) => [range.partition, { range, next: range.start, paused: false }]));
  const merge = new PartitionMerge<{ record: SliceRecord; value: T }>(ranges.map((r) => r.partition));
  for (const s of states.values()) if (exhausted(s)) merge.exhaust(s.range.partition);
  if (merge.finished) return;

  await admin.setOffsets({ groupId, topic, partitions: ranges.map((r) => ({ partition: r.partition, offset: r.start.toString() })) });
  const consumer: Consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
  try {
    await new SliceRead(consumer, topic, states, merge, handlers).run();
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}

const exhausted = (s: PartitionState) => s.next >= s.range.end;

/** One read of a slice: the consumer's partitions paused and resumed so that the merge stays bounded. */
class SliceRead<T> {
  readonly #consumer: Consumer;
  readonly #topic: string;
  readonly #states: Map<number, PartitionState>;
  readonly #merge: PartitionMerge<{ record: SliceRecord; value: T }>;
  readonly #handlers: SliceHandlers<T>;
  #done: () => void = () => undefined;
  #fail: (err: unknown) => void = () => undefined;
  readonly #completed = new Promise<void>((resolve, reject) => { this.#done = resolve; this.#fail = reject; });

  constructor(consumer: Consumer, topic: string, states: Map<number, PartitionState>, merge: PartitionMerge<{ record: SliceRecord; value: T }>, handlers: SliceHandlers<T>) {
    this.#consumer = consumer;
    this.#topic = topic;
    this.#states = states;
    this.#merge = merge;
    this.#handlers = handlers;
  }

  /** Resolves once every range is read and handed on. */
  async run(): Promise<void> {
    const consumer = this.#consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => { if (!payload.restart) this.#fail(payload.error); });
    // Batches of transaction markers only never reach eachBatch but still move the partition on.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const s = this.#states.get(payload.partition);
      const last = BigInt(payload.lastOffset) + 1n;
      if (s && last > s.next && payload.batchSize === 0) {
        s.next = last < s.range.end ? last : s.range.end;
        void this.advance(s).catch(this.#fail);
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.#topic] });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: Math.max(1, this.#states.size),
      eachBatch: (payload) => this.take(payload),
    });
    await this.#completed;
  }

  /** Decodes a batch's records of the range into the merge, then hands on what the merge releases. */
  async take({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    const s = this.#states.get(batch.partition);
    if (!s) return;
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      if (offset < s.next || offset >= s.range.end) continue;
      const record: SliceRecord = { partition: batch.partition, offset, timestamp: Number(message.timestamp), message };
      const value = await this.#handlers.decode(record);
      this.#merge.push(batch.partition, record.timestamp, { record, value });
      s.next = offset + 1n;
    }
    const last = BigInt(batch.lastOffset()) + 1n;
    if (last > s.next) s.next = last < s.range.end ? last : s.range.end;
    if (this.#merge.waiting(batch.partition) >= BUFFER_HIGH) this.pause(s);
    await this.advance(s);
    await heartbeat();
  }

  pause(s: PartitionState): void {
    if (s.paused) return;
    s.paused = true;
    this.#consumer.pause([{ topic: this.#topic, partitions: [s.range.partition] }]);
  }

  resume(s: PartitionState): void {
    if (!s.paused || exhausted(s)) return;
    s.paused = false;
    this.#consumer.resume([{ topic: this.#topic, partitions: [s.range.partition] }]);
  }

  // Synchronous up to afterBatch, so concurrent partition handlers never interleave in a release.
  async advance(s: PartitionState): Promise<void> {
    const merge = this.#merge;
    if (exhausted(s)) {
      merge.exhaust(s.range.partition);
      this.pause(s);
    }
    for (const { partition, value } of merge.release()) {
      this.#handlers.onRecord(value.value, value.record);
      if (merge.waiting(partition) <= BUFFER_LOW) this.resume(this.#states.get(partition)!);
    }
    await this.#handlers.afterBatch?.();
    if (merge.finished) this.#done();
  }
}
