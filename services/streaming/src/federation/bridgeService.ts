// The lab bridge (`run bridge`): a lab's one connection to its federation's forum.
//
//   lab cluster                                          forum cluster
//   account-features ─► forum records (toForumRecord) ─────────────► forum.records.<lab>
//   distillwatch.aggregator.progress ─► Completeness ─► progress markers ─► (every partition)
//   alert-verdicts ─► forumVerdictOf (forum alerts only) ──────────► forum.verdicts.<lab>
//   distillation-alerts ◄─ LabFeed (local-alert mode) ◄─ forumAlertForLab ◄─ forum.alerts.<lab> (alerts, confirmations, scored)
//                              ▲
//   distillwatch.scorer.local-alerts (the scorer run --federated: local alerts, scored markers)
//   distillation-alerts (from its end) ─► ScorerBypassCheck: an alert the bridge did not write means a scorer without --federated
//   store ─► changelog distillwatch.bridge.store (pseudonym -> account, forum alerts delivered, the feed)
//
// The lab's feed is the core LabFeed of its `--local-alerts` mode (bridgeFeed.ts): `confirmed`
// (default) shows a local alert once the forum has scored its window and confirmed one of its
// accounts, and the forum's single-lab alerts where the lab's detector had none; `immediate`
// shows local alerts as the scorer raises them. Forum alerts across labs are shown at once.
//
// Delivery guarantees, two clusters being two transaction domains:
//   - records, markers and verdicts to the forum are at-least-once: sent (idempotent producer,
//     acks from all replicas) before the lab-side offsets are committed, so a crash re-sends
//     them. That is safe: the forum keeps one record per (lab, pseudonym, window) and a verdict
//     is keyed by its alert id; a marker only ever repeats or raises the one before;
//   - forum alerts into the lab's distillation-alerts are exactly-once: each batch is one lab
//     transaction holding the alerts and their `alert/<id>` store entries, and an alert already
//     in the store is skipped (a crash before the forum-side offsets are committed re-reads it);
//   - the feed is exactly-once on the lab side and idempotent on the forum side: the alerts it
//     shows, its state and its read position of the local-alerts topic are written in one lab
//     transaction (a local alert is held once, shown once); confirmations and scored markers
//     read again (a crash before the forum-side commit, or a restarted forum sending everything
//     again) change nothing, since the gate ignores what it has for a window it released, and
//     markers only raise.
// The pseudonym of an account is in the store (one lab transaction) before its first record
// crosses, so every forum alert naming it can be mapped back. Never sends an account id, a
// raw identifier or prompt text to the forum: only what toForumRecord builds.
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from '@distillwatch/platform/kafka';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { isRetriable } from '@distillwatch/platform/kafka';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { deadLetterMessage, rawFromBytes } from '@distillwatch/platform/dlq';
import { ensureTopics } from '@distillwatch/platform/topics';
import {
  FEATURE_NAMES, forumAlertForLab, forumVerdictOf, labFeedSpec, parseVerdictRecord, toForumRecord,
  type AccountFeatures, type AlertVerdict, type DistillationAlert, type FederationKeys, type ForumRecord, type LabAlert, type LocalAlertMode,
} from '@distillwatch/core';
import { streamingKafka } from '../connection.ts';
import { prefixedId, PRODUCER_RETRY, type RunningService, type ServiceContext } from '../context.ts';
import METRIC_CATALOG from '../metricCatalog.json' with { type: 'json' };
import type { MetricHandle } from '../metrics.ts';
import type { Logger } from '../log.ts';
import { SerialLock, inTransaction } from '../consumerService.ts';
import { keepConsuming } from '../keepConsuming.ts';
import { Completeness, decodeProgress, streamClockOf, type PartitionProgress } from '../progress.ts';
import { StoreReader } from '../storeReader.ts';
import { partitionCount } from '../topology.ts';
import { BridgeStore } from './bridgeStore.ts';
import { KIND_HEADER, forumTopicsOf, progressMessage, recordMessage, verdictMessage, type ProgressMarker } from './forumWire.ts';
import { parseForumReply } from './forumReplies.ts';
import { localAlertsTopicSpec, parseLocalAlertsMessage } from './localAlertsWire.ts';
import { BridgeFeed, type BridgeFeedDoc } from './bridgeFeed.ts';
import { LabActivity } from './labActivity.ts';
import { labAlertSchemaText } from './labAlertSchema.ts';
import { SCORER_BYPASS_MESSAGE, ScorerBypassCheck } from './scorerBypass.ts';

export interface BridgeOptions {
  /** This lab's name (as in its events' `lab`). */
  lab: string;
  keys: FederationKeys;
  /** The forum cluster's connection, as this lab's principal there. */
  forum: PlatformConfig;
  /** Wall time a lab's stream clock must stand still (with nothing unread) before it tells the forum it is quiet. */
  quietMs: number;
  /** How the lab's local alerts reach its feed (the twin's `--local-alerts`). */
  localAlerts: LocalAlertMode;
}

/** A consumer's next offset to read of one topic-partition, to commit. */
interface TopicOffset { topic: string; partition: number; offset: string }

/** Compacted, kept: the store's changelog must never lose an entry. */
const STORE_CONFIGS = { 'cleanup.policy': 'compact', 'retention.ms': '-1' } as const;

/** Starts the bridge: open its state, consume the lab's topics and the forum's alerts, then the quiet check. */
export async function startBridge(ctx: ServiceContext, options: BridgeOptions): Promise<RunningService> {
  const bridge = await BridgeService.open(ctx, options);
  await bridge.consumeLab();
  await bridge.consumeForum();
  await bridge.watchAlerts();
  bridge.startTimer();
  return bridge.running();
}

/** The bridge's counters and gauges, one handle per `metricCatalog.json` entry. */
type BridgeMetrics = Record<keyof typeof METRIC_CATALOG.bridge, MetricHandle>;

/** What BridgeService.open prepares before the bridge consumes anything. */
interface BridgeParts {
  ctx: ServiceContext;
  options: BridgeOptions;
  log: Logger;
  forumKafka: Kafka;
  storeTopic: string;
  groupId: string;
  featuresCodec: AvroCodec<AccountFeatures>;
  verdictCodec: AvroCodec<AlertVerdict>;
  labAlertCodec: AvroCodec<LabAlert>;
  store: BridgeStore;
  labProducer: Producer;
  forumProducer: Producer;
  recordPartitions: number;
  /** Partitions of forum.alerts.<lab> (the forum's scored markers come on each). */
  alertPartitions: number;
  /** The lab consumer's committed positions of account-features. */
  positions: Map<number, number>;
}

/** The bridge's state (the store, the lab's completeness, the last marker sent) and its steps. */
class BridgeService {
  readonly #p: BridgeParts;
  readonly #log: Logger;
  readonly #forum: ReturnType<typeof forumTopicsOf>;
  readonly #labKey: ReturnType<FederationKeys['labKey']>;
  readonly #m: BridgeMetrics;
  readonly #store: BridgeStore;
  /** The lab's feed, and its store entry as last committed (restored when a transaction fails). */
  #feed: BridgeFeed;
  #committedFeed: BridgeFeedDoc | null;
  readonly #positions: Map<number, number>;
  readonly #lock = new SerialLock();
  #completeness: Completeness;
  readonly #latest = new Map<number, PartitionProgress>();
  /** Next offset of the aggregators' progress topic to read. */
  #progressPosition = 0;
  readonly #activity: LabActivity;
  #caughtUp = false;
  #sent: ProgressMarker | null = null;
  /** Offsets processed and not committed yet, per consumer and topic-partition (committed by the timer). */
  readonly #uncommitted = { lab: new Map<string, TopicOffset>(), forum: new Map<string, TopicOffset>() };
  readonly #labConsumer: Consumer;
  readonly #forumConsumer: Consumer;
  /** Reads distillation-alerts from where the bridge starts, for alerts a scorer without --federated wrote. */
  readonly #alertsWatch: Consumer;
  readonly #bypass = new ScorerBypassCheck();
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopping = false;
  #fail: (err: Error) => void = () => undefined;
  readonly #failed = new Promise<never>((_, reject) => { this.#fail = reject; });

  private constructor(p: BridgeParts, m: BridgeMetrics) {
    const { ctx, options } = p;
    this.#p = p;
    this.#log = p.log;
    this.#forum = forumTopicsOf(options.lab);
    this.#labKey = options.keys.labKey(options.lab);
    this.#m = m;
    this.#store = p.store;
    this.#committedFeed = p.store.feed;
    this.#feed = this.#openFeed(this.#committedFeed);
    this.#positions = p.positions;
    this.#completeness = new Completeness(ctx.usagePartitions);
    this.#activity = new LabActivity(options.quietMs);
    this.#labConsumer = ctx.kafka.consumer({ groupId: p.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100, sessionTimeout: ctx.settings.sessionTimeoutMs });
    // On the forum cluster the lab's groups start with its name (its ACLs there).
    this.#forumConsumer = p.forumKafka.consumer({ groupId: `${options.lab}.distillwatch.bridge`, allowAutoTopicCreation: false, maxWaitTimeInMs: 100, sessionTimeout: ctx.settings.sessionTimeoutMs });
    // A group of its own per start: it only ever reads from the end, and commits nothing.
    this.#alertsWatch = ctx.kafka.consumer({ groupId: prefixedId(ctx, `distillwatch.bridge.watch.${randomUUID()}`), allowAutoTopicCreation: false, maxWaitTimeInMs: 1000, sessionTimeout: ctx.settings.sessionTimeoutMs });
    this.#failed.catch(() => undefined);
  }

  /**
   * Restores the store from its changelog, then locks the lab's transactional id (initialising it
   * fences a previous instance of this lab's bridge) and connects to the forum cluster.
   */
  static async open(ctx: ServiceContext, options: BridgeOptions): Promise<BridgeService> {
    const { topics, admin } = ctx;
    const log = ctx.log.child({ service: 'bridge', lab: options.lab });
    const storeTopic = prefixedId(ctx, 'distillwatch.bridge.store');
    const groupId = prefixedId(ctx, 'distillwatch.bridge');
    const forumKafka = streamingKafka({ ...ctx.settings, platform: options.forum }, `distillwatch-bridge-${options.lab}-${ctx.settings.instanceId}`, log);
    const m = ctx.metrics.declareAll(METRIC_CATALOG.bridge);

    await ensureTopics(admin, [{ name: storeTopic, partitions: 1, configs: STORE_CONFIGS }, localAlertsTopicSpec(topics.scorerLocalAlerts)]);
    const featuresCodec = await AvroCodec.forTopic<AccountFeatures>(ctx.registry, topics.accountFeatures, await readSchemaFile('account-features.avsc'));
    const verdictCodec = await AvroCodec.forTopic<AlertVerdict>(ctx.registry, topics.alertVerdicts, await readSchemaFile('alert-verdict.avsc'));
    const labAlertCodec = await AvroCodec.forTopic<LabAlert>(ctx.registry, topics.alerts, await labAlertSchemaText());

    const reader = await StoreReader.start(ctx.kafka, admin, [storeTopic], prefixedId(ctx, 'distillwatch.bridge.restore.'), log);
    const store = BridgeStore.fromEntries(await reader.restore(storeTopic, 0));
    await reader.stop();

    const labProducer = ctx.kafka.producer({ transactionalId: groupId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60_000, retry: PRODUCER_RETRY });
    await labProducer.connect();
    const forumProducer = forumKafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: PRODUCER_RETRY });
    await forumProducer.connect();
    const forumAdmin = forumKafka.admin();
    await forumAdmin.connect();
    const recordPartitions = await partitionCount(forumAdmin, forumTopicsOf(options.lab).records);
    const alertPartitions = await partitionCount(forumAdmin, forumTopicsOf(options.lab).alerts);
    await forumAdmin.disconnect();
    const positions = await committedPositions(admin, groupId, topics.accountFeatures);
    const parts = { ctx, options, log, forumKafka, storeTopic, groupId, featuresCodec, verdictCodec, labAlertCodec, store, labProducer, forumProducer, recordPartitions, alertPartitions, positions };
    return new BridgeService(parts, m);
  }

  async #deadLetter(reason: string, message: KafkaMessage, partition: number): Promise<void> {
    this.#m.rejected();
    await this.#p.labProducer.transaction().then(async (txn) => {
      await txn.send({ topic: this.#p.ctx.topics.deadLetters, messages: [deadLetterMessage({ line: null, reason, raw: rawFromBytes(message.value), source: 'bridge', partition, offset: Number(message.offset) }, message.key)] });
      await txn.commit();
    });
  }

  /**
   * account-features -> forum records: the store learns new pseudonyms first, then the records
   * cross, in the same request as the marker they complete (when they complete one).
   */
  async #forwardFeatures(partition: number, messages: KafkaMessage[], next: string): Promise<void> {
    const { keys } = this.#p.options;
    const position = this.#positions.get(partition) ?? 0;
    const records: ForumRecord[] = [];
    const accounts: [string, string][] = [];
    for (const message of messages) {
      if (Number(message.offset) < position) continue;
      let features: AccountFeatures;
      try {
        features = await this.#p.featuresCodec.decode(message.value ?? Buffer.alloc(0));
      } catch (err) {
        if (isRetriable(err)) throw err;
        await this.#deadLetter(`undecodable: ${(err as Error).message}`, message, partition);
        continue;
      }
      const record = toForumRecord(features, FEATURE_NAMES, keys.forum, this.#labKey);
      accounts.push([record.acct, features.account_id]);
      records.push(record);
    }
    const entries = this.#store.learnAccounts(accounts);
    if (entries.length > 0) await inTransaction(this.#p.labProducer, (txn) => txn.send({ topic: this.#p.storeTopic, messages: entries.map((e) => ({ ...e, partition: 0 })) }));
    // The marker these records may complete goes in their request (a round trip less to the
    // forum on the path of every window). Counted as read before the send so that the marker
    // sees them; a failed send puts the position and the completeness back, and the batch,
    // delivered again, is sent again, marker included.
    const before = this.#completeness.toJSON();
    this.#positions.set(partition, Math.max(position, Number(next)));
    const marker = this.#dueMarker();
    const out = [...records.map(recordMessage), ...(marker ? this.#markerMessages(marker) : [])];
    try {
      if (out.length > 0) await this.#p.forumProducer.send({ topic: this.#forum.records, acks: -1, messages: out });
    } catch (err) {
      this.#positions.set(partition, position);
      this.#completeness = Completeness.fromJSON(before);
      throw err;
    }
    if (marker) this.#markerSent(marker);
    this.#m.records(records.length);
  }

  /** alert-verdicts -> the verdicts on forum alerts, without note or analyst. */
  async #forwardVerdicts(messages: KafkaMessage[]): Promise<void> {
    const out = [];
    for (const message of messages) {
      let verdict: AlertVerdict;
      try {
        const parsed = parseVerdictRecord(await this.#p.verdictCodec.decode(message.value ?? Buffer.alloc(0)), Number(message.offset));
        if (parsed.kind !== 'verdict') continue; // the scorer dead-letters invalid verdicts already
        verdict = parsed.verdict;
      } catch (err) {
        if (isRetriable(err)) throw err;
        continue;
      }
      const crossing = forumVerdictOf(verdict, this.#p.options.lab, (id) => this.#store.delivered(id));
      if (crossing) out.push(verdictMessage(crossing));
    }
    if (out.length > 0) await this.#p.forumProducer.send({ topic: this.#forum.verdicts, acks: -1, messages: out });
    this.#m.verdicts(out.length);
  }

  /** The marker to send when the lab's completeness or quietness changed since the last one (never a lower completeThrough); null: none due. */
  #dueMarker(): ProgressMarker | null {
    this.#completeness.confirm((q) => this.#positions.get(q) ?? 0);
    const frontier = this.#completeness.frontier;
    const sent = this.#sent;
    const through = Math.max(sent?.completeThrough ?? Number.NEGATIVE_INFINITY, frontier);
    const marker: ProgressMarker = { completeThrough: Number.isFinite(through) ? through : null, caughtUp: this.#caughtUp };
    return sent && sent.completeThrough === marker.completeThrough && sent.caughtUp === marker.caughtUp ? null : marker;
  }

  /** One marker for every partition of the records topic: each follows the records it covers there. */
  #markerMessages(marker: ProgressMarker) {
    return Array.from({ length: this.#p.recordPartitions }, (_, p) => progressMessage(marker, p));
  }

  #markerSent(marker: ProgressMarker): void {
    this.#sent = marker;
    this.#m.markers(this.#p.recordPartitions);
    if (marker.completeThrough !== null) this.#m.completeThrough(marker.completeThrough);
  }

  /** Sends a marker alone when one is due (a progress report, or the quiet check, changed it). */
  async #sendProgress(): Promise<void> {
    const marker = this.#dueMarker();
    if (!marker) return;
    await this.#p.forumProducer.send({ topic: this.#forum.records, acks: -1, messages: this.#markerMessages(marker) });
    this.#markerSent(marker);
  }

  /**
   * Records waiting anywhere in the lab: usage events its aggregator has not consumed, progress
   * reports this bridge has not read, and account-windows that the reports it read say were
   * written and it has not read. The progress topic is written in transactions, so its end is one
   * commit marker past its last record: one offset of difference is nothing unread.
   */
  async #unread(): Promise<number> {
    const { ctx } = this.#p;
    const { admin, topics } = ctx;
    const [aggregator] = await admin.fetchOffsets({ groupId: prefixedId(ctx, 'distillwatch.aggregator'), topics: [topics.usageEvents] });
    const committed = new Map((aggregator?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
    let n = 0;
    for (const end of await admin.fetchTopicOffsets(topics.usageEvents)) n += Math.max(0, Number(end.high) - (committed.get(end.partition) ?? 0));
    const [progressEnd] = await admin.fetchTopicOffsets(topics.aggregatorProgress);
    n += Math.max(0, Number(progressEnd?.high ?? 0) - this.#progressPosition - 1);
    for (const [fp, end] of this.#completeness.pendingEnds()) n += Math.max(0, end - (this.#positions.get(fp) ?? 0));
    return n;
  }

  /** The aggregators' progress reports: what the lab completed, and whether its stream clock moves. */
  #readProgress(messages: KafkaMessage[], next: string): void {
    for (const message of messages) {
      if (message.value === null) continue;
      const p = decodeProgress(message.value);
      this.#completeness.offer(p);
      this.#latest.set(p.partition, p);
    }
    this.#progressPosition = Math.max(this.#progressPosition, Number(next));
    // A clock that moves ends the quiet at once, before the next marker.
    if (this.#activity.observeClock(streamClockOf(this.#latest.values()), Date.now())) this.#caughtUp = false;
  }

  /** Process step of the lab side: one batch of progress, features or verdicts, then a marker if due. */
  async #processLabBatch({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    const { topics } = this.#p.ctx;
    // Forwarding crosses to another cluster: keep the group membership alive meanwhile.
    await heartbeat();
    const next = String(Number(batch.lastOffset()) + 1);
    if (batch.topic === topics.aggregatorProgress) {
      this.#readProgress(batch.messages, next);
    } else if (batch.topic === topics.scorerLocalAlerts) {
      await this.#readLocalAlerts(batch.messages, batch.partition);
      await this.#show([]);
    } else if (batch.topic === topics.accountFeatures) {
      // Sent with its marker; a batch delivered again (a commit that failed in a rebalance) is skipped.
      await this.#forwardFeatures(batch.partition, batch.messages, next);
    } else {
      await this.#forwardVerdicts(batch.messages);
    }
    // Committed by the next tick, off the forwarding path: a crash before then sends the batch
    // again, which the forum's idempotence absorbs (module comment), and the feed keeps its own
    // position of the local alerts in the store.
    if (batch.topic !== topics.aggregatorProgress) this.#uncommitted.lab.set(`${batch.topic}\0${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: next });
    await this.#sendProgress();
  }

  /** Commits both consumers' offsets of the batches processed since the last commit. */
  async #commitOffsets(): Promise<void> {
    for (const [side, consumer] of [['lab', this.#labConsumer], ['forum', this.#forumConsumer]] as const) {
      const offsets = [...this.#uncommitted[side].values()];
      if (offsets.length === 0) continue;
      this.#uncommitted[side].clear();
      await consumer.commitOffsets(offsets);
    }
  }

  /** Consumes the lab's account-features, progress reports and verdicts. */
  async consumeLab(): Promise<void> {
    const consumer = this.#labConsumer;
    const { topics } = this.#p.ctx;
    await keepConsuming(consumer, async () => {
      await consumer.connect();
      // The progress topic is never committed: it is compacted, and read whole at every start.
      await consumer.subscribe({ topics: [topics.accountFeatures, topics.aggregatorProgress, topics.alertVerdicts, topics.scorerLocalAlerts], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatch: async (payload) => this.#lock.run(async () => this.#processLabBatch(payload)) });
    }, this.#keepOptions());
  }

  #openFeed(doc: BridgeFeedDoc | null): BridgeFeed {
    const { lab, keys, localAlerts } = this.#p.options;
    return BridgeFeed.open(labFeedSpec(localAlerts, lab, keys.labKey(lab), this.#p.ctx.detector.scorer), this.#p.alertPartitions, doc);
  }

  /** The scorer's local alerts and scored markers into the feed (an unreadable message is dead-lettered). */
  async #readLocalAlerts(messages: KafkaMessage[], partition: number): Promise<void> {
    for (const message of messages) {
      const offset = Number(message.offset);
      try {
        this.#feed.local(offset, parseLocalAlertsMessage(message.headers?.[KIND_HEADER]?.toString(), message.value));
      } catch (err) {
        if (offset < this.#feed.localPosition) continue;
        this.#feed.skipLocal(offset);
        await this.#deadLetter(`local alert: ${(err as Error).message}`, message, partition);
      }
    }
  }

  /** A forum alert as this lab sees it: its own pseudonyms resolved from the store. */
  #forLab(alert: DistillationAlert): LabAlert {
    const { lab } = this.#p.options;
    return forumAlertForLab(alert, lab, (pseudonym) => {
      const id = this.#store.accountOf(pseudonym);
      if (id === undefined) throw new Error(`forum alert ${alert.alert_id} names a ${lab} pseudonym this lab never sent`);
      return id;
    });
  }

  /** forum.alerts.<lab> -> alerts across labs shown at once (each once); confirmations and scored markers into the feed. */
  async #deliver(messages: KafkaMessage[], partition: number): Promise<void> {
    const crossLab: LabAlert[] = [];
    for (const message of messages) {
      try {
        const reply = parseForumReply(message.headers?.[KIND_HEADER]?.toString(), message.value, this.#p.options.lab);
        if (reply.kind === 'scored') {
          this.#feed.forumScored(partition, reply.scoredThrough);
        } else if (reply.kind === 'confirmation') {
          const { window_end: end, accounts, alerts } = reply.confirmation;
          this.#feed.confirm(end, accounts, alerts.map((a) => this.#forLab(a)));
        } else if (!this.#store.delivered(reply.alert.alert_id) && !crossLab.some((a) => a.alert_id === reply.alert.alert_id)) {
          const alert = this.#forLab(reply.alert);
          this.#feed.crossLabAlert(alert);
          crossLab.push(alert);
        }
      } catch (err) {
        await this.#deadLetter(`forum alert: ${(err as Error).message}`, message, partition);
      }
    }
    await this.#show(crossLab);
  }

  /**
   * One lab transaction: `crossLab` and what the feed releases now into distillation-alerts, the
   * forum alerts' `alert/<id>` entries and the feed's entry. Nothing is written when nothing
   * changed; when the transaction fails, the feed goes back to its last committed state (the
   * inputs since are read again).
   */
  async #show(crossLab: LabAlert[]): Promise<void> {
    const { ctx, labAlertCodec, labProducer, storeTopic } = this.#p;
    const store = this.#store;
    const shown = [...crossLab, ...this.#feed.release()];
    const doc = this.#feed.toDoc();
    if (shown.length === 0 && JSON.stringify(doc) === JSON.stringify(this.#committedFeed)) return;
    const forumIds = shown.filter((a) => a.source === 'forum').map((a) => a.alert_id);
    const storeEntries = { topic: storeTopic, messages: [...forumIds.map((id) => store.deliveryEntry(id)), store.feedEntry(doc)].map((e) => ({ ...e, partition: 0 })) };
    const alerts = { topic: ctx.topics.alerts, messages: shown.map((a) => ({ key: a.subject_id, value: labAlertCodec.encode(a), timestamp: String(a.window_end) })) };
    try {
      // One request for both topics: every send of a transaction is two round trips (add the
      // partitions, then produce), and the alerts are on the way back to the lab.
      await inTransaction(labProducer, (txn) => txn.sendBatch({ topicMessages: shown.length > 0 ? [alerts, storeEntries] : [storeEntries] }));
    } catch (err) {
      this.#feed = this.#openFeed(this.#committedFeed);
      throw err;
    }
    this.#committedFeed = doc;
    for (const id of forumIds) store.markDelivered(id);
    this.#m.alerts(forumIds.length);
  }

  /** Consumes the forum's alerts for this lab: deliver, then commit the forum-side offsets. */
  async consumeForum(): Promise<void> {
    const consumer = this.#forumConsumer;
    await keepConsuming(consumer, async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.#forum.alerts], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => this.#lock.run(async () => {
          await this.#deliver(batch.messages, batch.partition);
          // Committed by the next tick: what is read again is delivered once all the same (the store's `alert/<id>`).
          this.#uncommitted.forum.set(`${batch.topic}\0${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) });
        }),
      });
    }, this.#keepOptions());
  }

  /** Watches distillation-alerts from its end: says so (an error, once) when the lab's scorer writes there itself. */
  async watchAlerts(): Promise<void> {
    const consumer = this.#alertsWatch;
    await keepConsuming(consumer, async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.#p.ctx.topics.alerts], fromBeginning: false });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const alert = await this.#p.labAlertCodec.decode(message.value ?? Buffer.alloc(0)).catch(() => null);
          if (alert !== null && this.#bypass.observe(alert)) this.#log.error(SCORER_BYPASS_MESSAGE, { alertId: alert.alert_id });
        },
      });
    }, this.#keepOptions());
  }

  #keepOptions() {
    return { log: this.#log, stopping: () => this.#stopping, fail: (err: Error) => this.#fail(err) };
  }

  /**
   * Timer step: the quiet check asks the lab cluster for offsets, so on a timer, never per batch;
   * and both consumers' offsets of the batches processed since the last tick are committed.
   */
  startTimer(): void {
    // One check at a time: on a loaded machine a check outlasts the period. Its round trips (three
    // admin calls, the commit) are made outside the lock, so the batches that forward records and
    // deliver alerts never wait for them; only the marker it may send is a step under the lock.
    // While the lab's clock moves the lab cannot be quiet: the three admin calls are skipped, and
    // the lab cluster and this process spend nothing on them while records flow.
    let pending = false;
    this.#timer = setInterval(() => {
      if (pending) return;
      pending = true;
      void (async () => {
        await this.#commitOffsets();
        this.#activity.observeClock(streamClockOf(this.#latest.values()), Date.now());
        const waiting = this.#activity.mayBeQuiet(Date.now()) ? await this.#unread() : Number.POSITIVE_INFINITY;
        await this.#lock.run(async () => {
          this.#activity.observeClock(streamClockOf(this.#latest.values()), Date.now());
          this.#caughtUp = this.#activity.isQuiet(waiting, Date.now());
          await this.#sendProgress();
        });
      })().catch((err) => this.#log.warn('progress check failed; retrying', { error: err })).finally(() => { pending = false; });
    }, this.#p.ctx.settings.idleCheckMs);
    this.#log.info('bridge started', { forumRecords: this.#forum.records, forumAlerts: this.#forum.alerts, store: this.#p.storeTopic, groupId: this.#p.groupId });
  }

  running(): RunningService {
    return {
      name: 'bridge',
      failed: this.#failed,
      detail: () => ({ lab: this.#p.options.lab, completeThrough: this.#sent?.completeThrough ?? null, caughtUp: this.#caughtUp, unfederatedScorerAlerts: this.#bypass.alerts }),
      stop: () => this.#stop(),
    };
  }

  /** Drains: commits the offsets processed, leaves the three groups, waits for the step in progress, then releases both producers. */
  async #stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    await this.#lock.run(async () => this.#commitOffsets()).catch((err) => this.#log.warn('committing the offsets failed', { error: err }));
    await this.#labConsumer.disconnect().catch((err) => this.#log.warn('consumer disconnect failed', { error: err }));
    await this.#forumConsumer.disconnect().catch((err) => this.#log.warn('consumer disconnect failed', { error: err }));
    await this.#alertsWatch.disconnect().catch((err) => this.#log.warn('consumer disconnect failed', { error: err }));
    await this.#lock.run(async () => undefined);
    await this.#p.labProducer.disconnect().catch(() => undefined);
    await this.#p.forumProducer.disconnect().catch(() => undefined);
    this.#log.info('bridge stopped');
  }
}

/** A group's committed offsets of `topic` (0 where none), partition -> next offset. */
async function committedPositions(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((offsets?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
}

