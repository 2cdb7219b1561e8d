// A scorer instance (`run scorer-instance`): the per-account half of a split scorer
// (detector/accountScoring.ts). Instances share account-features as a consumer group (keyed by
// account, so an account stays on one instance while the assignment holds); each holds its
// partitions' records until the owner (`run scorer --split`) publishes their window's context,
// then writes each account's stage-1 score for the owner to use.
//
//   account-features (group distillwatch.scorer-instances) ─► held records ─┐
//   distillwatch.scorer.contexts + distillwatch.scorer.models (read whole) ──┴► scoreAccounts ─► distillwatch.scorer.account-scores
//
// No changelog and no transaction: a score is a pure function of the context and the record,
// so scoring again gives the same bytes, and the owner keeps one score per window and account.
// The instance commits its position in a partition only up to the lowest offset of a record it
// still holds; after a crash or a rebalance, whoever holds the partition reads those records again
// and scores them again. A record of a window the owner has already scored (the contexts topic's
// `finished` marker) is dropped. It must never link, train, or decide an alert.
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from '@distillwatch/platform/kafka';
import {
  REGISTRY, WindowScorer, accountKey, modelFromJSON, scoreAccounts,
  type AccountFeatures, type ScoringModel,
} from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { PRODUCER_RETRY, prefixedId, type RunningService, type ServiceContext } from './context.ts';
import { ConsumerService, SerialLock } from './consumerService.ts';
import type { Logger } from './log.ts';
import { threadCpuMs } from './cpuTime.ts';
import { StoreReader } from './storeReader.ts';
import { FINISHED_KEY, accountScoreKey, contextKey, decodeContext, decodeFinished, encodeAccountScore, type WindowContextMessage } from './splitWire.ts';

export async function startScorerInstance(ctx: ServiceContext): Promise<RunningService> {
  const log = ctx.log.child({ service: 'scorer-instance' });
  const features = await AvroCodec.forTopic<AccountFeatures>(ctx.registry, ctx.topics.accountFeatures, await readSchemaFile('account-features.avsc'));
  const reader = await StoreReader.start(ctx.kafka, ctx.admin, [ctx.topics.scorerContexts, ctx.topics.scorerModels], prefixedId(ctx, 'distillwatch.scorer-instances.contexts.'), log);
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: PRODUCER_RETRY });
  await producer.connect();
  return new ScorerInstanceService(ctx, log, reader, features, producer).start();
}

interface HeldRecord { record: AccountFeatures; offset: number }

/** What an instance holds of one account-features partition. */
interface HeldPartition {
  /** Next offset to read (transaction markers included). */
  position: number;
  /** The position last committed. */
  committed: number;
  /** window end -> account -> its latest record. */
  windows: Map<number, Map<string, HeldRecord>>;
}

class ScorerInstanceService extends ConsumerService {
  readonly name = 'scorer-instance';
  protected readonly consumer: Consumer;
  readonly #features: AvroCodec<AccountFeatures>;
  readonly #producer: Producer;
  readonly #scorer: WindowScorer;
  readonly #held = new Map<number, HeldPartition>();
  readonly #models = new Map<string, ScoringModel>();
  readonly #lock = new SerialLock();
  #timer: ReturnType<typeof setInterval> | undefined;
  #scored = 0;

  constructor(ctx: ServiceContext, log: Logger, reader: StoreReader, features: AvroCodec<AccountFeatures>, producer: Producer) {
    super(ctx, log, reader, prefixedId(ctx, 'distillwatch.scorer-instances'));
    this.#features = features;
    this.#producer = producer;
    this.#scorer = new WindowScorer(ctx.detector.scorer);
    this.consumer = ctx.kafka.consumer({
      groupId: this.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200,
      sessionTimeout: ctx.settings.sessionTimeoutMs, heartbeatInterval: Math.floor(ctx.settings.sessionTimeoutMs / 10),
    });
    reader.onValue = (topic) => { if (topic === ctx.topics.scorerContexts) this.#scoreSoon(); };
  }

  /**
   * Scores what is ready, after what runs now. A failure (a send or commit during a broker
   * restart or a rebalance) only waits for the next try: what is held stays held.
   */
  #scoreSoon(): void {
    void this.#lock.run(() => this.scoreReady()).catch((err) => this.log.warn('scoring held records failed; retrying on the next tick', { error: err }));
  }

  protected async consume(): Promise<void> {
    const consumer = this.consumer;
    const topic = this.ctx.topics.accountFeatures;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const mine = new Set(payload.memberAssignment[topic] ?? []);
      // Partitions that moved away: their records are read again by their new holder.
      void this.#lock.run(async () => { for (const q of this.#held.keys()) if (!mine.has(q)) this.#held.delete(q); });
      this.log.info('scorer instance assigned', { partitions: [...mine] });
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      // A fetch of only transaction markers never reaches processBatch, yet moves the position.
      if (payload.topic !== topic) return;
      void this.#lock.run(async () => {
        const held = this.#partition(payload.partition);
        held.position = Math.max(held.position, Number(payload.lastOffset) + 1);
      }).then(() => this.#scoreSoon());
    });
    await this.keepConsuming(async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatch: (payload) => this.#lock.run(() => this.processBatch(payload)) });
    });
  }

  #partition(q: number): HeldPartition {
    let held = this.#held.get(q);
    if (!held) { held = { position: 0, committed: -1, windows: new Map() }; this.#held.set(q, held); }
    return held;
  }

  /** Holds each record of the batch until its window's context is published. */
  async processBatch({ batch, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale()) return;
    const held = this.#partition(batch.partition);
    for (const message of batch.messages) {
      const record = await this.#decode(message);
      if (record === null || record.window_end <= this.#finishedThrough()) continue;
      let window = held.windows.get(record.window_end);
      if (!window) { window = new Map(); held.windows.set(record.window_end, window); }
      const key = accountKey(record.lab, record.account_id);
      window.set(key, { record, offset: Math.min(Number(message.offset), window.get(key)?.offset ?? Infinity) });
    }
    held.position = Math.max(held.position, Number(batch.lastOffset()) + 1);
    await this.scoreReady();
  }

  /** The record, or null for one the owner dead-letters too (undecodable, another feature set). */
  async #decode(message: KafkaMessage): Promise<AccountFeatures | null> {
    try {
      const record = await this.#features.decode(message.value ?? Buffer.alloc(0));
      return REGISTRY.missingFrom(record.features) === null ? record : null;
    } catch (err) {
      if ((err as { retriable?: boolean }).retriable) throw err;
      return null;
    }
  }

  #finishedThrough(): number {
    return decodeFinished(this.reader.current(this.ctx.topics.scorerContexts, 0).get(FINISHED_KEY));
  }

  /**
   * Scores every held window whose context is published and whose records this instance has
   * all read, writes the scores, then commits each partition up to what it still holds.
   */
  async scoreReady(): Promise<void> {
    if (this.stopping) return;
    const finished = this.#finishedThrough();
    const contexts = this.reader.current(this.ctx.topics.scorerContexts, 0);
    for (const [q, held] of this.#held) {
      for (const [end, window] of held.windows) {
        if (end <= finished) { held.windows.delete(end); continue; }
        const value = contexts.get(contextKey(end));
        if (!value) continue;
        const context = decodeContext(value);
        if (held.position < (context.features_ends[String(q)] ?? 0)) continue;
        if (!(await this.#score(context, [...window.values()].map((h) => h.record)))) continue;
        held.windows.delete(end);
      }
    }
    await this.#commit();
  }

  /** Writes the stage-1 scores of `records`; false while the context's model is not read yet. */
  async #score(context: WindowContextMessage, records: AccountFeatures[]): Promise<boolean> {
    const model = this.#model(context.model_version);
    if (model === undefined) return false;
    const cpu = threadCpuMs();
    const scores = scoreAccounts(this.#scorer, { windowEnd: context.window_end, population: context.population, model }, records);
    await this.#producer.send({
      topic: this.ctx.topics.scorerAccountScores,
      messages: scores.map((score) => ({ key: accountScoreKey(context.window_end, score.account), value: encodeAccountScore({ windowEnd: context.window_end, modelVersion: context.model_version, score }), partition: 0 })),
    });
    this.#scored += scores.length;
    this.log.info('accounts scored', { window: context.window_end, accounts: scores.length, cpuMs: Math.round(threadCpuMs() - cpu) });
    return true;
  }

  /** The model of a context; undefined while it is not read from the models topic yet. */
  #model(version: string | null): ScoringModel | null | undefined {
    if (version === null) return null;
    let model = this.#models.get(version);
    if (!model) {
      const value = this.reader.current(this.ctx.topics.scorerModels, 0).get(version);
      if (!value) return undefined;
      model = modelFromJSON(JSON.parse(value.toString('utf8')));
      this.#models.set(version, model);
    }
    return model;
  }

  /** Commits each partition up to the lowest offset it still holds (its read position when it holds none). */
  async #commit(): Promise<void> {
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    for (const [q, held] of this.#held) {
      let lowest = held.position;
      for (const window of held.windows.values()) for (const h of window.values()) lowest = Math.min(lowest, h.offset);
      if (lowest === held.committed) continue;
      offsets.push({ topic: this.ctx.topics.accountFeatures, partition: q, offset: String(lowest) });
      held.committed = lowest;
    }
    if (offsets.length === 0) return;
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (err) {
      // Committed on a later try; until then a restart only scores these records again.
      for (const { partition } of offsets) this.#partition(partition).committed = -1;
      throw err;
    }
  }

  /** A context whose model arrives after it, on the other topic, is scored on the next tick. */
  protected startTimer(): void {
    this.#timer = setInterval(() => this.#scoreSoon(), Math.max(100, this.ctx.settings.commitIntervalMs));
    this.log.info('scorer instance started', { groupId: this.groupId });
  }

  protected detail(): Record<string, unknown> {
    return { partitions: [...this.#held.keys()], accountsScored: this.#scored };
  }

  async stop(): Promise<void> {
    await this.leaveGroup();
    clearInterval(this.#timer);
    await this.#lock.run(async () => undefined).catch(() => undefined);
    await this.#producer.disconnect().catch(() => undefined);
    await this.reader.stop();
    this.log.info('scorer instance stopped');
  }
}
