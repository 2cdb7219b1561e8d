// The forum service (`run forum`): the federation's central party, on the forum cluster.
//
//   forum.records.<lab> (every lab) ─► Forum (core: link, sum spend, score) ─► forum.alerts.<lab> (each lab involved)
//        progress markers ─► each lab's completeThrough: the least over its partitions  late/unreadable ─► forum.dlq
//
// A lab's completeness is the smallest completeThrough of the markers on its partitions (its
// bridge sends one to every partition after the records it covers). The core Forum decides
// when a window is scored: every lab completed it, a quiet lab follows the leading one, and a
// lab with backlog holds the forum at most the lag bound (DISTILLWATCH_FORUM_MAX_LAB_LAG_MS);
// its records for windows already scored are dead-lettered and counted. Every configured lab
// counts from the start, so a lab whose bridge is down is a lagging lab, never an absent one.
//
// State: none kept. At every start the forum reads every records topic from the beginning
// (they keep everything, and are small: about 2 % of the labs' usage bytes) and scores again;
// it scores nothing before it has read what the topics held when it started, so a restart does
// not mistake its own backlog for a lagging lab. Alerts are therefore at-least-once across a
// restart: the same alert comes again with the same alert_id (ids are deterministic), and each
// lab's bridge delivers an alert id once. It never holds a key, and never sees an account id.
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaMessage } from '@distillwatch/platform/kafka';
import { encodeDeadLetter } from '@distillwatch/platform/dlq';
import { FEATURE_NAMES, Forum, labsOf, type DetectorConfig, type DistillationAlert, type ForumOptions } from '@distillwatch/core';
import { PRODUCER_RETRY, type RunningService } from '../context.ts';
import { SerialLock } from '../consumerService.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { keepConsuming } from '../keepConsuming.ts';
import { partitionCount } from '../topology.ts';
import { FORUM_DLQ_TOPIC, KIND_HEADER, forumTopicsOf, parseForumMessage, type ProgressMarker } from './forumWire.ts';

export interface ForumServiceOptions {
  kafka: Kafka;
  admin: Admin;
  log: Logger;
  metrics: Metrics;
  detector: DetectorConfig;
  /** Every lab of the federation. */
  labs: readonly string[];
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

/**
 * Starts the forum. Its steps are closures over the forum's state (the core Forum, each lab's
 * markers, the read positions), as the scorer's are, so the function is long.
 */
export async function startForum(o: ForumServiceOptions): Promise<RunningService> {
  const log = o.log.child({ service: 'forum' });
  const topicOf = new Map(o.labs.map((lab) => [forumTopicsOf(lab).records, lab]));
  const m = {
    records: o.metrics.counter('distillwatch_forum_records_in_total', 'Forum records read'),
    late: o.metrics.counter('distillwatch_forum_late_total', 'Forum records for windows already scored (dead-lettered), per lab'),
    rejected: o.metrics.counter('distillwatch_forum_rejected_total', 'Messages that could not be read (dead-lettered)'),
    alerts: o.metrics.counter('distillwatch_forum_alerts_total', 'Forum alerts, counted once per lab that receives them'),
    readyThrough: o.metrics.gauge('distillwatch_forum_scored_through_ms', 'Every window ending at or before this is scored (epoch ms)'),
  };
  const forum = new Forum(o.detector, FEATURE_NAMES, o.forum);
  const markers = new Map<string, LabMarkers>();
  /** Read positions, and the end offsets when the forum started: nothing is scored before it has read them. */
  const positions = new Map<string, number>();
  const startEnds = new Map<string, number>();
  for (const [topic, lab] of topicOf) {
    markers.set(lab, new LabMarkers(await partitionCount(o.admin, topic)));
    for (const e of await o.admin.fetchTopicOffsets(topic)) startEnds.set(`${topic}/${e.partition}`, Number(e.high));
    // A lab counts from the start: without markers, it is a lab with backlog.
    forum.progress(lab, Number.NEGATIVE_INFINITY, false);
  }
  const producer = o.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: PRODUCER_RETRY });
  await producer.connect();
  const lock = new SerialLock();
  let stopping = false;
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => { fail = reject; });
  failed.catch(() => undefined);

  const caughtUpOnStart = () => [...startEnds].every(([tp, end]) => (positions.get(tp) ?? 0) >= end);

  function deadLetter(reason: string, field: string | undefined, lab: string, message: KafkaMessage, partition: number) {
    return { key: message.key, value: encodeDeadLetter({ line: null, reason: `${lab}: ${reason}`, ...(field ? { field } : {}), raw: message.value?.toString('utf8').slice(0, 1000) ?? '', source: 'forum', partition, offset: Number(message.offset) }) };
  }

  async function read(topic: string, partition: number, messages: KafkaMessage[], next: number): Promise<void> {
    const lab = topicOf.get(topic)!;
    const letters = [];
    for (const message of messages) {
      try {
        const msg = parseForumMessage(message.headers?.[KIND_HEADER]?.toString(), message.value, lab);
        if (msg.kind === 'progress') { markers.get(lab)!.set(partition, msg.marker); continue; }
        m.records();
        const late = forum.accept(msg.record);
        if (late) { m.late(1, { lab }); letters.push(deadLetter('late', undefined, lab, message, partition)); }
      } catch (err) {
        m.rejected();
        letters.push(deadLetter((err as Error).message, (err as { field?: string }).field, lab, message, partition));
      }
    }
    if (letters.length > 0) await producer.send({ topic: FORUM_DLQ_TOPIC, acks: -1, messages: letters });
    const p = markers.get(lab)!.progress;
    forum.progress(lab, p.completeThrough, p.caughtUp);
    positions.set(`${topic}/${partition}`, next);
  }

  /**
   * The forum alerts now due. The bridges show a lab's local alerts as its scorer raises them (the
   * twin's `--local-alerts immediate`), so nothing reads the forum's confirmations yet: they are
   * taken and dropped here, or the core Forum would keep them for as long as the service runs.
   */
  function released(): DistillationAlert[] {
    const alerts = forum.release();
    forum.takeConfirmations();
    return alerts;
  }

  async function publish(alerts: readonly DistillationAlert[]): Promise<void> {
    const messages = alerts.flatMap((a) => labsOf(a).map((lab) => ({ topic: forumTopicsOf(lab).alerts, key: a.subject_id, value: JSON.stringify(a) })));
    if (messages.length === 0) return;
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const { topic, ...msg } of messages) byTopic.set(topic, [...(byTopic.get(topic) ?? []), msg]);
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })) });
    m.alerts(messages.length);
  }

  const consumer: Consumer = o.kafka.consumer({ groupId: `forum.distillwatch.forum.${randomUUID()}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 100, sessionTimeout: o.sessionTimeoutMs });
  await keepConsuming(consumer, async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topicOf.keys()], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => lock.run(async () => {
        await read(batch.topic, batch.partition, batch.messages, Number(batch.lastOffset()) + 1);
        if (!caughtUpOnStart()) return;
        await publish(released());
        if (Number.isFinite(forum.readyThrough)) m.readyThrough(forum.readyThrough);
      }),
    });
  }, { log, stopping: () => stopping, fail });

  // A topic that was empty at start never delivers a batch; the first release may be due without one.
  const timer = setInterval(() => {
    if (!caughtUpOnStart()) return;
    void lock.run(async () => publish(released())).catch((err) => log.warn('publishing forum alerts failed', { error: err }));
  }, 500);

  log.info('forum started', { labs: o.labs, maxLabLagMs: forum.options.maxLabLagMs });
  return {
    name: 'forum',
    failed,
    detail: () => ({ labs: o.labs, scoredThrough: Number.isFinite(forum.readyThrough) ? forum.readyThrough : null, ...forum.counters }),
    async stop() {
      stopping = true;
      clearInterval(timer);
      await consumer.disconnect().catch((err) => log.warn('consumer disconnect failed', { error: err }));
      await lock.run(async () => undefined);
      await producer.disconnect().catch(() => undefined);
      log.info('forum stopped', { ...forum.counters });
    },
  };
}
