// Two forums on one cluster, on the real broker: each run's prefix (DISTILLWATCH_TOPIC_PREFIX)
// prefixes the forum's transactional id and its ledger group (forumIdsOf), so two runs side by
// side neither fence each other nor read each other's ledger. Each forum serves its own labs
// (their topics named per run, as forumRestart.int.test.ts does), and both publish every alert
// the core Forum publishes offline while their transactions interleave.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { labsOf } from '@distillwatch/core';
import { integrationConfig } from '@distillwatch/platform/harness';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { forumIdsOf, startForum } from '../../src/federation/forumService.ts';
import { forumTopicsOf } from '../../src/federation/forumWire.ts';
import { Logger } from '../../src/log.ts';
import { Metrics } from '../../src/metrics.ts';
import type { RunningService } from '../../src/context.ts';
import { DETECTOR, makeForumTopics, offlineForumAlerts, readForumAlerts, scenarioRecords, sendRecords, until } from './forumHarness.ts';

/** The records go out lab after lab, the whole day at once: the forum must wait for every lab, not drop the slower ones' records as late. */
const REPLAY_LAG_BOUND_MS = 8 * 86_400_000;

const services: RunningService[] = [];
afterAll(async () => { for (const s of services) await s.stop(); });

describe('run forum: two runs on one cluster', () => {
  it('publishes every alert of each run while both run, neither fenced, each with a ledger of its own', async () => {
    const [configA, configB] = [await integrationConfig('forum-side-a'), await integrationConfig('forum-side-b')];
    expect(forumIdsOf(configA.topicPrefix).transactionalId).not.toBe(forumIdsOf(configB.topicPrefix).transactionalId);
    const kafka = kafkaClient(configA, { clientId: 'forum-side-by-side-test' });
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    await producer.connect();
    const runs = await Promise.all([configA, configB].map(async (config) => {
      const tag = randomBytes(3).toString('hex');
      const records = await scenarioRecords((lab) => `s${tag}-${lab}`);
      const labs = [...new Set(records.map((r) => r.lab))].sort();
      await makeForumTopics(admin, labs);
      const expected = offlineForumAlerts(labs, records, []);
      const reader = await readForumAlerts(kafka, `${config.topicPrefix}reader`, labs);
      return { config, records, labs, expected, reader };
    }));
    // Both forums up before any record, so their transactions interleave.
    for (const { config, labs } of runs) {
      services.push(await startForum({ kafka, admin, log: new Logger('warn'), metrics: new Metrics(), detector: DETECTOR, labs, idPrefix: config.topicPrefix, forum: { maxLabLagMs: REPLAY_LAG_BOUND_MS }, sessionTimeoutMs: 30_000 }));
    }
    await Promise.all(runs.map(({ labs, records }) => sendRecords(producer, labs, records, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)));

    const expectedAt = (run: (typeof runs)[number], lab: string) => run.expected.filter((a) => labsOf(a).includes(lab)).map((a) => a.alert_id);
    await until(() => runs.every((r) => r.labs.every((l) => r.reader.idsAt(l).length >= expectedAt(r, l).length)));
    for (const r of runs) {
      expect(r.expected.length).toBeGreaterThan(5);
      for (const lab of r.labs) expect(r.reader.idsAt(lab)).toEqual(expectedAt(r, lab));
    }
    // Neither forum was fenced by the other (a fenced forum fails its service).
    const outcome = await Promise.race([...services.map((s) => s.failed.then(() => 'failed', (err: Error) => `failed: ${err.message}`)), new Promise((r) => setTimeout(() => r('running'), 1_000))]);
    expect(outcome).toBe('running');
    // Each run's ledger, in its own group, says how far that forum published.
    for (const r of runs) {
      const [offsets] = await admin.fetchOffsets({ groupId: forumIdsOf(r.config.topicPrefix).ledgerGroup, topics: [forumTopicsOf(r.labs[0]!).records] });
      expect(Number(offsets!.partitions.find((p) => p.partition === 0)!.metadata)).toBe(Math.max(...r.records.map((rec) => rec.we)));
    }
    for (const r of runs) await r.reader.stop();
    await producer.disconnect();
    await admin.disconnect();
  }, 600_000);
});
