// The forum service across a restart, on the real broker: it reads every records and verdicts
// topic from the beginning and scores again, and yet publishes no alert twice (the ledger
// committed with each batch of alerts, forumService.ts), and publishes what it had not yet; a
// lab's verdict on a forum alert stops the forum paging that subject again, as the core Forum
// does offline. Labs get names of their own per run, so the forum's fixed topic names
// (`forum.records.<lab>` ...) never collide on the shared broker.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { labsOf, needsForum, type ForumVerdict } from '@distillwatch/core';
import { integrationConfig } from '@distillwatch/platform/harness';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { startForum } from '../../src/federation/forumService.ts';
import { forumTopicsOf, verdictMessage } from '../../src/federation/forumWire.ts';
import { Logger } from '../../src/log.ts';
import { Metrics } from '../../src/metrics.ts';
import type { RunningService } from '../../src/context.ts';
import { DETECTOR, makeForumTopics, offlineForumAlerts, readForumAlerts, scenarioRecords, sendRecords, until } from './forumHarness.ts';

const run = randomBytes(3).toString('hex');
const labName = (lab: string) => `t${run}-${lab}`;

const services: RunningService[] = [];
afterAll(async () => { for (const s of services) await s.stop(); });

describe('run forum: a restart', () => {
  it('publishes every alert once: none again after the restart, the rest after it, and honours a verdict', async () => {
    const config = await integrationConfig('forum-restart');
    const kafka = kafkaClient(config, { clientId: 'forum-restart-test' });
    const admin = kafka.admin();
    await admin.connect();
    const records = await scenarioRecords(labName);
    const labs = [...new Set(records.map((r) => r.lab))].sort();
    await makeForumTopics(admin, labs);

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
    const sendUpTo = (from: number, through: number) => sendRecords(producer, labs, records, from, through);
    const { idsAt, stop: stopReader } = await readForumAlerts(kafka, `${config.topicPrefix}reader`, labs);
    const expectedAt = (lab: string, through: number) => expected.filter((a) => a.window_end <= through && labsOf(a).includes(lab)).map((a) => a.alert_id);
    const start = async () => {
      const service = await startForum({ kafka, admin, log: new Logger('warn'), metrics: new Metrics(), detector: DETECTOR, labs, idPrefix: config.topicPrefix, forum: {}, sessionTimeoutMs: 30_000 });
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

    await stopReader();
    await producer.disconnect();
    await admin.disconnect();
  }, 600_000);
});
