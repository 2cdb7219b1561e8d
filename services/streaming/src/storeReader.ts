// StoreReader: follows compacted topics (changelogs, progress, models) from the beginning and
// keeps the latest value of every key per partition, like a Kafka Streams global table. A
// service restores a partition's state from it after fencing the previous owner: `restore`
// waits until the reader has read everything committed up to the end offsets at that moment,
// so the state it returns is exactly the last committed one. It reads with read_committed
// (kafkajs's default), so aborted writes of a crashed or fenced owner are never seen.
// It never commits offsets: it uses a throw-away consumer group of its own.
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Logger } from './log.ts';

export class StoreReader {
  readonly topics: readonly string[];
  readonly #consumer: Consumer;
  readonly #admin: Admin;
  /** topic -> partition -> key -> latest value (tombstones delete). */
  readonly #tables = new Map<string, Map<number, Map<string, Buffer>>>();
  /** `${topic}/${partition}` -> next offset to read. */
  readonly #positions = new Map<string, number>();
  #waiters: (() => void)[] = [];
  /** Called with each new value (after the table is updated). */
  onValue: ((topic: string, partition: number, key: string, value: Buffer | null) => void) | null = null;

  private constructor(kafka: Kafka, admin: Admin, topics: readonly string[], groupPrefix: string) {
    this.topics = topics;
    this.#admin = admin;
    this.#consumer = kafka.consumer({ groupId: `${groupPrefix}${randomUUID()}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    for (const t of topics) this.#tables.set(t, new Map());
  }

  /** Starts following `topics` (which must exist). */
  static async start(kafka: Kafka, admin: Admin, topics: readonly string[], groupPrefix: string, log: Logger): Promise<StoreReader> {
    const reader = new StoreReader(kafka, admin, topics, groupPrefix);
    const c = reader.#consumer;
    c.on(c.events.END_BATCH_PROCESS, ({ payload }) => reader.#advance(payload.topic, payload.partition, Number(payload.lastOffset) + 1));
    c.on(c.events.CRASH, ({ payload }) => log.warn('store reader consumer crashed; kafkajs restarts it', { error: payload.error }));
    await c.connect();
    await c.subscribe({ topics: [...topics], fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const table = reader.#table(batch.topic, batch.partition);
        for (const m of batch.messages) {
          const key = m.key?.toString('utf8') ?? '';
          if (m.value === null) table.delete(key); else table.set(key, m.value);
          reader.onValue?.(batch.topic, batch.partition, key, m.value);
        }
        reader.#advance(batch.topic, batch.partition, Number(batch.lastOffset()) + 1);
      },
    });
    return reader;
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

  /** The latest value of every key of a partition as read so far (no waiting). */
  current(topic: string, partition: number): ReadonlyMap<string, Buffer> {
    return this.#table(topic, partition);
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect().catch(() => undefined);
  }
}
