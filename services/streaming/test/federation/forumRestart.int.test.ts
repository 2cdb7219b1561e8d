// The forum service across a restart, on the real broker: it reads every records and verdicts
// topic from the beginning and scores again, and yet publishes no alert twice (the ledger
// committed with each batch of alerts, forumService.ts), and publishes what it had not yet; a
// lab's verdict on a forum alert stops the forum paging that subject again, as the core Forum
// does offline. Labs get names of their own per run, so the forum's fixed topic names
// (`forum.records.<lab>` ...) never collide on the shared broker.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FEATURE_NAMES, Federation, Forum, labsOf, needsForum, parseDetectorConfig, parseUsageEventLine, testFederationKeys,
  type DistillationAlert, type ForumRecord, type ForumVerdict,
} from '@distillwatch/core';
import { integrationConfig } from '@distillwatch/platform/harness';
import { kafkaClient, type KafkaMessage } from '@distillwatch/platform/kafka';
import { ensureTopics } from '@distillwatch/platform/topics';
import { startForum } from '../../src/federation/forumService.ts';
import { FORUM_DLQ_TOPIC, KIND_HEADER, forumTopicsOf, progressMessage, recordMessage, verdictMessage } from '../../src/federation/forumWire.ts';
import { parseForumReply } from '../../src/federation/forumReplies.ts';
import { Logger } from '../../src/log.ts';
import { Metrics } from '../../src/metrics.ts';
import type { RunningService } from '../../src/context.ts';
import { TEST_DETECTOR_CONFIG, cli } from '../streamHarness.ts';

// The streaming specs' settings: the small scenario's day then holds a dozen forum alerts.
const DETECTOR = parseDetectorConfig(TEST_DETECTOR_CONFIG);
const run = randomBytes(3).toString('hex');
const labName = (lab: string) => `t${run}-${lab}`;

/** The records the small scenario's labs send the forum (the twin's lab nodes), under this run's lab names. */
async function scenarioRecords(): Promise<ForumRecord[]> {
  const events = join(mkdtempSync(join(tmpdir(), 'distillwatch-forum-restart-')), 'events.ndjson');
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

/** What the core Forum publishes over all records, with the verdicts known from the start. */
function offlineForumAlerts(labs: string[], records: readonly ForumRecord[], verdicts: readonly ForumVerdict[]): DistillationAlert[] {
  const forum = new Forum(DETECTOR, FEATURE_NAMES);
  for (const v of verdicts) forum.addVerdict(v);
  for (const r of records) forum.accept(r);
  for (const lab of labs) forum.progress(lab, Number.NEGATIVE_INFINITY, false);
  return forum.flush();
}

const services: RunningService[] = [];
afterAll(async () => { for (const s of services) await s.stop(); });

describe('run forum: a restart', () => {
  it('publishes every alert once: none again after the restart, the rest after it, and honours a verdict', async () => {
    const config = await integrationConfig('forum-restart');
    const kafka = kafkaClient(config, { clientId: 'forum-restart-test' });
    const admin = kafka.admin();
    await admin.connect();
    const records = await scenarioRecords();
    const labs = [...new Set(records.map((r) => r.lab))].sort();
    await ensureTopics(admin, [{ name: FORUM_DLQ_TOPIC, partitions: 1, configs: {} }, ...labs.flatMap((lab) => {
      const t = forumTopicsOf(lab);
      return [{ name: t.records, partitions: 2, configs: {} }, { name: t.alerts, partitions: 1, configs: {} }, { name: t.verdicts, partitions: 1, configs: {} }];
    })]);

    // The judged alert: the first across labs whose subject the forum pages again later.
    const plain = offlineForumAlerts(labs, records, []);
    const judged = plain.find((a) => plain.some((b) => b.subject_id === a.subject_id && b.window_end > a.window_end))!;
    expect(judged).toBeDefined();
    const verdict: ForumVerdict = { alert_id: judged.alert_id, lab: labsOf(judged)[0]!, verdict: 'benign', verdict_time: judged.window_end + 30 * 60_000 };
    const expected = offlineForumAlerts(labs, records, [verdict]);
    expect(expected.length).toBeLessThan(plain.length);
    expect(expected.every(needsForum)).toBe(true);

    const producer = kafka.producer();
    await producer.connect();
    const sendUpTo = async (from: number, through: number) => {
      for (const lab of labs) {
        const topic = forumTopicsOf(lab).records;
        const mine = records.filter((r) => r.lab === lab && r.we > from && r.we <= through);
        if (mine.length > 0) await producer.send({ topic, messages: mine.map(recordMessage) });
        const marker = { completeThrough: Number.isFinite(through) ? through : Math.max(...records.map((r) => r.we)), caughtUp: false };
        await producer.send({ topic, messages: [0, 1].map((p) => progressMessage(marker, p)) });
      }
    };
    const received = new Map<string, KafkaMessage[]>(labs.map((l) => [forumTopicsOf(l).alerts, []]));
    const reader = kafka.consumer({ groupId: `${config.topicPrefix}reader`, maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topics: [...received.keys()], fromBeginning: true });
    await reader.run({ eachMessage: async ({ topic, message }) => { received.get(topic)!.push(message); } });
    // Alerts only: the forum also sends each lab its confirmations and scored markers (forumReplies.ts).
    const idsAt = (lab: string) => received.get(forumTopicsOf(lab).alerts)!
      .map((m) => parseForumReply(m.headers?.[KIND_HEADER]?.toString(), m.value, lab))
      .flatMap((r) => (r.kind === 'alert' ? [r.alert.alert_id] : []));
    const expectedAt = (lab: string, through: number) => expected.filter((a) => a.window_end <= through && labsOf(a).includes(lab)).map((a) => a.alert_id);
    const until = async (done: () => boolean) => {
      for (const deadline = Date.now() + 180_000; !done() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 250));
      // Anything sent twice would have come with what was awaited; let stragglers show too.
      await new Promise((r) => setTimeout(r, 2_000));
    };
    const start = async () => {
      const service = await startForum({ kafka, admin, log: new Logger('warn'), metrics: new Metrics(), detector: DETECTOR, labs, forum: {}, sessionTimeoutMs: 30_000 });
      services.push(service);
      return service;
    };

    // Before the restart: the labs complete the judged alert's window, and the lab judges it.
    const half = judged.window_end;
    await sendUpTo(Number.NEGATIVE_INFINITY, half);
    const first = await start();
    await until(() => labs.every((l) => idsAt(l).length >= expectedAt(l, half).length));
    for (const lab of labs) expect(idsAt(lab)).toEqual(expectedAt(lab, half));
    await first.stop();
    services.splice(services.indexOf(first), 1);
    await producer.send({ topic: forumTopicsOf(verdict.lab).verdicts, messages: [verdictMessage(verdict)] });

    // After it: the rest of the day. The new forum reads everything again, and sends only what is new.
    await sendUpTo(half, Number.POSITIVE_INFINITY);
    await start();
    await until(() => labs.every((l) => idsAt(l).length >= expectedAt(l, Number.POSITIVE_INFINITY).length));
    for (const lab of labs) expect(idsAt(lab)).toEqual(expectedAt(lab, Number.POSITIVE_INFINITY));
    expect(labs.some((l) => idsAt(l).length > expectedAt(l, half).length)).toBe(true);
    const repeats = plain.filter((a) => a.subject_id === judged.subject_id && a.window_end > verdict.verdict_time);
    for (const a of repeats) for (const lab of labs) expect(idsAt(lab)).not.toContain(a.alert_id);

    await reader.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  }, 600_000);
});
