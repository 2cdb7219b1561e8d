// StoreReader: follows compacted topics (changelogs, progress, models) from the beginning and
// keeps the latest value of every key per partition, like a Kafka Streams global table. A
// service restores a partition's state from it after fencing the previous owner: `restore`
// waits until the reader has read everything committed up to the end offsets at that moment,
// so the state it returns is exactly the last committed one. It reads with read_committed
// (kafkajs's default), so aborted writes of a crashed or fenced owner are never seen.
// It never commits offsets: it uses a throw-away consumer group of its own.
// A partition whose owner is this process (which writes it and keeps its state in memory) can
// be paused: reading back its own writes would only cost time. `restore` resumes it and catches up.
// Changelogs are `restoreOnly`: their partitions are read only from a `restore` on, never
// followed for another owner. Followed, every process read every other process's changelog
// writes, so the cost of the changelogs grew with the processes sharing the partitions (and a
// standby scorer read every commit of the owner's state); a restore now reads the partition
// from where this reader stopped, the compacted history included, as a Kafka Streams task
// without standby replicas does.
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from '@distillwatch/platform/kafka';
import type { Logger } from './log.ts';

export class StoreReader {
  readonly topics: readonly string[];
  #consumer: Consumer;
  readonly #kafka: Kafka;
  readonly #groupPrefix: string;
  readonly #log: Logger;
  #stopped = false;
  readonly #admin: Admin;
  /** topic -> partition -> key -> latest value (tombstones delete). */
  readonly #tables = new Map<string, Map<number, Map<string, Buffer>>>();
  /** `${topic}/${partition}` -> next offset to read. */
  readonly #positions = new Map<string, number>();
  #waiters: (() => void)[] = [];
  /** `${topic}/${partition}` of the paused partitions (kept to pause them again on a new consumer). */
  readonly #paused = new Map<string, { topic: string; partition: number }>();
  /** Called with each new value (after the table is updated). */
  onValue: ((topic: string, partition: number, key: string, value: Buffer | null) => void) | null = null;

  private constructor(kafka: Kafka, admin: Admin, topics: readonly string[], groupPrefix: string, log: Logger) {
    this.topics = topics;
    this.#kafka = kafka;
    this.#admin = admin;
    this.#groupPrefix = groupPrefix;
    this.#log = log;
    this.#consumer = this.#newConsumer();
    for (const t of topics) this.#tables.set(t, new Map());
  }

  /** Starts following `topics` (which must exist); those also in `restoreOnly` are read only from a restore on. */
  static async start(kafka: Kafka, admin: Admin, topics: readonly string[], groupPrefix: string, log: Logger, restoreOnly: readonly string[] = []): Promise<StoreReader> {
    const reader = new StoreReader(kafka, admin, topics, groupPrefix, log);
    for (const topic of restoreOnly) {
      for (const { partition } of await admin.fetchTopicOffsets(topic)) reader.#paused.set(`${topic}/${partition}`, { topic, partition });
    }
    await reader.#follow();
    return reader;
  }

  #newConsumer(): Consumer {
    return this.#kafka.consumer({ groupId: `${this.#groupPrefix}${randomUUID()}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  }

  async #follow(): Promise<void> {
    const c = this.#consumer;
    c.on(c.events.END_BATCH_PROCESS, ({ payload }) => this.#advance(payload.topic, payload.partition, Number(payload.lastOffset) + 1));
    c.on(c.events.CRASH, ({ payload }) => {
      if (payload.restart) { this.#log.warn('store reader consumer crashed; kafkajs restarts it', { error: payload.error }); return; }
      // kafkajs gives up on a crash whose cause it deems non-retriable (seen after a broker
      // restart: "Failed to find group coordinator"). Follow again with a fresh consumer: the
      // topics are compacted and read from the beginning, so replaying them gives the same tables.
      this.#log.warn('store reader consumer stopped; following again with a new consumer', { error: payload.error });
      setTimeout(() => { void this.#refollow(c); }, 1000).unref();
    });
    // Paused on joining, before the first fetch: once run() returns, one may be under way.
    c.on(c.events.GROUP_JOIN, () => {
      for (const { topic, partition } of this.#paused.values()) c.pause([{ topic, partitions: [partition] }]);
    });
    await c.connect();
    await c.subscribe({ topics: [...this.topics], fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const table = this.#table(batch.topic, batch.partition);
        for (const m of batch.messages) {
          const key = m.key?.toString('utf8') ?? '';
          if (m.value === null) table.delete(key); else table.set(key, m.value);
          this.onValue?.(batch.topic, batch.partition, key, m.value);
        }
        this.#advance(batch.topic, batch.partition, Number(batch.lastOffset()) + 1);
      },
    });
  }

  async #refollow(crashed: Consumer): Promise<void> {
    if (this.#stopped || this.#consumer !== crashed) return;
    await crashed.disconnect().catch(() => undefined);
    this.#consumer = this.#newConsumer();
    try {
      await this.#follow();
    } catch (err) {
      this.#log.warn('store reader could not follow again; retrying', { error: err });
      setTimeout(() => { void this.#refollow(this.#consumer); }, 2000).unref();
    }
  }

  #table(topic: string, partition: number): Map<string, Buffer> {
    const byPartition = this.#tables.get(topic)!;
    let t = byPartition.get(partition);
    if (!t) { t = new Map(); byPartition.set(partition, t); }
    return t;
  }

  #advance(topic: string, partition: number, next: number): void {
    const id = `${topic}/${partition}`;
    if (next > (this.#positions.get(id) ?? 0)) this.#positions.set(id, next);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /**
   * The latest committed value of every key of one partition, once the reader has caught up with
   * everything committed to it so far. Call after fencing the previous writer.
   */
  async restore(topic: string, partition: number, timeoutMs = 120_000): Promise<Map<string, Buffer>> {
    this.#resume(topic, partition);
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    const o = offsets.find((x) => x.partition === partition);
    if (!o) throw new Error(`${topic} has no partition ${partition}`);
    const high = Number(o.high);
    const low = Number(o.low);
    const id = `${topic}/${partition}`;
    const deadline = Date.now() + timeoutMs;
    while (high > low && (this.#positions.get(id) ?? 0) < high) {
      if (Date.now() > deadline) throw new Error(`restoring ${id}: not caught up with offset ${high} after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.#waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return new Map(this.#table(topic, partition));
  }

  /**
   * Stops reading a partition this process now writes and holds in memory itself; its table goes
   * stale until the next `restore` of it.
   */
  pause(topic: string, partition: number): void {
    this.#paused.set(`${topic}/${partition}`, { topic, partition });
    this.#consumer.pause([{ topic, partitions: [partition] }]);
  }

  #resume(topic: string, partition: number): void {
    if (!this.#paused.delete(`${topic}/${partition}`)) return;
    this.#consumer.resume([{ topic, partitions: [partition] }]);
  }

  /** The latest value of every key of a partition as read so far (no waiting). */
  current(topic: string, partition: number): ReadonlyMap<string, Buffer> {
    return this.#table(topic, partition);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#consumer.disconnect().catch(() => undefined);
  }
}
