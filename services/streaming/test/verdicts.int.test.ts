// Verdicts in the stream: on-call verdicts on alert-verdicts reach the scorer before it scores
// the windows after their verdict_time, and the alerts on distillation-alerts are then exactly
// what `detect --verdicts` gives over the same events (same ids, same fields, nothing more).
// The verdicts and the events are all on their topics before the services start: the scorer
// must read the verdicts first although Kafka hands it its three inputs in no set order.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlertVerdict, DistillationAlert } from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { integrationConfig } from '@distillwatch/platform/harness';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { distillwatchTopics, ensureTopics } from '@distillwatch/platform/topics';
import { ServiceProcess, alertsOnceComplete, cli, cliEnv, lines, produceFile, scenarioFixture } from './streamHarness.ts';

/** Publishes verdicts as `distillwatch verdict` does: Avro, key subject_id, timestamp verdict_time. */
async function publishVerdicts(config: PlatformConfig, verdicts: readonly AlertVerdict[]): Promise<void> {
  const topic = prefixed(config, 'alert-verdicts');
  const codec = await AvroCodec.forTopic<AlertVerdict>(createRegistryClient(config), topic, await readSchemaFile('alert-verdict.avsc'));
  const kafka = kafkaClient(config, { clientId: 'verdicts-test' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, distillwatchTopics(config));
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: verdicts.map((v) => ({ key: v.subject_id, value: codec.encode(v), timestamp: String(v.verdict_time) })) });
  await producer.disconnect();
}

afterAll(async () => { await ServiceProcess.killAll(); });

describe('distillwatch run all with verdicts (equivalence with detect --verdicts)', () => {
  it('publishes exactly the alerts detect --verdicts gives, for verdicts read before their windows', async () => {
    const config = await integrationConfig('stream-verdicts');
    const fixture = await scenarioFixture('small', 7);
    // The analyst judges the first six alerts half an hour after each window ends, alternating.
    const verdicts: AlertVerdict[] = fixture.offline.slice(0, 6).map((a: DistillationAlert, i) => ({
      verdict_time: a.window_end + 30 * 60_000, alert_id: a.alert_id, subject_id: a.subject_id, accounts: a.accounts,
      verdict: i % 2 === 0 ? 'benign' : 'distillation', analyst: 'test', note: null, expires_at: null,
    }));
    const verdictsFile = join(fixture.dir, 'verdicts.ndjson');
    writeFileSync(verdictsFile, verdicts.map((v) => JSON.stringify(v)).join('\n') + '\n');
    const offlineFile = join(fixture.dir, 'offline-verdicts.ndjson');
    await cli(['detect', '--input', fixture.events, '--output', offlineFile, '--config', fixture.config, '--verdicts', verdictsFile]);
    const { readFileSync } = await import('node:fs');
    const offline = readFileSync(offlineFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as DistillationAlert);
    const expected = offline.filter((a) => a.window_end <= fixture.closableThrough);
    // The verdicts change what pages: the comparison below is not the plain equivalence again.
    expect(lines(expected)).not.toEqual(lines(fixture.expected));

    await publishVerdicts(config, verdicts);
    await produceFile(config, fixture.events);
    const service = new ServiceProcess('run all', ['all', '--config', fixture.config], cliEnv(config));
    let alerts;
    try {
      alerts = await alertsOnceComplete(config, expected.length, 300_000);
    } finally {
      expect(await service.stop()).toBe(0);
    }
    expect(lines(alerts)).toEqual(lines(expected));
  }, 600_000);
});
