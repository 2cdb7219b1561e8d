// The forum service (`run forum`): the federation's central party, on the forum cluster.
//
//   forum.records.<lab> (every lab) ─► Forum (core: link, sum spend, score) ─► forum.alerts.<lab> (each lab involved)
//        progress markers ─► each lab's completeThrough: the least over its partitions  late/unreadable ─► forum.dlq
//   forum.verdicts.<lab> (every lab) ─► Forum.addVerdict (the scorer's verdict on the alert's subject)
//
// A lab's completeness is the smallest completeThrough of the markers on its partitions (its
// bridge sends one to every partition after the records it covers). The core Forum decides
// when a window is scored: every lab completed it, a quiet lab follows the leading one, and a
// lab with backlog holds the forum at most the lag bound (DISTILLWATCH_FORUM_MAX_LAB_LAG_MS);
// its records for windows already scored are dead-lettered and counted. After each release it
// sends each lab its confirmations and how far it has scored (forumReplies.ts). Every configured lab
// counts from the start, so a lab whose bridge is down is a lagging lab, never an absent one.
//
// State: the core Forum is rebuilt at every start: the forum reads every records and verdicts
// topic from the beginning (they keep everything, and are small: about 2 % of the labs' usage
// bytes) and scores again (ids are deterministic); it scores nothing before it has read what the
// topics held when it started, so a restart does not mistake its own backlog for a lagging lab.
// What it must not do again is publish: alerts are published in transactions that also commit,
// in the offset metadata of the group `<prefix>forum.distillwatch.forum.sent` (forumIdsOf), the window through which
// the forum has scored (the ledger). A restart reads the ledger and publishes no alert of a
// window at or before it. So forum alerts are exactly-once across restarts and crashes (an
// aborted transaction takes its ledger entry with it; a second forum instance fences the first),
// and each lab's bridge still delivers an alert id once. Dead letters are at-least-once: an
// unreadable record is dead-lettered again after a restart. It never holds a key, and never
// sees an account id.
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaMessage, Message, Producer } from '@distillwatch/platform/kafka';
import { encodeDeadLetter } from '@distillwatch/platform/dlq';
import { FEATURE_NAMES, Forum, labsOf, type DetectorConfig, type ForumOptions } from '@distillwatch/core';
import { PRODUCER_RETRY, type RunningService } from '../context.ts';
import { SerialLock, inTransaction } from '../consumerService.ts';
import type { Logger } from '../log.ts';
import type { MetricHandle, Metrics } from '../metrics.ts';
import METRIC_CATALOG from '../metricCatalog.json' with { type: 'json' };
import { keepConsuming } from '../keepConsuming.ts';
import { partitionCount } from '../topology.ts';
import { FORUM_DLQ_TOPIC, KIND_HEADER, forumTopicsOf, parseForumMessage, parseForumVerdict, type ProgressMarker } from './forumWire.ts';
import { forumReplyMessages } from './forumReplies.ts';

/**
 * The forum's ids on its cluster, under the run's prefix (DISTILLWATCH_TOPIC_PREFIX, empty by
 * default), as every consumer group and transactional id of the project: one forum per prefix at a
 * time (a new one fences the old, and reads the ledger the old one wrote), and forums of two
 * prefixes side by side on one cluster neither fence each other nor read each other's ledger.
 */
export function forumIdsOf(prefix: string): { transactionalId: string; ledgerGroup: string; readerGroupPrefix: string } {
  const base = `${prefix}forum.distillwatch.forum`;
  // The ledger group's committed offset carries, in its metadata, the window through which alerts are published.
  return { transactionalId: base, ledgerGroup: `${base}.sent`, readerGroupPrefix: `${base}.` };
}

/** What a topic the forum reads is: which lab's, records or verdicts. */
interface TopicRole { lab: string; kind: 'records' | 'verdicts' }

export interface ForumServiceOptions {
  kafka: Kafka;
  admin: Admin;
  log: Logger;
  metrics: Metrics;
  detector: DetectorConfig;
  /** Every lab of the federation. */
  labs: readonly string[];
  /** The run's prefix of the forum's transactional id and groups (forumIdsOf); the topics keep their names. */
  idPrefix: string;
  forum: Partial<ForumOptions>;
  sessionTimeoutMs: number;
}

/** Per lab and records partition, the latest marker read. */
class LabMarkers {
  readonly #byPartition: (ProgressMarker | null)[];
  constructor(partitions: number) { this.#byPartition = Array.from({ length: partitions }, () => null); }
  set(partition: number, marker: ProgressMarker): void { this.#byPartition[partition] = marker; }
  /** The lab's completeThrough (least over its partitions) and whether every partition says quiet. */
  get progress(): { completeThrough: number; caughtUp: boolean } {
    let through = Number.POSITIVE_INFINITY;
    for (const m of this.#byPartition) through = Math.min(through, m?.completeThrough ?? Number.NEGATIVE_INFINITY);
    return { completeThrough: through, caughtUp: this.#byPartition.every((m) => m?.caughtUp === true) };
  }
}

/** Starts the forum: read every lab's records topic, then publish what is due, also on a timer. */
export async function startForum(o: ForumServiceOptions): Promise<RunningService> {
  const service = await ForumService.open(o);
  await service.consume();
  service.startTimer();
  return service.running();
}

/** The forum's counters and gauges, one handle per `metricCatalog.json` entry. */
type ForumMetrics = Record<keyof typeof METRIC_CATALOG.forum, MetricHandle>;

/** The forum's state (the core Forum, each lab's markers, the read positions) and its steps. */
class ForumService {
  readonly #o: ForumServiceOptions;
  readonly #log: Logger;
  readonly #topicOf: Map<string, TopicRole>;
  readonly #m: ForumMetrics;
  readonly #forum: Forum;
  readonly #markers: Map<string, LabMarkers>;
  /** Read positions, and the end offsets when the forum started: nothing is scored before it has read them. */
  readonly #positions = new Map<string, number>();
  readonly #startEnds: Map<string, number>;
  readonly #producer: Producer;
  /** Partitions of each lab's alerts topic (a scored marker goes to each), and the last scoredThrough marked. */
  readonly #alertPartitions: Map<string, number>;
  #markedThrough = Number.NEGATIVE_INFINITY;
  readonly #consumer: Consumer;
  readonly #lock = new SerialLock();
  /** The ledger's topic-partition, and the window through which alerts are published (from the ledger at start). */
  readonly #ledger: { topic: string; partition: number };
  #publishedThrough: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopping = false;
  #fail: (err: Error) => void = () => undefined;
  readonly #failed = new Promise<never>((_, reject) => { this.#fail = reject; });

  private constructor(o: ForumServiceOptions, log: Logger, topicOf: Map<string, TopicRole>, forum: Forum, markers: Map<string, LabMarkers>, startEnds: Map<string, number>, producer: Producer, publishedThrough: number, alertPartitions: Map<string, number>) {
    this.#o = o;
    this.#log = log;
    this.#topicOf = topicOf;
    this.#m = o.metrics.declareAll(METRIC_CATALOG.forum);
    this.#forum = forum;
    this.#markers = markers;
    this.#startEnds = startEnds;
    this.#producer = producer;
    this.#ledger = { topic: forumTopicsOf([...o.labs].sort()[0]!).records, partition: 0 };
    this.#publishedThrough = publishedThrough;
    this.#alertPartitions = alertPartitions;
    this.#consumer = o.kafka.consumer({ groupId: `${forumIdsOf(o.idPrefix).readerGroupPrefix}${randomUUID()}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 100, sessionTimeout: o.sessionTimeoutMs });
    this.#failed.catch(() => undefined);
  }

  /** Learns each lab's records partitions, where every topic ended at start and the ledger, then connects the producer. */
  static async open(o: ForumServiceOptions): Promise<ForumService> {
    const log = o.log.child({ service: 'forum' });
    const topicOf = new Map<string, TopicRole>(o.labs.flatMap((lab) => [
      [forumTopicsOf(lab).records, { lab, kind: 'records' as const }], [forumTopicsOf(lab).verdicts, { lab, kind: 'verdicts' as const }]]));
    const forum = new Forum(o.detector, FEATURE_NAMES, o.forum);
    const markers = new Map<string, LabMarkers>();
    const startEnds = new Map<string, number>();
    for (const [topic, { lab, kind }] of topicOf) {
      for (const e of await o.admin.fetchTopicOffsets(topic)) startEnds.set(`${topic}/${e.partition}`, Number(e.high));
      if (kind === 'verdicts') continue;
      markers.set(lab, new LabMarkers(await partitionCount(o.admin, topic)));
      // A lab counts from the start: without markers, it is a lab with backlog.
      forum.progress(lab, Number.NEGATIVE_INFINITY, false);
    }
    const ids = forumIdsOf(o.idPrefix);
    const publishedThrough = await ledgerOf(o.admin, ids.ledgerGroup, forumTopicsOf([...o.labs].sort()[0]!).records);
    if (Number.isFinite(publishedThrough)) log.info('alerts already published through', { windowEnd: publishedThrough });
    const alertPartitions = new Map<string, number>();
    for (const lab of o.labs) alertPartitions.set(lab, await partitionCount(o.admin, forumTopicsOf(lab).alerts));
    const producer = o.kafka.producer({ transactionalId: ids.transactionalId, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: PRODUCER_RETRY });
    await producer.connect();
    return new ForumService(o, log, topicOf, forum, markers, startEnds, producer, publishedThrough, alertPartitions);
  }

  #caughtUpOnStart(): boolean {
    return [...this.#startEnds].every(([tp, end]) => (this.#positions.get(tp) ?? 0) >= end);
  }

  #deadLetter(reason: string, field: string | undefined, lab: string, message: KafkaMessage, partition: number) {
    return { key: message.key, value: encodeDeadLetter({ line: null, reason: `${lab}: ${reason}`, ...(field ? { field } : {}), raw: message.value?.toString('utf8').slice(0, 1000) ?? '', source: 'forum', partition, offset: Number(message.offset) }) };
  }

  /** Process step: a batch of one lab's records or verdicts topic into the core Forum, the unreadable and late to the dead letters. */
  async #read(topic: string, partition: number, messages: KafkaMessage[], next: number): Promise<void> {
    const { lab, kind } = this.#topicOf.get(topic)!;
    const letters: Message[] = [];
    for (const message of messages) {
      try {
        if (kind === 'verdicts') { this.#forum.addVerdict(parseForumVerdict(message.value, lab)); continue; }
        const msg = parseForumMessage(message.headers?.[KIND_HEADER]?.toString(), message.value, lab);
        if (msg.kind === 'progress') { this.#markers.get(lab)!.set(partition, msg.marker); continue; }
        this.#m.records();
        const late = this.#forum.accept(msg.record);
        if (late) { this.#m.late(1, { lab }); letters.push(this.#deadLetter('late', undefined, lab, message, partition)); }
      } catch (err) {
        this.#m.rejected();
        letters.push(this.#deadLetter((err as Error).message, (err as { field?: string }).field, lab, message, partition));
      }
    }
    if (letters.length > 0) await inTransaction(this.#producer, (txn) => txn.send({ topic: FORUM_DLQ_TOPIC, acks: -1, messages: letters }));
    if (kind === 'records') {
      const p = this.#markers.get(lab)!.progress;
      this.#forum.progress(lab, p.completeThrough, p.caughtUp);
    }
    this.#positions.set(`${topic}/${partition}`, next);
  }

  /**
   * Publish step: what the forum scored since the last one, to each lab's alerts topic
   * (forumReplies.ts): its alerts across labs, each lab's confirmations, then how far it has
   * scored, which is what lets a lab's bridge release the local alerts waiting in its gate.
   */
  async #publish(): Promise<void> {
    const alerts = this.#forum.release();
    const confirmations = this.#forum.takeConfirmations();
    const through = this.#forum.scoredThrough;
    // A restart scores again what it published before: the ledger says how far (the bridge's
    // LabFeed also ignores repeats, but the forum sends none it knows it sent).
    const fresh = alerts.filter((a) => a.window_end > this.#publishedThrough);
    if (fresh.length < alerts.length) this.#log.info('alerts published before the restart, not sent again', { count: alerts.length - fresh.length });
    const freshConfirmations = confirmations.filter((c) => c.window_end > this.#publishedThrough);
    const marked = through > this.#markedThrough ? through : null;
    const byTopic = forumReplyMessages(fresh, freshConfirmations, marked, this.#alertPartitions, labsOf);
    if (byTopic.size === 0) return;
    const { topic, partition } = this.#ledger;
    const ledgerMoves = through > this.#publishedThrough;
    const entry = { partition, offset: String(this.#positions.get(`${topic}/${partition}`) ?? 0), metadata: String(through) };
    await inTransaction(this.#producer, async (txn) => {
      await txn.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([t, messages]) => ({ topic: t, messages })) });
      if (ledgerMoves) await txn.sendOffsets({ consumerGroupId: forumIdsOf(this.#o.idPrefix).ledgerGroup, topics: [{ topic, partitions: [entry] }] });
    });
    if (ledgerMoves) this.#publishedThrough = through;
    if (marked !== null) this.#markedThrough = marked;
    this.#m.alerts(fresh.reduce((n, a) => n + labsOf(a).length, 0));
  }

  /** Consumes every records and verdicts topic from the beginning: read, then publish once caught up with the start. */
  async consume(): Promise<void> {
    const consumer = this.#consumer;
    await keepConsuming(consumer, async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.#topicOf.keys()], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => this.#lock.run(async () => {
          await this.#read(batch.topic, batch.partition, batch.messages, Number(batch.lastOffset()) + 1);
          if (!this.#caughtUpOnStart()) return;
          await this.#publish();
          if (Number.isFinite(this.#forum.readyThrough)) this.#m.readyThrough(this.#forum.readyThrough);
        }),
      });
    }, { log: this.#log, stopping: () => this.#stopping, fail: (err) => this.#fail(err) });
  }

  /** Timer step: a topic that was empty at start never delivers a batch; the first release may be due without one. */
  startTimer(): void {
    // One tick at a time: ticks queued on the lock faster than they run would hold the batches back.
    let pending = false;
    this.#timer = setInterval(() => {
      if (pending || !this.#caughtUpOnStart()) return;
      pending = true;
      void this.#lock.run(async () => this.#publish())
        .catch((err) => this.#log.warn('publishing forum alerts failed', { error: err })).finally(() => { pending = false; });
    }, 500);
    this.#log.info('forum started', { labs: this.#o.labs, maxLabLagMs: this.#forum.options.maxLabLagMs });
  }

  running(): RunningService {
    const forum = this.#forum;
    return {
      name: 'forum',
      failed: this.#failed,
      detail: () => ({ labs: this.#o.labs, scoredThrough: Number.isFinite(forum.readyThrough) ? forum.readyThrough : null, ...forum.counters }),
      stop: () => this.#stop(),
    };
  }

  /** Drains: leaves the group, waits for the step in progress, then releases the producer. */
  async #stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    await this.#consumer.disconnect().catch((err) => this.#log.warn('consumer disconnect failed', { error: err }));
    await this.#lock.run(async () => undefined);
    await this.#producer.disconnect().catch(() => undefined);
    this.#log.info('forum stopped', { ...this.#forum.counters });
  }
}

/** The ledger: the window through which a forum published its alerts, from the metadata of its group's committed offset. */
async function ledgerOf(admin: Admin, ledgerGroup: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId: ledgerGroup, topics: [topic] });
  const metadata = offsets?.partitions.find((p) => p.partition === 0)?.metadata;
  const through = metadata == null || metadata === '' ? Number.NaN : Number(metadata);
  return Number.isFinite(through) ? through : Number.NEGATIVE_INFINITY;
}
