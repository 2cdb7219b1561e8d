// The scorer service: closed account-windows in, alerts out, through the same core WindowScorer
// that `detect` runs, fed window by window in event-time order once each window is complete.
//
//   account-features ──────────────► pending windows (one record per account and window) ─┐
//   distillwatch.aggregator.progress ─► Completeness (every usage partition done with W?) ─┴► WindowScorer ─► distillation-alerts
//   alert-verdicts ─► VerdictBook (applied to the windows scored after it is read and after its verdict_time) ─┘
//        store `state` ─► changelog distillwatch.scorer.state     models ─► distillwatch.scorer.models (key = version)
//
// The state changelog holds the scorer under `state`, the input positions under `positions` and
// each pending account-window under its own key (scorerStateChangelog.ts): a commit writes the
// pending records read since the last one, deletes those of the windows it scored, and writes
// `state` only when the scorer changed, never the whole pending set or an unchanged scorer again.
//
// One owner at a time (singleOwner.ts) holds every input partition and the transactional id
// `distillwatch.scorer`: each commit is one transaction with the alerts, any newly trained model,
// the state and the consumed offsets. At a federation's lab (`--federated`) the alerts go to
// distillwatch.scorer.local-alerts instead, each commit's followed by how far it has scored, for
// the lab's bridge to show (federation/localAlertsWire.ts). A new owner fences the old one, then restores the state
// and the model it names, so alerts are neither lost nor repeated across a crash or handover.
// Window W is scored only when every usage partition's aggregator has completed W and every
// record it wrote before saying so has been read (progress.ts): the same windows, with the same
// records, in the same order as `detect` - hence the same alerts. The verdicts on alert-verdicts
// when an owner restores are all read before it scores a window, whatever order Kafka hands the
// three inputs in; a verdict published later applies from the windows scored after it is read.
import { CompressionTypes, isRetriable, type Consumer, type EachBatchPayload, type KafkaMessage, type Message, type Producer, type TopicMessages } from '@distillwatch/platform/kafka';
import {
  ModelFormatError, REGISTRY, ScorerStateFormatError, ScoringStage, VerdictBook, WindowQueue, WindowScorer, accountKey, modelFromJSON, modelToJSON,
  parseVerdictRecord, restoreScorerState, scorerStateToJSON, windowContext,
  type AccountFeatures, type AlertVerdict, type DistillationAlert, type ScoringModel,
} from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { deadLetterMessage, rawFromBytes } from '@distillwatch/platform/dlq';
import { isFenced, prefixedId, type RunningService, type ServiceContext } from './context.ts';
import METRIC_CATALOG from './metricCatalog.json' with { type: 'json' };
import type { MetricHandle } from './metrics.ts';
import { ConsumerService, SerialLock, inTransaction, lockAndRestore, recover, type Transaction } from './consumerService.ts';
import { Completeness, decodeProgress } from './progress.ts';
import {
  PENDING_KEY_PREFIX, POSITIONS_KEY, STATE_KEY, pendingKey, positionsValue, readScorerState, stateValue,
  type RestoredScorerState, type ScorerDoc, type ScorerPositions,
} from './scorerStateChangelog.ts';
import { singleOwnerAssigner } from './singleOwner.ts';
import type { Logger } from './log.ts';
import { StoreReader } from './storeReader.ts';
import { VerdictBacklog, type PartitionEnds } from './verdictBacklog.ts';
import { partitionCount } from './topology.ts';
import { ensureTopics } from '@distillwatch/platform/topics';
import { localAlertsMessages, localAlertsTopicSpec } from './federation/localAlertsWire.ts';
import { AccountScoreInbox } from './accountScoreInbox.ts';
import { threadCpuMs } from './cpuTime.ts';
import { FINISHED_KEY, contextKey, decodeAccountScore, encodeContext, encodeFinished } from './splitWire.ts';

/**
 * Most wall time a commit that scored a window leaves the consumer group's offsets where they
 * are. The owner reads from its `positions` entry, restored with its state, and skips what it
 * has read below them, so the group's offsets only say where a new owner starts fetching; moving
 * them is two round trips (AddOffsetsToTxn, TxnOffsetCommit) of the five of a commit, on the
 * path of every window's alerts. Commits that score nothing (the timer's) always move them.
 */
const OFFSETS_MAX_AGE_MS = 10_000;

/** The owner's live state: what the last commit holds plus what was applied since. */
class OwnerState {
  readonly producer: Producer;
  /** The core's scoring stage: the window queue and the scorer, as in `detect`. */
  readonly stage: ScoringStage;
  completeness: Completeness;
  featuresPositions: Map<number, number>;
  progressPosition: number;
  verdictsPositions: Map<number, number>;
  /** Verdicts that were on alert-verdicts when this owner restored and that it has not read yet. */
  readonly verdictBacklog: VerdictBacklog;
  /** Pending-record changelog entries since the last commit (key -> record bytes, or null: scored). */
  readonly pendingWrites = new Map<string, Buffer | null>();
  /** Output waiting for the next commit. */
  alerts: DistillationAlert[] = [];
  newModels: ScoringModel[] = [];
  /** Federated: the completeness frontier scored through, and the one last written to the local-alerts topic. */
  scoredFrontier = Number.NEGATIVE_INFINITY;
  markedFrontier = Number.NEGATIVE_INFINITY;
  /** Split scorer only (`run scorer --split`): the instances' scores and the window out with them. */
  readonly split: AccountScoreInbox | null;
  /** Split scorer: windows scored since the last commit, whose contexts the commit deletes. */
  scoredContexts: number[] = [];
  dirty = false;
  /** The scorer changed since the last commit (a window scored, a verdict read): `state` is written. */
  scorerChanged = false;
  /** A window was scored since the last commit: its alerts wait for the commit. */
  scoredSinceCommit = false;
  /** Wall time of the last commit that moved the consumer group's offsets. */
  offsetsCommittedAt = Number.NEGATIVE_INFINITY;
  dropped = false;

  constructor(producer: Producer, scorer: WindowScorer, restored: RestoredScorerState | null, usagePartitions: number, verdictEnds: readonly PartitionEnds[], split: boolean) {
    this.producer = producer;
    this.stage = new ScoringStage(scorer, new WindowQueue(restored?.doc.scoredThrough ?? Number.NEGATIVE_INFINITY));
    const positions = restored?.positions;
    this.completeness = positions ? Completeness.fromJSON(positions.completeness) : new Completeness(usagePartitions);
    this.featuresPositions = new Map(Object.entries(positions?.featuresPositions ?? {}).map(([k, v]) => [Number(k), v]));
    this.progressPosition = positions?.progressPosition ?? 0;
    this.verdictsPositions = new Map(Object.entries(positions?.verdictsPositions ?? {}).map(([k, v]) => [Number(k), v]));
    this.verdictBacklog = new VerdictBacklog(verdictEnds, this.verdictsPositions);
    this.split = split ? new AccountScoreInbox(positions?.scoresPosition ?? 0, restored?.doc.scoredThrough ?? Number.NEGATIVE_INFINITY) : null;
  }

  /** Alert-verdicts partition `q` is read (applied or skipped) below offset `next`. */
  verdictsReadTo(q: number, next: number): void {
    const position = Math.max(this.verdictsPositions.get(q) ?? 0, next);
    this.verdictsPositions.set(q, position);
    this.verdictBacklog.readTo(q, position);
  }

  /**
   * Adds a record read (or restored) as `bytes`; `stored`: already under its key in the
   * changelog. False when the record's window is already scored (it cannot change a scored window).
   */
  add(r: AccountFeatures, bytes: Buffer, stored: boolean): boolean {
    if (!this.stage.add(r)) return false;
    if (!stored) this.pendingWrites.set(pendingKey(r.window_end, accountKey(r.lab, r.account_id)), bytes);
    return true;
  }

  /** Largest window_end scored (-Infinity: none). */
  get scoredThrough(): number { return this.stage.queue.releasedThrough; }

  /** The `state` entry: the scorer (serialising it is the costly part of a commit). */
  toDoc(): ScorerDoc {
    return {
      scorer: scorerStateToJSON(this.stage.scorer),
      scoredThrough: Number.isFinite(this.scoredThrough) ? this.scoredThrough : null,
      verdicts: this.stage.scorer.verdicts?.toJSON() ?? null,
    };
  }

  /** The `positions` entry: where each input is read to. */
  positions(): ScorerPositions {
    return {
      completeness: this.completeness.toJSON(),
      featuresPositions: Object.fromEntries(this.featuresPositions),
      progressPosition: this.progressPosition,
      verdictsPositions: Object.fromEntries(this.verdictsPositions),
      ...(this.split && { scoresPosition: this.split.committable }),
    };
  }
}

/**
 * The scorer's topology: open the codecs and the store, consume account-features, progress and
 * verdicts into the one owner's state, commit what was applied on a timer too.
 */
export async function startScorer(ctx: ServiceContext, options: { federated?: boolean; split?: boolean } = {}): Promise<RunningService> {
  return (await ScorerService.open(ctx, options.federated ?? false, options.split ?? false)).start();
}

/** The codecs of the scorer's Avro topics. */
interface ScorerCodecs {
  features: AvroCodec<AccountFeatures>;
  alerts: AvroCodec<DistillationAlert>;
  verdicts: AvroCodec<AlertVerdict>;
}

/** The running scorer: the one owner's state and the steps lock, restore, process, commit, recover. */
class ScorerService extends ConsumerService {
  readonly name = 'scorer';
  readonly #sources: { features: string; progress: string; verdicts: string; accountScores: string };
  /** Partitions of alert-verdicts, every one of which a rewind seeks. */
  readonly #verdictPartitions: number;
  readonly #sinks: { alerts: string; deadLetters: string };
  /** Federated: the local alerts go to the lab's bridge on this topic (localAlertsWire.ts) instead. */
  readonly #localAlerts: string | null;
  readonly #stores: { state: string; models: string; contexts: string };
  /**
   * `run scorer --split`: instances (scorerInstanceService.ts) score the accounts of each window
   * in the context this owner publishes, while it links the window; it scores the window once it
   * holds every account's score (AccountScoreInbox).
   */
  readonly #split: boolean;
  /** Follows the single-owner assignment: only the owner is handed partitions. */
  protected readonly consumer: Consumer;
  readonly #m: ScorerMetrics;
  readonly #codecs: ScorerCodecs;
  #owner: Promise<OwnerState> | null = null;
  #ownsPartitions = false;
  /** Batches and the flush timer never interleave on the owner. */
  readonly #lock = new SerialLock();
  /** Wall time of the aggregator commit that completed each window (for alert latency). */
  readonly #completedAt = new Map<number, number>();
  /** Kafka timestamp (the aggregator's commit time) of the newest progress record read. */
  #lastProgressAt = Date.now();
  readonly #latencies: number[] = [];
  /** The positions as last committed (what a restore would give). */
  readonly #lastCommitted = new WeakMap<OwnerState, ScorerPositions>();
  /** Wall time the owner's last commit ended: the timer commits only after a commit interval without one. */
  #lastCommitAt = Date.now();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  static async open(ctx: ServiceContext, federated: boolean, split: boolean): Promise<ScorerService> {
    const { topics } = ctx;
    const log = ctx.log.child({ service: 'scorer' });
    const m = ctx.metrics.declareAll(METRIC_CATALOG.scorer);
    const features = await AvroCodec.forTopic<AccountFeatures>(ctx.registry, topics.accountFeatures, await readSchemaFile('account-features.avsc'));
    const alerts = await AvroCodec.forTopic<DistillationAlert>(ctx.registry, topics.alerts, await readSchemaFile('distillation-alert.avsc'));
    const verdicts = await AvroCodec.forTopic<AlertVerdict>(ctx.registry, topics.alertVerdicts, await readSchemaFile('alert-verdict.avsc'));
    const verdictPartitions = await partitionCount(ctx.admin, topics.alertVerdicts);
    const reader = await StoreReader.start(ctx.kafka, ctx.admin, [topics.scorerState, topics.scorerModels], prefixedId(ctx, 'distillwatch.scorer.restore.'), log, [topics.scorerState]);
    if (federated) await ensureTopics(ctx.admin, [localAlertsTopicSpec(topics.scorerLocalAlerts)]);
    return new ScorerService(ctx, log, m, { features, alerts, verdicts }, verdictPartitions, reader, federated ? topics.scorerLocalAlerts : null, split);
  }

  private constructor(ctx: ServiceContext, log: Logger, m: ScorerMetrics, codecs: ScorerCodecs, verdictPartitions: number, reader: StoreReader, localAlerts: string | null, split: boolean) {
    super(ctx, log, reader, prefixedId(ctx, 'distillwatch.scorer'));
    const { topics } = ctx;
    this.#m = m;
    this.#codecs = codecs;
    this.#verdictPartitions = verdictPartitions;
    this.#sources = { features: topics.accountFeatures, progress: topics.aggregatorProgress, verdicts: topics.alertVerdicts, accountScores: topics.scorerAccountScores };
    this.#sinks = { alerts: topics.alerts, deadLetters: topics.deadLetters };
    this.#localAlerts = localAlerts;
    this.#stores = { state: topics.scorerState, models: topics.scorerModels, contexts: topics.scorerContexts };
    this.#split = split;
    this.consumer = ctx.kafka.consumer({
      groupId: this.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200,
      sessionTimeout: ctx.settings.sessionTimeoutMs, heartbeatInterval: Math.floor(ctx.settings.sessionTimeoutMs / 10),
      partitionAssigners: [singleOwnerAssigner(() => this.#ownsPartitions)],
    });
  }

  /** Runs `fn` when nothing else runs on the owner. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#lock.run(fn);
  }

  modelByVersion(version: string): ScoringModel {
    const value = this.reader.current(this.#stores.models, 0).get(version);
    if (!value) throw new Error(`model ${version} named by the scorer state is not in ${this.#stores.models}`);
    return modelFromJSON(JSON.parse(value.toString('utf8')));
  }

  /** Lock, then restore: the state, its pending records and the model it names. */
  async restore(): Promise<OwnerState> {
    const started = Date.now();
    return lockAndRestore(this.ctx, this.groupId, async (producer) => {
      const entries = await this.reader.restore(this.#stores.state, 0);
      const restored = readScorerState(entries);
      const doc = restored?.doc ?? null;
      await this.reader.restore(this.#stores.models, 0);
      const scorer = new WindowScorer(this.ctx.detector.scorer);
      if (doc) restoreScorerState(scorer, doc.scorer, doc.scorer.modelVersion === null ? null : this.modelByVersion(doc.scorer.modelVersion));
      if (doc?.verdicts) scorer.verdicts = VerdictBook.fromJSON(doc.verdicts);
      const verdictEnds = await this.ctx.admin.fetchTopicOffsets(this.#sources.verdicts);
      const s = new OwnerState(producer, scorer, restored, this.ctx.usagePartitions, verdictEnds, this.#split);
      await this.restorePending(s, restored, entries);
      // The owner writes the state changelog from now on and keeps what it holds.
      this.reader.pause(this.#stores.state, 0);
      this.#m.restoreSeconds((Date.now() - started) / 1000);
      this.log.info('scorer state restored', { pendingWindows: s.stage.queue.pendingWindows, scoredThrough: doc?.scoredThrough ?? null, model: scorer.currentModel?.version ?? null, verdictsToRead: s.verdictBacklog.toJSON(), seconds: (Date.now() - started) / 1000 });
      return s;
    });
  }

  /**
   * Puts back the pending account-windows: from their changelog keys, or from a version 1
   * `state` (then they are written under their keys by the next commit, with a version 3 `state`).
   */
  async restorePending(s: OwnerState, restored: RestoredScorerState | null, entries: ReadonlyMap<string, Buffer>): Promise<void> {
    for (const r of restored?.legacyPending ?? []) s.add(r, this.#codecs.features.encode(r), false);
    // The first commit writes `state` when there is none yet, or one of version 1 or 2 (rewritten in version 3).
    s.scorerChanged = !entries.has(POSITIONS_KEY);
    for (const [key, value] of entries) {
      if (key.startsWith(PENDING_KEY_PREFIX)) s.add(await this.#codecs.features.decode(value), value, true);
    }
  }

  /** The owner's state, restoring it unless it is restored or being restored. */
  obtain(): Promise<OwnerState> {
    if (!this.#owner) {
      const p = this.restore();
      this.#owner = p;
      p.catch((err) => {
        if (this.#owner === p) this.#owner = null;
        // A state or model of another format or feature set cannot be restored by retrying.
        if (err instanceof ScorerStateFormatError || err instanceof ModelFormatError) { this.fail(err); return; }
        this.log.warn('restore failed; retrying', { error: err });
      });
    }
    return this.#owner;
  }

  /** The owner's state, with its last committed state known (what a rewind goes back to). */
  async obtainCommitted(): Promise<OwnerState> {
    const s = await this.obtain();
    if (!this.#lastCommitted.has(s)) this.#lastCommitted.set(s, s.positions());
    return s;
  }

  async release(s: OwnerState): Promise<void> {
    s.dropped = true;
    if (this.#owner && (await this.#owner.catch(() => null)) === s) this.#owner = null;
    await s.producer.disconnect().catch(() => undefined);
  }

  /** A new assignment: this instance became the owner (restore) or a standby (release). */
  onAssignment(mine: boolean, memberId: string): void {
    this.log.info(mine ? 'this instance owns the scorer' : 'standby: another instance owns the scorer', { memberId });
    this.#ownsPartitions = mine;
    if (!mine && this.#owner) void this.#owner.then((s) => this.exclusive(() => this.release(s))).catch(() => undefined);
    if (mine) void this.obtainCommitted().catch(() => undefined);
  }

  protected async consume(): Promise<void> {
    const consumer = this.consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.onAssignment(Object.values(payload.memberAssignment).some((ps) => ps.length > 0), payload.memberId);
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic === this.#sources.verdicts && payload.batchSize === 0) this.skipVerdictMarkers(payload.partition, payload.firstOffset, payload.lastOffset);
      if (payload.topic === this.#sources.accountScores) void this.#owner?.then((s) => s.split?.readTo(Number(payload.lastOffset) + 1)).catch(() => undefined);
    });
    await this.keepConsuming(async () => {
      await consumer.connect();
      const sources = [this.#sources.features, this.#sources.progress, this.#sources.verdicts, ...(this.#split ? [this.#sources.accountScores] : [])];
      await consumer.subscribe({ topics: sources, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatch: (payload) => this.processBatch(payload) });
    });
  }

  /**
   * A fetch of alert-verdicts that held no verdict (transaction markers, aborted records) never
   * reaches processBatch, yet its offsets are read: without this, a backlog ending in a marker
   * would hold scoring back for good. Counted only when the run starts at or below the owner's
   * position (the consumer reads on from there; a run past it would skip unread verdicts).
   */
  skipVerdictMarkers(q: number, firstOffset: string | null, lastOffset: string): void {
    if (!this.#owner || firstOffset === null) return;
    void this.#owner.then((s) => this.exclusive(async () => {
      if (s.dropped || s.verdictBacklog.empty || Number(firstOffset) > (s.verdictsPositions.get(q) ?? 0)) return;
      s.verdictsReadTo(q, Number(lastOffset) + 1);
      try {
        await this.scoreAndCommit(s);
      } catch (err) {
        await this.recoverOwner(s, err, this.#lastCommitted.get(s) ?? null);
      }
    })).catch(() => undefined);
  }

  /** Process: one batch of any input, then score what became complete and commit when due. */
  async processBatch({ batch, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const s = await this.stateFor(batch, () => this.obtainCommitted());
    if (s === null) return;
    await this.exclusive(async () => {
      if (s.dropped || !isRunning() || isStale()) return;
      const next = Number(batch.lastOffset()) + 1;
      try {
        if (batch.topic === this.#sources.progress) this.applyProgress(s, batch.messages, next);
        else if (batch.topic === this.#sources.verdicts) await this.applyVerdicts(s, batch.partition, batch.messages, next);
        else if (batch.topic === this.#sources.accountScores) this.applyAccountScores(s, batch.messages, next);
        else await this.applyFeatures(s, batch.partition, batch.messages, next);
        s.dirty = true;
        await this.scoreAndCommit(s);
      } catch (err) {
        await this.recoverOwner(s, err, this.#lastCommitted.get(s) ?? null);
      }
    });
  }

  /**
   * Scores what became complete and commits at once when a window was scored; what a batch
   * only applied is committed by the timer. A commit per batch put one commit (the whole state,
   * gzipped) between the batches that complete a window, and the window's alerts waited for each.
   * Kafka orders records within a partition only, so the batches of the three inputs come in
   * any order: verdicts that were on alert-verdicts when this owner took over (published while
   * the scorer was down, or before it started) are all read before it scores a window, so they
   * apply to it as `detect --verdicts` applies them.
   */
  async scoreAndCommit(s: OwnerState): Promise<void> {
    const scoredBefore = s.scoredThrough;
    if (s.verdictBacklog.empty) {
      if (s.split) await this.advanceSplit(s, s.split);
      else this.scoreComplete(s);
    }
    this.reportLag(s);
    if (s.scoredThrough !== scoredBefore) await this.commitOrRecover(s);
    if (!s.split && !s.dropped) this.trainAhead(s);
  }

  /**
   * Trains the next window's model as soon as that window is known to be next (its first records
   * are read), not when it completes: the stream's idle grace (15 minutes of event time by
   * default) then passes before the window can be scored, and its alerts need not wait for the
   * training. The model is the one scoring would train (ScoringStage.trainAhead); the next commit
   * writes it with the state. A split owner trains when it takes a window out (advanceSplit).
   */
  trainAhead(s: OwnerState): void {
    const model = s.stage.trainAhead(this.ctx.detector.windows.windowMs);
    if (model === null) return;
    this.log.info('model trained ahead of its window', { version: model.version });
    s.newModels.push(model);
    s.scorerChanged = true;
    s.dirty = true;
  }

  /** Split scorer: scores of the instances, kept until the owner scores their window. */
  applyAccountScores(s: OwnerState, messages: KafkaMessage[], next: number): void {
    for (const message of messages) {
      if (message.value === null) continue;
      s.split!.offer(decodeAccountScore(message.value), Number(message.offset));
    }
    s.split!.readTo(next);
  }

  /**
   * Split scorer, one window at a time: scores the window out once every account's score is in
   * (and commits it, as scoreComplete's windows are), then takes the next complete window out -
   * its context (and a model trained for it) published in a transaction of its own, so the
   * instances can score it, then linked while they do. The state is committed only between
   * windows (commitOrRecover waits while one is out): a restore never sees a half-scored window,
   * and publishes the same context again (the model is a function of the earlier windows).
   */
  async advanceSplit(s: OwnerState, inbox: AccountScoreInbox): Promise<void> {
    for (;;) {
      if (inbox.out) {
        const book = inbox.bookForOut();
        if (!book) return;
        const { window, takenAt, ownerCpuMs } = inbox.out;
        const finishing = threadCpuMs();
        s.alerts.push(...s.stage.scorer.finishWindow(inbox.out.linked, book));
        // wallMs: from taking the window out to scoring it; cpuMs: the owner's own share (context, linking, finish).
        const cpuMs = Math.round(ownerCpuMs + threadCpuMs() - finishing);
        this.log.info('windows scored', { windows: [window.end], accounts: window.accounts.length, wallMs: Math.round(performance.now() - takenAt), cpuMs });
        inbox.scored();
        s.scoredFrontier = Math.max(s.scoredFrontier, window.end);
        s.scoredContexts.push(window.end);
        this.windowScored(s, window.end, window.accounts);
        await this.commitOrRecover(s);
        if (s.dropped) return;
      }
      const frontier = this.confirmedFrontier(s);
      const window = s.stage.queue.releaseOldest(frontier);
      if (!window) {
        // Every complete window is scored: the federated marker may say so.
        s.scoredFrontier = Math.max(s.scoredFrontier, frontier);
        return;
      }
      const [takenAt, contextCpu] = [performance.now(), threadCpuMs()];
      const scorer = s.stage.scorer;
      const before = scorer.currentModel;
      const context = windowContext(scorer, window.end, window.records);
      let ownerCpuMs = threadCpuMs() - contextCpu;
      if (context.model && context.model !== before) s.newModels.push(context.model);
      await inTransaction(s.producer, async (txn) => {
        await this.sendModels(s, txn);
        const message = { window_end: window.end, population: context.population, model_version: context.model?.version ?? null, features_ends: Object.fromEntries(s.featuresPositions) };
        await txn.send({ topic: this.#stores.contexts, messages: [{ key: contextKey(window.end), value: encodeContext(message), partition: 0 }] });
      });
      this.#m.models(s.newModels.length);
      s.newModels = [];
      const linkCpu = threadCpuMs();
      const linked = scorer.linkWindow(window.start, context, window.records);
      ownerCpuMs += threadCpuMs() - linkCpu;
      inbox.out = { window, context, linked, takenAt, ownerCpuMs };
    }
  }

  /** Progress records of the aggregator: which windows each usage partition has completed. */
  applyProgress(s: OwnerState, messages: KafkaMessage[], next: number): void {
    for (const message of messages) {
      if (Number(message.offset) < s.progressPosition || message.value === null) continue;
      s.completeness.offer(decodeProgress(message.value));
      this.#lastProgressAt = Number(message.timestamp);
    }
    s.progressPosition = Math.max(s.progressPosition, next);
  }

  /** Account-window records of partition `q`: pending until their window is complete. */
  async applyFeatures(s: OwnerState, q: number, messages: KafkaMessage[], next: number): Promise<void> {
    const position = s.featuresPositions.get(q) ?? 0;
    for (const message of messages) {
      const offset = Number(message.offset);
      if (offset < position) continue;
      this.#m.recordsIn();
      let record: AccountFeatures;
      const value = message.value ?? Buffer.alloc(0);
      try {
        record = await this.#codecs.features.decode(value);
      } catch (err) {
        if (isRetriable(err)) throw err;
        await this.deadLetter(s, `undecodable: ${(err as Error).message}`, message, q);
        continue;
      }
      const missing = REGISTRY.missingFrom(record.features);
      if (missing !== null) {
        await this.deadLetter(s, `missing feature ${missing} (written by another feature set)`, message, q);
        continue;
      }
      if (!s.add(record, value, false)) this.#m.late();
    }
    s.featuresPositions.set(q, Math.max(position, next));
  }

  /**
   * Puts each verdict read into the scorer's book: it applies to the windows scored from now on
   * that end after its verdict_time (one that arrives after those windows were scored applies
   * from the next window). A record that is not a valid verdict is dead-lettered, never applied.
   */
  async applyVerdicts(s: OwnerState, q: number, messages: KafkaMessage[], next: number): Promise<void> {
    const position = s.verdictsPositions.get(q) ?? 0;
    for (const message of messages) {
      const offset = Number(message.offset);
      if (offset < position) continue;
      let problem: string;
      try {
        const parsed = parseVerdictRecord(await this.#codecs.verdicts.decode(message.value ?? Buffer.alloc(0)), offset);
        if (parsed.kind === 'verdict') {
          s.stage.addVerdict(parsed.verdict);
          s.scorerChanged = true;
          this.#m.verdicts();
          continue;
        }
        problem = `invalid verdict: ${parsed.rejection.field ? `field '${parsed.rejection.field}': ` : ''}${parsed.rejection.reason}`;
      } catch (err) {
        if ((err as { retriable?: boolean }).retriable) throw err;
        problem = `undecodable: ${(err as Error).message}`;
      }
      await this.deadLetter(s, problem, message, q);
    }
    s.verdictsReadTo(q, next);
  }

  /** Scores every complete window, oldest first. */
  scoreComplete(s: OwnerState): void {
    const frontier = this.confirmedFrontier(s);
    const [wall, cpu] = [performance.now(), threadCpuMs()];
    const step = s.stage.scoreThrough(frontier);
    s.scoredFrontier = Math.max(s.scoredFrontier, frontier);
    if (step.windows.length > 0) this.log.info('windows scored', { windows: step.windows.map((w) => w.end), wallMs: Math.round(performance.now() - wall), cpuMs: Math.round(threadCpuMs() - cpu) });
    for (const w of step.windows) this.windowScored(s, w.end, w.accounts);
    s.alerts.push(...step.alerts);
    s.newModels.push(...step.models);
  }

  /** The last window every usage partition has completed and whose records are all read. */
  confirmedFrontier(s: OwnerState): number {
    s.completeness.confirm((q) => s.featuresPositions.get(q) ?? 0);
    const frontier = s.completeness.frontier;
    if (Number.isFinite(frontier)) this.#m.frontier(frontier);
    return frontier;
  }

  /** Window `end` is scored: its pending records leave the changelog at the next commit. */
  windowScored(s: OwnerState, end: number, accounts: readonly string[]): void {
    for (const account of accounts) s.pendingWrites.set(pendingKey(end, account), null);
    if (!this.#completedAt.has(end)) this.#completedAt.set(end, this.#lastProgressAt);
    this.#m.windowsScored();
    s.dirty = true;
    s.scorerChanged = true;
    s.scoredSinceCommit = true;
  }

  /** Account-feature records written by the aggregators and not yet read, per partition. */
  reportLag(s: OwnerState): void {
    const ends = s.completeness.pendingEnds();
    for (const fp of new Set([...s.featuresPositions.keys(), ...ends.keys()])) {
      this.#m.lag(Math.max(0, (ends.get(fp) ?? 0) - (s.featuresPositions.get(fp) ?? 0)), { partition: fp });
    }
  }

  /** Commit: one transaction, then the owner's outputs are cleared. */
  async commit(s: OwnerState): Promise<ScorerPositions> {
    const withOffsets = !s.scoredSinceCommit || Date.now() - s.offsetsCommittedAt >= OFFSETS_MAX_AGE_MS;
    const positions = await inTransaction(s.producer, (txn) => this.writeStep(s, txn, withOffsets));
    const now = Date.now();
    if (withOffsets) s.offsetsCommittedAt = now;
    this.#lastCommitAt = now;
    this.recordLatencies(s.scoredThrough, now);
    this.#m.alerts(s.alerts.length);
    this.#m.models(s.newModels.length);
    this.#m.commits();
    s.pendingWrites.clear();
    s.alerts = [];
    s.newModels = [];
    s.scoredContexts = [];
    s.markedFrontier = s.scoredFrontier;
    s.dirty = false;
    s.scorerChanged = false;
    s.scoredSinceCommit = false;
    return positions;
  }

  /**
   * What one commit of the owner writes in its transaction: alerts, new models, state changelog,
   * offsets. The alerts, models and changelog go in one request (gzipped; consumers decompress
   * transparently): each send of a transaction is two round trips (adding its partitions, then
   * producing), and a window's alerts are visible only once the whole commit is done.
   * `withOffsets`: the consumer group's offsets move too (two more round trips, see
   * OFFSETS_MAX_AGE_MS).
   */
  async writeStep(s: OwnerState, txn: Transaction, withOffsets: boolean): Promise<ScorerPositions> {
    const { alerts: alertCodec } = this.#codecs;
    const topicMessages: TopicMessages[] = [];
    if (this.#localAlerts !== null) {
      const modelFrom = s.newModels.length > 0 ? Math.min(...s.newModels.map((m) => m.trainedThrough)) : null;
      const messages = localAlertsMessages(s.alerts, s.scoredFrontier > s.markedFrontier ? s.scoredFrontier : null, modelFrom);
      if (messages.length > 0) topicMessages.push({ topic: this.#localAlerts, messages });
    } else if (s.alerts.length > 0) {
      topicMessages.push({ topic: this.#sinks.alerts, messages: s.alerts.map((a) => ({ key: a.subject_id, value: alertCodec.encode(a), timestamp: String(a.window_end) })) });
    }
    if (s.newModels.length > 0) topicMessages.push(this.modelMessages(s));
    if (s.scoredContexts.length > 0) {
      const deleted = s.scoredContexts.map((end) => ({ key: contextKey(end), value: null, partition: 0 }));
      topicMessages.push({ topic: this.#stores.contexts, messages: [...deleted, { key: FINISHED_KEY, value: encodeFinished(Math.max(...s.scoredContexts)), partition: 0 }] });
    }
    const positions = s.positions();
    const entries: Message[] = [...s.pendingWrites].map(([key, value]) => ({ key, value, partition: 0 }));
    if (s.scorerChanged) entries.push({ key: STATE_KEY, value: stateValue(s.toDoc()), partition: 0 });
    entries.push({ key: POSITIONS_KEY, value: positionsValue(positions), partition: 0 });
    topicMessages.push({ topic: this.#stores.state, messages: entries });
    await txn.sendBatch({ compression: CompressionTypes.GZIP, topicMessages });
    if (!withOffsets) return positions;
    const sources = this.#sources;
    await txn.sendOffsets({
      consumerGroupId: this.groupId,
      topics: [
        { topic: sources.features, partitions: [...s.featuresPositions].map(([partition, offset]) => ({ partition, offset: String(offset) })) },
        { topic: sources.progress, partitions: [{ partition: 0, offset: String(s.progressPosition) }] },
        ...(s.verdictsPositions.size > 0 ? [{ topic: sources.verdicts, partitions: [...s.verdictsPositions].map(([partition, offset]) => ({ partition, offset: String(offset) })) }] : []),
        ...(s.split ? [{ topic: sources.accountScores, partitions: [{ partition: 0, offset: String(s.split.committable) }] }] : []),
      ],
    });
    return positions;
  }

  /** The models trained since the last transaction, to the models topic. */
  async sendModels(s: OwnerState, txn: Transaction): Promise<void> {
    if (s.newModels.length === 0) return;
    await txn.send({ ...this.modelMessages(s), compression: CompressionTypes.GZIP });
  }

  /** The models trained since the last transaction, as messages of the models topic (key = version). */
  modelMessages(s: OwnerState): TopicMessages {
    return { topic: this.#stores.models, messages: s.newModels.map((model) => ({ key: model.version, value: Buffer.from(JSON.stringify(modelToJSON(model)), 'utf8'), partition: 0 })) };
  }

  /** Alert latency of the windows scored through `scoredThrough`, committed at `now`. */
  recordLatencies(scoredThrough: number, now: number): void {
    const latencies = this.#latencies;
    for (const [end, at] of this.#completedAt) {
      if (end > scoredThrough) continue;
      latencies.push((now - at) / 1000);
      this.#completedAt.delete(end);
    }
    if (latencies.length > 1000) latencies.splice(0, latencies.length - 1000);
    if (latencies.length > 0) {
      const sorted = [...latencies].sort((a, b) => a - b);
      for (const q of [0.5, 0.99]) this.#m.alertLatency(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!, { quantile: q });
    }
  }

  /**
   * Dead letters of the scorer are rare (a foreign or older producer on account-features, a bad
   * verdict): sent outside the transaction, so a retry may repeat one, never lose one.
   */
  async deadLetter(s: OwnerState, reason: string, message: KafkaMessage, partition: number): Promise<void> {
    this.#m.rejected();
    s.dirty = true;
    const letter = deadLetterMessage({ line: null, reason, raw: rawFromBytes(message.value), source: 'scorer', partition, offset: Number(message.offset) }, message.key);
    await s.producer.send({ topic: this.#sinks.deadLetters, messages: [letter] }).catch(() => undefined);
  }

  /** Recover from a failed commit: drop the state, rewind the consumer to the last commit, restore on the next batch. */
  async recoverOwner(s: OwnerState, err: unknown, committed: ScorerPositions | null): Promise<void> {
    this.#m.commitFailures();
    await recover(err, {
      log: this.log, context: {}, drop: () => this.release(s), stopping: () => this.stopping,
      rewind: () => this.rewind(committed),
    });
    // A split owner reads for a whole window between commits. Fenced while it still holds the
    // partitions (the broker expired its transactional id under load: no other owner), the
    // consumer would read on past the records the dropped state held and the restored one lacks.
    if (this.#split && isFenced(err) && this.#ownsPartitions && !this.stopping) {
      try {
        this.rewind(committed);
      } catch (seekErr) {
        this.log.warn('rewind after a fence failed; the next assignment starts from the committed offsets', { error: seekErr });
      }
    }
  }

  /** Seeks every input back to the positions of the `committed` state. */
  rewind(committed: ScorerPositions | null): void {
    const consumer = this.consumer;
    const sources = this.#sources;
    const features = committed?.featuresPositions ?? {};
    for (let q = 0; q < this.ctx.featurePartitions; q++) consumer.seek({ topic: sources.features, partition: q, offset: String(features[String(q)] ?? 0) });
    consumer.seek({ topic: sources.progress, partition: 0, offset: String(committed?.progressPosition ?? 0) });
    const verdicts = committed?.verdictsPositions ?? {};
    for (let q = 0; q < this.#verdictPartitions; q++) consumer.seek({ topic: sources.verdicts, partition: q, offset: String(verdicts[String(q)] ?? 0) });
    if (this.#split) consumer.seek({ topic: sources.accountScores, partition: 0, offset: String(committed?.scoresPosition ?? 0) });
  }

  /** Commits what was applied, when there is any. */
  async commitOrRecover(s: OwnerState): Promise<void> {
    // A split owner's window out is linked but not scored: its state is committed once it is.
    if (s.dropped || !s.dirty || s.split?.out) return;
    try {
      this.#lastCommitted.set(s, await this.commit(s));
    } catch (err) {
      await this.recoverOwner(s, err, this.#lastCommitted.get(s) ?? null);
    }
  }

  /**
   * The timer step: commits what was applied once a commit interval has passed since the last
   * commit (a window's, or the previous timer step's), also when no batch arrives. Not a fixed
   * beat: when a commit takes longer than the interval (a busy broker), fixed ticks queued commit
   * after commit on the owner's lock, and the batches that complete a window waited behind all
   * of them; and a window scored every interval or so already commits what was applied.
   */
  protected startTimer(): void {
    const interval = Math.max(50, this.ctx.settings.commitIntervalMs);
    const step = (delay: number): void => {
      this.#flushTimer = setTimeout(() => {
        const since = Date.now() - this.#lastCommitAt;
        if (since < interval) { if (!this.stopping) step(interval - since); return; }
        const owner = this.#owner;
        const flushed = owner ? owner.then((s) => this.exclusive(() => this.commitOrRecover(s))) : Promise.resolve();
        void flushed.catch(() => undefined).finally(() => { if (!this.stopping) step(interval); });
      }, delay);
    };
    step(interval);
    this.log.info('scorer started', { sources: this.#sources, sinks: this.#sinks, stores: this.#stores, groupId: this.groupId });
  }

  protected detail(): Record<string, unknown> {
    return { owner: this.#ownsPartitions };
  }

  async stop(): Promise<void> {
    const log = this.log;
    await this.leaveGroup();
    // After leaving: a timer step that finishes from now on schedules no next one.
    clearTimeout(this.#flushTimer);
    log.info('left the consumer group; committing what was applied');
    if (this.#owner) {
      const s = await this.#owner.catch(() => null);
      if (s) await this.exclusive(async () => { await this.commitOrRecover(s); await this.release(s); });
    }
    await this.reader.stop();
    log.info('scorer stopped');
  }
}

/** The scorer's counters and gauges, one handle per `metricCatalog.json` entry. */
type ScorerMetrics = Record<keyof typeof METRIC_CATALOG.scorer, MetricHandle>;

