// What the forum's integration tests share: the small scenario's forum records (the offline
// twin's lab nodes) under a run's own lab names, so the forum's fixed topic names
// (`forum.records.<lab>` ...) never collide on the shared broker; those topics; what the core
// Forum publishes over the records offline; a lab's bridge sending records and markers; and a
// reader of the alert ids the forum published to each lab.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FEATURE_NAMES, Federation, Forum, parseDetectorConfig, parseUsageEventLine, testFederationKeys,
  type DistillationAlert, type ForumRecord, type ForumVerdict,
} from '@distillwatch/core';
import type { Admin, Kafka, KafkaMessage, Producer } from '@distillwatch/platform/kafka';
import { ensureTopics } from '@distillwatch/platform/topics';
import { FORUM_DLQ_TOPIC, KIND_HEADER, forumTopicsOf, progressMessage, recordMessage } from '../../src/federation/forumWire.ts';
import { parseForumReply } from '../../src/federation/forumReplies.ts';
import { TEST_DETECTOR_CONFIG, cli } from '../streamHarness.ts';

// The streaming specs' settings: the small scenario's day then holds a dozen forum alerts.
export const DETECTOR = parseDetectorConfig(TEST_DETECTOR_CONFIG);

/** The records the small scenario's labs send the forum (the twin's lab nodes), each lab renamed by `labName`. */
export async function scenarioRecords(labName: (lab: string) => string): Promise<ForumRecord[]> {
  const events = join(mkdtempSync(join(tmpdir(), 'distillwatch-forum-')), 'events.ndjson');
  await cli(['simulate', '--scenario', 'small', '--seed', '7', '--out', events]);
  const federation = new Federation(DETECTOR, FEATURE_NAMES, testFederationKeys());
  const records: ForumRecord[] = [];
  federation.onForumRecord = (r) => records.push({ ...r, lab: labName(r.lab) });
  readFileSync(events, 'utf8').split('\n').forEach((line, i) => {
    const parsed = parseUsageEventLine(line, i + 1);
    if (parsed.kind === 'event') federation.pushEvent(parsed.event);
  });
  federation.flush();
  return records;
}

/** The forum cluster's topics of these labs, as `infra up --federation` makes them (records on 2 partitions here). */
export async function makeForumTopics(admin: Admin, labs: readonly string[]): Promise<void> {
  await ensureTopics(admin, [{ name: FORUM_DLQ_TOPIC, partitions: 1, configs: {} }, ...labs.flatMap((lab) => {
    const t = forumTopicsOf(lab);
    return [{ name: t.records, partitions: 2, configs: {} }, { name: t.alerts, partitions: 1, configs: {} }, { name: t.verdicts, partitions: 1, configs: {} }];
  })]);
}

/** What the core Forum publishes over all records, with the verdicts known from the start. */
export function offlineForumAlerts(labs: string[], records: readonly ForumRecord[], verdicts: readonly ForumVerdict[]): DistillationAlert[] {
  const forum = new Forum(DETECTOR, FEATURE_NAMES);
  for (const v of verdicts) forum.addVerdict(v);
  for (const r of records) forum.accept(r);
  for (const lab of labs) forum.progress(lab, Number.NEGATIVE_INFINITY, false);
  return forum.flush();
}

/** As each lab's bridge: the records of windows in (from, through], then a marker on both partitions. */
export async function sendRecords(producer: Producer, labs: readonly string[], records: readonly ForumRecord[], from: number, through: number): Promise<void> {
  for (const lab of labs) {
    const topic = forumTopicsOf(lab).records;
    const mine = records.filter((r) => r.lab === lab && r.we > from && r.we <= through);
    if (mine.length > 0) await producer.send({ topic, messages: mine.map(recordMessage) });
    const marker = { completeThrough: Number.isFinite(through) ? through : Math.max(...records.map((r) => r.we)), caughtUp: false };
    await producer.send({ topic, messages: [0, 1].map((p) => progressMessage(marker, p)) });
  }
}

/** Reads every lab's alerts topic from the beginning; `idsAt(lab)` lists the forum alerts received so far (not confirmations or markers). */
export async function readForumAlerts(kafka: Kafka, groupId: string, labs: readonly string[]) {
  const received = new Map<string, KafkaMessage[]>(labs.map((l) => [forumTopicsOf(l).alerts, []]));
  const reader = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topics: [...received.keys()], fromBeginning: true });
  await reader.run({ eachMessage: async ({ topic, message }) => { received.get(topic)!.push(message); } });
  const idsAt = (lab: string) => received.get(forumTopicsOf(lab).alerts)!
    .map((m) => parseForumReply(m.headers?.[KIND_HEADER]?.toString(), m.value, lab))
    .flatMap((r) => (r.kind === 'alert' ? [r.alert.alert_id] : []));
  return { idsAt, stop: () => reader.disconnect() };
}

/** Waits until `done` (at most 3 minutes), then 2 s more: anything sent twice would come with what was awaited. */
export async function until(done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 180_000; !done() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 250));
  await new Promise((r) => setTimeout(r, 2_000));
}
