// The lab bridge (`run bridge`): a lab's one connection to its federation's forum.
//
//   lab cluster                                          forum cluster
//   account-features ─► forum records (toForumRecord) ─────────────► forum.records.<lab>
//   distillwatch.aggregator.progress ─► Completeness ─► progress markers ─► (every partition)
//   alert-verdicts ─► forumVerdictOf (forum alerts only) ──────────► forum.verdicts.<lab>
//   distillation-alerts ◄─ forumAlertForLab (own pseudonyms resolved) ◄─ forum.alerts.<lab>
//   store ─► changelog distillwatch.bridge.store (pseudonym -> account, forum alerts delivered)
//
// Delivery guarantees, two clusters being two transaction domains:
//   - records, markers and verdicts to the forum are at-least-once: sent (idempotent producer,
//     acks from all replicas) before the lab-side offsets are committed, so a crash re-sends
//     them. That is safe: the forum keeps one record per (lab, pseudonym, window) and a verdict
//     is keyed by its alert id; a marker only ever repeats or raises the one before;
//   - forum alerts into the lab's distillation-alerts are exactly-once: each batch is one lab
//     transaction holding the alerts and their `alert/<id>` store entries, and an alert already
//     in the store is skipped (a crash before the forum-side offsets are committed re-reads it).
// The pseudonym of an account is in the store (one lab transaction) before its first record
// crosses, so every forum alert naming it can be mapped back. Never sends an account id, a
// raw identifier or prompt text to the forum: only what toForumRecord builds.
import type { Admin, Consumer, KafkaMessage } from '@distillwatch/platform/kafka';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { isRetriable } from '@distillwatch/platform/kafka';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { deadLetterMessage, rawFromBytes } from '@distillwatch/platform/dlq';
import { ensureTopics } from '@distillwatch/platform/topics';
import {
  FEATURE_NAMES, forumAlertForLab, forumVerdictOf, parseVerdictRecord, toForumRecord,
  type AccountFeatures, type AlertVerdict, type FederationKeys, type ForumRecord, type LabAlert,
} from '@distillwatch/core';
import { streamingKafka } from '../connection.ts';
import { prefixedId, PRODUCER_RETRY, type RunningService, type ServiceContext } from '../context.ts';
import { SerialLock, inTransaction } from '../consumerService.ts';
import { keepConsuming } from '../keepConsuming.ts';
import { Completeness, decodeProgress, streamClockOf, type PartitionProgress } from '../progress.ts';
import { StoreReader } from '../storeReader.ts';
import { partitionCount } from '../topology.ts';
import { BridgeStore } from './bridgeStore.ts';
import { forumTopicsOf, parseForumAlert, progressMessage, recordMessage, verdictMessage, type ProgressMarker } from './forumWire.ts';
import { LabActivity } from './labActivity.ts';
import { labAlertSchemaText } from './labAlertSchema.ts';

export interface BridgeOptions {
  /** This lab's name (as in its events' `lab`). */
  lab: string;
  keys: FederationKeys;
  /** The forum cluster's connection, as this lab's principal there. */
  forum: PlatformConfig;
  /** Wall time a lab's stream clock must stand still (with nothing unread) before it tells the forum it is quiet. */
  quietMs: number;
}

/** Compacted, kept: the store's changelog must never lose an entry. */
const STORE_CONFIGS = { 'cleanup.policy': 'compact', 'retention.ms': '-1' } as const;

/**
 * Starts the bridge. Its steps are closures over the bridge's state (the store, the lab's
 * completeness, the last marker sent), as the scorer's are, so the function is long.
 */
export async function startBridge(ctx: ServiceContext, options: BridgeOptions): Promise<RunningService> {
  const { topics, metrics, admin } = ctx;
  const { lab, keys } = options;
  const log = ctx.log.child({ service: 'bridge', lab });
  const forum = forumTopicsOf(lab);
  const storeTopic = prefixedId(ctx, 'distillwatch.bridge.store');
  const groupId = prefixedId(ctx, 'distillwatch.bridge');
  // On the forum cluster the lab's groups start with its name (its ACLs there).
  const forumGroupId = `${lab}.distillwatch.bridge`;
  const labKey = keys.labKey(lab);
  const forumKafka = streamingKafka({ ...ctx.settings, platform: options.forum }, `distillwatch-bridge-${lab}-${ctx.settings.instanceId}`, log);
  const m = {
    records: metrics.counter('distillwatch_bridge_records_out_total', 'Forum records sent to the forum'),
    markers: metrics.counter('distillwatch_bridge_markers_out_total', 'Progress markers sent to the forum (one per records partition)'),
    verdicts: metrics.counter('distillwatch_bridge_verdicts_out_total', 'Verdicts on forum alerts sent to the forum'),
    alerts: metrics.counter('distillwatch_bridge_forum_alerts_in_total', 'Forum alerts delivered into distillation-alerts'),
    rejected: metrics.counter('distillwatch_bridge_rejected_total', 'Records dead-lettered (undecodable, or a forum alert naming an unknown pseudonym)'),
    completeThrough: metrics.gauge('distillwatch_bridge_complete_through_ms', 'Every account-window of the lab ending at or before this has crossed (epoch ms)'),
  };

  await ensureTopics(admin, [{ name: storeTopic, partitions: 1, configs: STORE_CONFIGS }]);
  const featuresCodec = await AvroCodec.forTopic<AccountFeatures>(ctx.registry, topics.accountFeatures, await readSchemaFile('account-features.avsc'));
  const verdictCodec = await AvroCodec.forTopic<AlertVerdict>(ctx.registry, topics.alertVerdicts, await readSchemaFile('alert-verdict.avsc'));
  const labAlertCodec = await AvroCodec.forTopic<LabAlert>(ctx.registry, topics.alerts, await labAlertSchemaText());

  const reader = await StoreReader.start(ctx.kafka, admin, [storeTopic], prefixedId(ctx, 'distillwatch.bridge.restore.'), log);
  const store = BridgeStore.fromEntries(await reader.restore(storeTopic, 0));
  await reader.stop();

  // Initialising the transactional id fences a previous instance of this lab's bridge.
  const labProducer = ctx.kafka.producer({ transactionalId: groupId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60_000, retry: PRODUCER_RETRY });
  await labProducer.connect();
  const forumProducer = forumKafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: PRODUCER_RETRY });
  await forumProducer.connect();
  const forumAdmin = forumKafka.admin();
  await forumAdmin.connect();
  const recordPartitions = await partitionCount(forumAdmin, forum.records);
  await forumAdmin.disconnect();

  const lock = new SerialLock();
  const completeness = new Completeness(ctx.usagePartitions);
  const latest = new Map<number, PartitionProgress>();
  const positions = await committedPositions(admin, groupId, topics.accountFeatures);
  /** Next offset of the aggregators' progress topic to read. */
  let progressPosition = 0;
  const activity = new LabActivity(options.quietMs);
  let caughtUp = false;
  let sent: ProgressMarker | null = null;
  let stopping = false;
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => { fail = reject; });
  failed.catch(() => undefined);

  async function deadLetter(reason: string, message: KafkaMessage, partition: number): Promise<void> {
    m.rejected();
    await labProducer.transaction().then(async (txn) => {
      await txn.send({ topic: topics.deadLetters, messages: [deadLetterMessage({ line: null, reason, raw: rawFromBytes(message.value), source: 'bridge', partition, offset: Number(message.offset) }, message.key)] });
      await txn.commit();
    });
  }

  /** account-features -> forum records: the store learns new pseudonyms first, then the records cross. */
  async function forwardFeatures(partition: number, messages: KafkaMessage[]): Promise<void> {
    const position = positions.get(partition) ?? 0;
    const records: ForumRecord[] = [];
    const accounts: [string, string][] = [];
    for (const message of messages) {
      if (Number(message.offset) < position) continue;
      let features: AccountFeatures;
      try {
        features = await featuresCodec.decode(message.value ?? Buffer.alloc(0));
      } catch (err) {
        if (isRetriable(err)) throw err;
        await deadLetter(`undecodable: ${(err as Error).message}`, message, partition);
        continue;
      }
      const record = toForumRecord(features, FEATURE_NAMES, keys.forum, labKey);
      accounts.push([record.acct, features.account_id]);
      records.push(record);
    }
    const entries = store.learnAccounts(accounts);
    if (entries.length > 0) await inTransaction(labProducer, (txn) => txn.send({ topic: storeTopic, messages: entries.map((e) => ({ ...e, partition: 0 })) }));
    if (records.length > 0) await forumProducer.send({ topic: forum.records, acks: -1, messages: records.map(recordMessage) });
    m.records(records.length);
  }

  /** alert-verdicts -> the verdicts on forum alerts, without note or analyst. */
  async function forwardVerdicts(messages: KafkaMessage[]): Promise<void> {
    const out = [];
    for (const message of messages) {
      let verdict: AlertVerdict;
      try {
        const parsed = parseVerdictRecord(await verdictCodec.decode(message.value ?? Buffer.alloc(0)), Number(message.offset));
        if (parsed.kind !== 'verdict') continue; // the scorer dead-letters invalid verdicts already
        verdict = parsed.verdict;
      } catch (err) {
        if (isRetriable(err)) throw err;
        continue;
      }
      const crossing = forumVerdictOf(verdict, lab, (id) => store.delivered(id));
      if (crossing) out.push(verdictMessage(crossing));
    }
    if (out.length > 0) await forumProducer.send({ topic: forum.verdicts, acks: -1, messages: out });
    m.verdicts(out.length);
  }

  /** Sends a marker when the lab's completeness or quietness changed (never a lower completeThrough). */
  async function sendProgress(): Promise<void> {
    completeness.confirm((q) => positions.get(q) ?? 0);
    const frontier = completeness.frontier;
    const through = Math.max(sent?.completeThrough ?? Number.NEGATIVE_INFINITY, frontier);
    const marker: ProgressMarker = { completeThrough: Number.isFinite(through) ? through : null, caughtUp };
    if (sent && sent.completeThrough === marker.completeThrough && sent.caughtUp === marker.caughtUp) return;
    await forumProducer.send({ topic: forum.records, acks: -1, messages: Array.from({ length: recordPartitions }, (_, p) => progressMessage(marker, p)) });
    sent = marker;
    m.markers(recordPartitions);
    if (marker.completeThrough !== null) m.completeThrough(marker.completeThrough);
  }

  /**
   * Records waiting anywhere in the lab: usage events its aggregator has not consumed, progress
   * reports this bridge has not read, and account-windows that the reports it read say were
   * written and it has not read. The progress topic is written in transactions, so its end is one
   * commit marker past its last record: one offset of difference is nothing unread.
   */
  async function unread(): Promise<number> {
    const [aggregator] = await admin.fetchOffsets({ groupId: prefixedId(ctx, 'distillwatch.aggregator'), topics: [topics.usageEvents] });
    const committed = new Map((aggregator?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
    let n = 0;
    for (const end of await admin.fetchTopicOffsets(topics.usageEvents)) n += Math.max(0, Number(end.high) - (committed.get(end.partition) ?? 0));
    const [progressEnd] = await admin.fetchTopicOffsets(topics.aggregatorProgress);
    n += Math.max(0, Number(progressEnd?.high ?? 0) - progressPosition - 1);
    for (const [fp, end] of completeness.pendingEnds()) n += Math.max(0, end - (positions.get(fp) ?? 0));
    return n;
  }

  const labConsumer: Consumer = ctx.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100, sessionTimeout: ctx.settings.sessionTimeoutMs });
  await keepConsuming(labConsumer, async () => {
    await labConsumer.connect();
    // The progress topic is never committed: it is compacted, and read whole at every start.
    await labConsumer.subscribe({ topics: [topics.accountFeatures, topics.aggregatorProgress, topics.alertVerdicts], fromBeginning: true });
    await labConsumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => lock.run(async () => {
        // Forwarding crosses to another cluster: keep the group membership alive meanwhile.
        await heartbeat();
        const next = String(Number(batch.lastOffset()) + 1);
        if (batch.topic === topics.aggregatorProgress) {
          for (const message of batch.messages) {
            if (message.value === null) continue;
            const p = decodeProgress(message.value);
            completeness.offer(p);
            latest.set(p.partition, p);
          }
          progressPosition = Math.max(progressPosition, Number(next));
          // A clock that moves ends the quiet at once, before the next marker.
          if (activity.observeClock(streamClockOf(latest.values()), Date.now())) caughtUp = false;
        } else if (batch.topic === topics.accountFeatures) {
          await forwardFeatures(batch.partition, batch.messages);
          // Sent: a batch delivered again (a commit that failed in a rebalance) is skipped.
          positions.set(batch.partition, Math.max(positions.get(batch.partition) ?? 0, Number(next)));
          await labConsumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
        } else {
          await forwardVerdicts(batch.messages);
          await labConsumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
        }
        await sendProgress();
      }),
    });
  }, { log, stopping: () => stopping, fail });

  /** forum.alerts.<lab> -> the lab's view of each alert, into distillation-alerts, once. */
  async function deliver(messages: KafkaMessage[], partition: number): Promise<void> {
    const alerts: LabAlert[] = [];
    for (const message of messages) {
      let alert: LabAlert;
      try {
        const forumAlert = parseForumAlert(message.value);
        if (store.delivered(forumAlert.alert_id) || alerts.some((a) => a.alert_id === forumAlert.alert_id)) continue;
        alert = forumAlertForLab(forumAlert, lab, (pseudonym) => {
          const id = store.accountOf(pseudonym);
          if (id === undefined) throw new Error(`forum alert ${forumAlert.alert_id} names a ${lab} pseudonym this lab never sent`);
          return id;
        });
      } catch (err) {
        await deadLetter(`forum alert: ${(err as Error).message}`, message, partition);
        continue;
      }
      alerts.push(alert);
    }
    if (alerts.length === 0) return;
    await inTransaction(labProducer, async (txn) => {
      await txn.send({ topic: topics.alerts, messages: alerts.map((a) => ({ key: a.subject_id, value: labAlertCodec.encode(a), timestamp: String(a.window_end) })) });
      await txn.send({ topic: storeTopic, messages: alerts.map((a) => ({ ...store.deliveryEntry(a.alert_id), partition: 0 })) });
    });
    for (const a of alerts) store.markDelivered(a.alert_id);
    m.alerts(alerts.length);
  }

  const forumConsumer: Consumer = forumKafka.consumer({ groupId: forumGroupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100, sessionTimeout: ctx.settings.sessionTimeoutMs });
  await keepConsuming(forumConsumer, async () => {
    await forumConsumer.connect();
    await forumConsumer.subscribe({ topics: [forum.alerts], fromBeginning: true });
    await forumConsumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => lock.run(async () => {
        await deliver(batch.messages, batch.partition);
        await forumConsumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }]);
      }),
    });
  }, { log, stopping: () => stopping, fail });

  // The quiet check asks the lab cluster for offsets: on a timer, never per batch.
  const timer = setInterval(() => {
    void lock.run(async () => {
      const waiting = await unread();
      activity.observeClock(streamClockOf(latest.values()), Date.now());
      caughtUp = activity.isQuiet(waiting, Date.now());
      await sendProgress();
    }).catch((err) => log.warn('progress check failed; retrying', { error: err }));
  }, ctx.settings.idleCheckMs);

  log.info('bridge started', { forumRecords: forum.records, forumAlerts: forum.alerts, store: storeTopic, groupId });
  return {
    name: 'bridge',
    failed,
    detail: () => ({ lab, completeThrough: sent?.completeThrough ?? null, caughtUp }),
    async stop() {
      stopping = true;
      clearInterval(timer);
      await labConsumer.disconnect().catch((err) => log.warn('consumer disconnect failed', { error: err }));
      await forumConsumer.disconnect().catch((err) => log.warn('consumer disconnect failed', { error: err }));
      await lock.run(async () => undefined);
      await labProducer.disconnect().catch(() => undefined);
      await forumProducer.disconnect().catch(() => undefined);
      log.info('bridge stopped');
    },
  };
}

/** A group's committed offsets of `topic` (0 where none), partition -> next offset. */
async function committedPositions(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((offsets?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
}

