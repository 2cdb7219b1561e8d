// The scorer restores a state written in the version 1 layout (pending account-windows inside
// the `state` value) and carries on: the first part of the stream is processed, its state is
// rewritten as version 1 (pending records and positions folded back into `state`, their keys
// deleted), then
// the rest is processed by a new process, and the alerts are exactly `detect`'s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFeatures } from '@distillwatch/core';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { createRegistryClient } from '@distillwatch/platform/registry';
import {
  ServiceProcess, splitScenario, alertsOfRestartedRunAll, cliEnv, lines, produceFile, readTopicToEnd, waitFor, type ScenarioFixture,
} from './streamHarness.ts';

/** The latest committed `state` value of the scorer, parsed (null: none yet). */
async function committedState(config: PlatformConfig): Promise<Record<string, unknown> | null> {
  const state = (await readTopicToEnd(config, `${config.topicPrefix}distillwatch.scorer.state`)).filter((m) => m.key?.toString('utf8') === 'state').at(-1);
  return state?.value ? JSON.parse(state.value.toString('utf8')) as Record<string, unknown> : null;
}

/** Rewrites the scorer's state changelog in the version 1 layout; returns how many records were pending. */
async function rewriteAsVersion1(config: PlatformConfig): Promise<number> {
  const topic = `${config.topicPrefix}distillwatch.scorer.state`;
  const table = new Map<string, Buffer | null>();
  for (const m of await readTopicToEnd(config, topic)) table.set(m.key!.toString('utf8'), m.value);
  const codec = await AvroCodec.forTopic<AccountFeatures>(createRegistryClient(config), `${config.topicPrefix}account-features`, await readSchemaFile('account-features.avsc'));
  const pendingKeys = [...table].filter(([key, value]) => key.startsWith('pending/') && value !== null).map(([key]) => key);
  const pending = await Promise.all(pendingKeys.map((key) => codec.decode(table.get(key)!)));
  const doc = JSON.parse(table.get('state')!.toString('utf8')) as Record<string, unknown>;
  expect(doc.version).toBe(3);
  // Versions 1 and 2 held the positions inside `state`.
  const { version: _, ...positions } = JSON.parse(table.get('positions')!.toString('utf8')) as Record<string, unknown>;
  const producer = kafkaClient(config, { clientId: 'distillwatch-test-v1-writer' }).producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: [
        ...pendingKeys.map((key) => ({ key, value: null, partition: 0 })),
        { key: 'positions', value: null, partition: 0 },
        { key: 'state', value: Buffer.from(JSON.stringify({ ...doc, ...positions, version: 1, pending }), 'utf8'), partition: 0 },
      ],
    });
  } finally {
    await producer.disconnect();
  }
  return pending.length;
}

describe('scorer state written by the version 1 layout', () => {
  let config: PlatformConfig;
  let fixture: ScenarioFixture;
  let parts: string[];

  beforeAll(async () => { ({ config, fixture, parts } = await splitScenario('stream-scorer-v1', 'small', 7, 2)); });
  afterAll(async () => { await ServiceProcess.killAll(); });

  it('is restored, pending windows included, and the alerts are those of detect', async () => {
    await produceFile(config, parts[0]!);
    const first = new ServiceProcess('run all (part 1)', ['all', '--config', fixture.config], cliEnv(config));
    // Wait until windows of the first part are scored (its last ones stay pending).
    await waitFor(async () => (await committedState(config))?.scoredThrough != null, 120_000, 'a scored window');
    expect(await first.stop()).toBe(0);
    expect(await rewriteAsVersion1(config)).toBeGreaterThan(0);

    await produceFile(config, parts[1]!);
    const alerts = await alertsOfRestartedRunAll(config, fixture, 'run all (part 2)', 150_000);
    expect(lines(alerts)).toEqual(lines(fixture.expected));
  });
});
