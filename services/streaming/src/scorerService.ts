// The scorer service: closed account-windows in, alerts out, through the same core WindowScorer
// that `detect` runs, fed window by window in event-time order once each window is complete.
//
//   account-features ──────────────► pending windows (one record per account and window) ─┐
//   distillwatch.aggregator.progress ─► Completeness (every usage partition done with W?) ─┴► WindowScorer ─► distillation-alerts
//   alert-verdicts ─► VerdictBook (applied to the windows scored after it is read and after its verdict_time) ─┘
//        store `state` ─► changelog distillwatch.scorer.state     models ─► distillwatch.scorer.models (key = version)
//
// The state changelog holds the scorer's state under `state` and each pending account-window
// under its own key (`pending/<window_end>/<lab>/<account_id>`, value: the record's bytes as
// read from account-features): a commit writes the pending records read since the last one and
// deletes those of the windows it scored, never the whole pending set again.
//
// One owner at a time (singleOwner.ts) holds every input partition and the transactional id
// `distillwatch.scorer`: each commit is one transaction with the alerts, any newly trained model,
// the state and the consumed offsets. A new owner fences the old one, then restores the state
// and the model it names, so alerts are neither lost nor repeated across a crash or handover.
// Window W is scored only when every usage partition's aggregator has completed W and every
// record it wrote before saying so has been read (progress.ts): the same windows, with the same
// records, in the same order as `detect` - hence the same alerts.
import { CompressionTypes, isRetriable, type Consumer, type Producer } from '@distillwatch/platform/kafka';
import {
  ModelFormatError, REGISTRY, ScorerStateFormatError, ScoringStage, VerdictBook, WindowQueue, WindowScorer, accountKey, modelFromJSON, modelToJSON,
  parseVerdictRecord, restoreScorerState, scorerStateToJSON,
  type AccountFeatures, type AlertVerdict, type DistillationAlert, type ScorerStateJSON, type ScoringModel, type VerdictBookJSON,
} from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { deadLetterMessage, rawFromBytes } from '@distillwatch/platform/dlq';
import { prefixedId, sleep, type RunningService, type ServiceContext } from './context.ts';
import { SerialLock, inTransaction, lockAndRestore, recover, type Transaction } from './consumerService.ts';
import { Completeness, decodeProgress, type CompletenessJSON } from './progress.ts';
import { singleOwnerAssigner } from './singleOwner.ts';
import { keepConsuming } from './keepConsuming.ts';
import { StoreReader } from './storeReader.ts';
import { partitionCount } from './topology.ts';

const STATE_KEY = 'state';
/** Prefix of the changelog keys of pending account-windows. */
const PENDING_KEY_PREFIX = 'pending/';

/** Changelog key of a pending account-window. */
const pendingKey = (windowEnd: number, account: string) => `${PENDING_KEY_PREFIX}${windowEnd}/${account}`;

/**
 * Value of the `state` key. Version 2 keeps the pending account-windows under keys of their own;
 * version 1 (still restored) kept them all in `pending`.
 */
interface StateDoc {
  version: 1 | 2;
  scorer: ScorerStateJSON;
  /** Version 1 only: account-windows of windows not scored yet. */
  pending?: AccountFeatures[];
  /** Largest window_end scored (null: none). */
  scoredThrough: number | null;
  completeness: CompletenessJSON;
  /** Next offset to read per account-features partition, and in the progress topic. */
  featuresPositions: Record<string, number>;
  progressPosition: number;
  /** The verdicts read so far (absent or null: none yet) and the next offset per alert-verdicts partition. */
  verdicts?: VerdictBookJSON | null;
  verdictsPositions?: Record<string, number>;
}

/** The owner's live state: what the last commit holds plus what was applied since. */
class OwnerState {
  readonly producer: Producer;
  /** The core's scoring stage: the window queue and the scorer, as in `detect`. */
  readonly stage: ScoringStage;
  completeness: Completeness;
  featuresPositions: Map<number, number>;
  progressPosition: number;
  verdictsPositions: Map<number, number>;
  /** Pending-record changelog entries since the last commit (key -> record bytes, or null: scored). */
  readonly pendingWrites = new Map<string, Buffer | null>();
  /** Output waiting for the next commit. */
  alerts: DistillationAlert[] = [];
  newModels: ScoringModel[] = [];
  dirty = false;
  lastCommit = Date.now();
  dropped = false;

  constructor(producer: Producer, scorer: WindowScorer, doc: StateDoc | null, usagePartitions: number) {
    this.producer = producer;
    this.stage = new ScoringStage(scorer, new WindowQueue(doc?.scoredThrough ?? Number.NEGATIVE_INFINITY));
    this.completeness = doc ? Completeness.fromJSON(doc.completeness) : new Completeness(usagePartitions);
    this.featuresPositions = new Map(Object.entries(doc?.featuresPositions ?? {}).map(([k, v]) => [Number(k), v]));
    this.progressPosition = doc?.progressPosition ?? 0;
    this.verdictsPositions = new Map(Object.entries(doc?.verdictsPositions ?? {}).map(([k, v]) => [Number(k), v]));
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

  /** The `state` entry (the pending records are entries of their own). */
  toDoc(): StateDoc {
    return {
      version: 2,
      scorer: scorerStateToJSON(this.stage.scorer),
      scoredThrough: Number.isFinite(this.scoredThrough) ? this.scoredThrough : null,
      completeness: this.completeness.toJSON(),
      featuresPositions: Object.fromEntries(this.featuresPositions),
      progressPosition: this.progressPosition,
      verdicts: this.stage.scorer.verdicts?.toJSON() ?? null,
      verdictsPositions: Object.fromEntries(this.verdictsPositions),
    };
  }
}

export async function startScorer(ctx: ServiceContext): Promise<RunningService> {
  const { topics, metrics } = ctx;
  const log = ctx.log.child({ service: 'scorer' });
  const sources = { features: topics.accountFeatures, progress: topics.aggregatorProgress, verdicts: topics.alertVerdicts };
  const sinks = { alerts: topics.alerts, deadLetters: topics.deadLetters };
  const stores = { state: topics.scorerState, models: topics.scorerModels };
  const groupId = prefixedId(ctx, 'distillwatch.scorer');

  const m = {
    recordsIn: metrics.counter('distillwatch_scorer_records_in_total', 'Account-window records read'),
    rejected: metrics.counter('distillwatch_scorer_rejected_total', 'Account-feature and verdict records dead-lettered (undecodable or invalid)'),
    late: metrics.counter('distillwatch_scorer_late_total', 'Account-window records for windows already scored'),
    windowsScored: metrics.counter('distillwatch_scorer_windows_closed_total', 'Windows scored (closed for the whole stream)'),
    alerts: metrics.counter('distillwatch_scorer_alerts_total', 'Alerts published'),
    models: metrics.counter('distillwatch_scorer_models_published_total', 'Models trained and published'),
    commits: metrics.counter('distillwatch_scorer_commits_total', 'Transactions committed'),
    commitFailures: metrics.counter('distillwatch_scorer_commit_failures_total', 'Transactions that failed (state restored from the changelog)'),
    lag: metrics.gauge('distillwatch_scorer_consumer_lag', 'Account-feature records not yet applied, per partition'),
    restoreSeconds: metrics.gauge('distillwatch_scorer_restore_seconds', 'Time the last restore of the scorer state took'),
    frontier: metrics.gauge('distillwatch_scorer_complete_through_ms', 'Every window ending at or before this is complete (epoch ms)'),
    verdicts: metrics.counter('distillwatch_scorer_verdicts_in_total', 'On-call verdicts read from alert-verdicts'),
    alertLatency: metrics.gauge('distillwatch_scorer_alert_latency_seconds', 'Wall time from the aggregator commit that completed a window to its alerts being committed, over the last 1000 windows'),
  };

  const featuresCodec = await AvroCodec.forTopic<AccountFeatures>(ctx.registry, sources.features, await readSchemaFile('account-features.avsc'));
  const alertCodec = await AvroCodec.forTopic<DistillationAlert>(ctx.registry, sinks.alerts, await readSchemaFile('distillation-alert.avsc'));
  const verdictCodec = await AvroCodec.forTopic<AlertVerdict>(ctx.registry, sources.verdicts, await readSchemaFile('alert-verdict.avsc'));
  const verdictPartitions = await partitionCount(ctx.admin, sources.verdicts);
  const reader = await StoreReader.start(ctx.kafka, ctx.admin, [stores.state, stores.models], prefixedId(ctx, 'distillwatch.scorer.restore.'), log);

  let owner: Promise<OwnerState> | null = null;
  let ownsPartitions = false;
  let stopping = false;
  const lock = new SerialLock();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => lock.run(fn);
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => { fail = reject; });
  failed.catch(() => undefined);
  /** Wall time of the aggregator commit that completed each window (for alert latency). */
  const completedAt = new Map<number, number>();
  /** Kafka timestamp (the aggregator's commit time) of the newest progress record read. */
  let lastProgressAt = Date.now();
  const latencies: number[] = [];

  function modelByVersion(version: string): ScoringModel {
    const value = reader.current(stores.models, 0).get(version);
    if (!value) throw new Error(`model ${version} named by the scorer state is not in ${stores.models}`);
    return modelFromJSON(JSON.parse(value.toString('utf8')));
  }

  async function restore(): Promise<OwnerState> {
    const started = Date.now();
    return lockAndRestore(ctx, groupId, async (producer) => {
      const entries = await reader.restore(stores.state, 0);
      const state = entries.get(STATE_KEY);
      const doc = state ? JSON.parse(state.toString('utf8')) as StateDoc : null;
      await reader.restore(stores.models, 0);
      const scorer = new WindowScorer(ctx.detector.scorer);
      if (doc) restoreScorerState(scorer, doc.scorer, doc.scorer.modelVersion === null ? null : modelByVersion(doc.scorer.modelVersion));
      if (doc?.verdicts) scorer.verdicts = VerdictBook.fromJSON(doc.verdicts);
      const s = new OwnerState(producer, scorer, doc, ctx.usagePartitions);
      await restorePending(s, doc, entries);
      // The owner writes the state changelog from now on and keeps what it holds.
      reader.pause(stores.state, 0);
      m.restoreSeconds((Date.now() - started) / 1000);
      log.info('scorer state restored', { pendingWindows: s.stage.queue.pendingWindows, scoredThrough: doc?.scoredThrough ?? null, model: scorer.currentModel?.version ?? null, seconds: (Date.now() - started) / 1000 });
      return s;
    });
  }

  /**
   * Puts back the pending account-windows: from their changelog keys, or from a version 1
   * `state` (then they are written under their keys by the next commit).
   */
  async function restorePending(s: OwnerState, doc: StateDoc | null, entries: ReadonlyMap<string, Buffer>): Promise<void> {
    for (const r of doc?.pending ?? []) s.add(r, featuresCodec.encode(r), false);
    for (const [key, value] of entries) {
      if (key.startsWith(PENDING_KEY_PREFIX)) s.add(await featuresCodec.decode(value), value, true);
    }
  }

  function obtain(): Promise<OwnerState> {
    if (!owner) {
      const p = restore();
      owner = p;
      p.catch((err) => {
        if (owner === p) owner = null;
        // A state or model of another format or feature set cannot be restored by retrying.
        if (err instanceof ScorerStateFormatError || err instanceof ModelFormatError) { fail(err); return; }
        log.warn('restore failed; retrying', { error: err });
      });
    }
    return owner;
  }

  async function release(s: OwnerState): Promise<void> {
    s.dropped = true;
    if (owner && (await owner.catch(() => null)) === s) owner = null;
    await s.producer.disconnect().catch(() => undefined);
  }

  /** Scores every complete window, oldest first. */
  function scoreComplete(s: OwnerState): void {
    s.completeness.confirm((q) => s.featuresPositions.get(q) ?? 0);
    const frontier = s.completeness.frontier;
    if (Number.isFinite(frontier)) m.frontier(frontier);
    const step = s.stage.scoreThrough(frontier);
    for (const w of step.windows) {
      for (const account of w.accounts) s.pendingWrites.set(pendingKey(w.end, account), null);
      if (!completedAt.has(w.end)) completedAt.set(w.end, lastProgressAt);
      m.windowsScored();
      s.dirty = true;
    }
    s.alerts.push(...step.alerts);
    s.newModels.push(...step.models);
  }

  /**
   * Puts each verdict read into the scorer's book: it applies to the windows scored from now on
   * that end after its verdict_time (one that arrives after those windows were scored applies
   * from the next window). A record that is not a valid verdict is dead-lettered, never applied.
   */
  async function applyVerdicts(s: OwnerState, q: number, messages: ReadonlyArray<{ offset: string; key: Buffer | null; value: Buffer | null }>, next: number): Promise<void> {
    const position = s.verdictsPositions.get(q) ?? 0;
    for (const message of messages) {
      const offset = Number(message.offset);
      if (offset < position) continue;
      let problem: string;
      try {
        const parsed = parseVerdictRecord(await verdictCodec.decode(message.value ?? Buffer.alloc(0)), offset);
        if (parsed.kind === 'verdict') {
          s.stage.addVerdict(parsed.verdict);
          m.verdicts();
          continue;
        }
        problem = `invalid verdict: ${parsed.rejection.field ? `field '${parsed.rejection.field}': ` : ''}${parsed.rejection.reason}`;
      } catch (err) {
        if ((err as { retriable?: boolean }).retriable) throw err;
        problem = `undecodable: ${(err as Error).message}`;
      }
      m.rejected();
      await s.producer.send({ topic: sinks.deadLetters, messages: [deadLetterMessage({ line: null, reason: problem, raw: rawFromBytes(message.value), source: 'scorer', partition: q, offset }, message.key)] }).catch(() => undefined);
    }
    s.verdictsPositions.set(q, Math.max(position, next));
  }

  async function commit(s: OwnerState): Promise<StateDoc> {
    const doc = await inTransaction(s.producer, (txn) => writeStep(s, txn));
    const now = Date.now();
    recordLatencies(s.scoredThrough, now);
    m.alerts(s.alerts.length);
    m.models(s.newModels.length);
    m.commits();
    s.pendingWrites.clear();
    s.alerts = [];
    s.newModels = [];
    s.dirty = false;
    s.lastCommit = now;
    return doc;
  }

  /** What one commit of the owner writes in its transaction: alerts, new models, state changelog, offsets. */
  async function writeStep(s: OwnerState, txn: Transaction): Promise<StateDoc> {
    if (s.alerts.length > 0) {
      await txn.send({ topic: sinks.alerts, messages: s.alerts.map((a) => ({ key: a.subject_id, value: alertCodec.encode(a), timestamp: String(a.window_end) })) });
    }
    if (s.newModels.length > 0) {
      await txn.send({ topic: stores.models, compression: CompressionTypes.GZIP, messages: s.newModels.map((model) => ({ key: model.version, value: Buffer.from(JSON.stringify(modelToJSON(model)), 'utf8'), partition: 0 })) });
    }
    const doc = s.toDoc();
    const pending = [...s.pendingWrites].map(([key, value]) => ({ key, value, partition: 0 }));
    await txn.send({ topic: stores.state, compression: CompressionTypes.GZIP, messages: [...pending, { key: STATE_KEY, value: Buffer.from(JSON.stringify(doc), 'utf8'), partition: 0 }] });
    await txn.sendOffsets({
      consumerGroupId: groupId,
      topics: [
        { topic: sources.features, partitions: [...s.featuresPositions].map(([partition, offset]) => ({ partition, offset: String(offset) })) },
        { topic: sources.progress, partitions: [{ partition: 0, offset: String(s.progressPosition) }] },
        ...(s.verdictsPositions.size > 0 ? [{ topic: sources.verdicts, partitions: [...s.verdictsPositions].map(([partition, offset]) => ({ partition, offset: String(offset) })) }] : []),
      ],
    });
    return doc;
  }

  /** Alert latency of the windows scored through `scoredThrough`, committed at `now`. */
  function recordLatencies(scoredThrough: number, now: number): void {
    for (const [end, at] of completedAt) {
      if (end > scoredThrough) continue;
      latencies.push((now - at) / 1000);
      completedAt.delete(end);
    }
    if (latencies.length > 1000) latencies.splice(0, latencies.length - 1000);
    if (latencies.length > 0) {
      const sorted = [...latencies].sort((a, b) => a - b);
      for (const q of [0.5, 0.99]) m.alertLatency(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!, { quantile: q });
    }
  }

  /**
   * Dead letters of the scorer are rare (a foreign or older producer on account-features): sent
   * outside the transaction, so a retry may repeat one, never lose one.
   */
  async function deadLetter(s: OwnerState, reason: string, value: Buffer | null, key: Buffer | null, partition: number, offset: number): Promise<void> {
    m.rejected();
    s.dirty = true;
    await s.producer.send({ topic: sinks.deadLetters, messages: [deadLetterMessage({ line: null, reason, raw: rawFromBytes(value), source: 'scorer', partition, offset }, key)] }).catch(() => undefined);
  }

  /** A failed commit: drop the state, rewind the consumer to the last commit, restore on the next batch. */
  async function recoverOwner(s: OwnerState, err: unknown, committed: StateDoc | null): Promise<void> {
    m.commitFailures();
    await recover(err, {
      log, context: {}, drop: () => release(s), stopping: () => stopping,
      rewind: () => {
        const features = committed?.featuresPositions ?? {};
        for (let q = 0; q < ctx.featurePartitions; q++) consumer.seek({ topic: sources.features, partition: q, offset: String(features[String(q)] ?? 0) });
        consumer.seek({ topic: sources.progress, partition: 0, offset: String(committed?.progressPosition ?? 0) });
        const verdicts = committed?.verdictsPositions ?? {};
        for (let q = 0; q < verdictPartitions; q++) consumer.seek({ topic: sources.verdicts, partition: q, offset: String(verdicts[String(q)] ?? 0) });
      },
    });
  }

  /** The state as last committed (what a restore would give). */
  const lastCommitted = new WeakMap<OwnerState, StateDoc>();

  async function commitOrRecover(s: OwnerState, force: boolean): Promise<void> {
    if (s.dropped || !s.dirty) return;
    if (!force && Date.now() - s.lastCommit < ctx.settings.commitIntervalMs) return;
    try {
      lastCommitted.set(s, await commit(s));
    } catch (err) {
      await recoverOwner(s, err, lastCommitted.get(s) ?? null);
    }
  }

  const consumer: Consumer = ctx.kafka.consumer({
    groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200,
    sessionTimeout: ctx.settings.sessionTimeoutMs, heartbeatInterval: Math.floor(ctx.settings.sessionTimeoutMs / 10),
    partitionAssigners: [singleOwnerAssigner(() => ownsPartitions)],
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const mine = Object.values(payload.memberAssignment).some((ps) => ps.length > 0);
    log.info(mine ? 'this instance owns the scorer' : 'standby: another instance owns the scorer', { memberId: payload.memberId });
    ownsPartitions = mine;
    if (!mine && owner) void owner.then((s) => exclusive(() => release(s))).catch(() => undefined);
    if (mine) void obtain().then((s) => { if (!lastCommitted.has(s)) lastCommitted.set(s, s.toDoc()); }).catch(() => undefined);
  });
  await keepConsuming(consumer, async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [sources.features, sources.progress, sources.verdicts], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, isRunning, isStale }) => {
        let s: OwnerState;
        try {
          s = await obtain();
        } catch {
          await sleep(1000);
          consumer.seek({ topic: batch.topic, partition: batch.partition, offset: batch.firstOffset() ?? '0' });
          return;
        }
        if (!lastCommitted.has(s)) lastCommitted.set(s, s.toDoc());
        await exclusive(async () => {
          if (s.dropped || !isRunning() || isStale()) return;
          const next = Number(batch.lastOffset()) + 1;
          try {
            if (batch.topic === sources.progress) {
              for (const message of batch.messages) {
                if (Number(message.offset) < s.progressPosition || message.value === null) continue;
                s.completeness.offer(decodeProgress(message.value));
                lastProgressAt = Number(message.timestamp);
              }
              s.progressPosition = Math.max(s.progressPosition, next);
            } else if (batch.topic === sources.verdicts) {
              await applyVerdicts(s, batch.partition, batch.messages, next);
            } else {
              const q = batch.partition;
              const position = s.featuresPositions.get(q) ?? 0;
              for (const message of batch.messages) {
                const offset = Number(message.offset);
                if (offset < position) continue;
                m.recordsIn();
                let record: AccountFeatures;
                const value = message.value ?? Buffer.alloc(0);
                try {
                  record = await featuresCodec.decode(value);
                } catch (err) {
                  if (isRetriable(err)) throw err;
                  await deadLetter(s, `undecodable: ${(err as Error).message}`, message.value, message.key, q, offset);
                  continue;
                }
                const missing = REGISTRY.missingFrom(record.features);
                if (missing !== null) {
                  await deadLetter(s, `missing feature ${missing} (written by another feature set)`, message.value, message.key, q, offset);
                  continue;
                }
                if (!s.add(record, value, false)) m.late();
              }
              s.featuresPositions.set(q, Math.max(position, next));
            }
            s.dirty = true;
            const scoredBefore = s.scoredThrough;
            scoreComplete(s);
            const ends = s.completeness.pendingEnds();
            for (const fp of new Set([...s.featuresPositions.keys(), ...ends.keys()])) {
              m.lag(Math.max(0, (ends.get(fp) ?? 0) - (s.featuresPositions.get(fp) ?? 0)), { partition: fp });
            }
            await commitOrRecover(s, s.scoredThrough !== scoredBefore);
          } catch (err) {
            await recoverOwner(s, err, lastCommitted.get(s) ?? null);
          }
        });
      },
    });
  }, { log, stopping: () => stopping, fail });

  const flushTimer = setInterval(() => {
    if (!owner) return;
    void owner.then((s) => exclusive(() => commitOrRecover(s, true))).catch(() => undefined);
  }, Math.max(50, ctx.settings.commitIntervalMs));

  log.info('scorer started', { sources, sinks, stores, groupId });
  return {
    name: 'scorer',
    failed,
    detail: () => ({ owner: ownsPartitions }),
    async stop() {
      stopping = true;
      clearInterval(flushTimer);
      await consumer.disconnect().catch((err) => log.warn('consumer disconnect failed', { error: err }));
      log.info('left the consumer group; committing what was applied');
      if (owner) {
        const s = await owner.catch(() => null);
        if (s) await exclusive(async () => { await commitOrRecover(s, true); await release(s); });
      }
      await reader.stop();
      log.info('scorer stopped');
    },
  };
}
