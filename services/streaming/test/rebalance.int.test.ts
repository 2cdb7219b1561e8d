// Scaling out and in: three aggregator instances join and leave the consumer group while the
// stream is produced (one drains with SIGTERM, one is killed with SIGKILL, one comes back), with
// one scorer. Partitions move with their state (fence, restore from the changelog), so the
// alerts are exactly those of a single uninterrupted instance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformConfig } from '@distillwatch/platform/config';
import {
  ServiceProcess, splitScenario, alertsOnceComplete, step, cliEnv, lines, produceFile, waitFor, type ScenarioFixture,
} from './streamHarness.ts';

describe('three aggregator instances joining and leaving mid-stream', () => {
  let config: PlatformConfig;
  let fixture: ScenarioFixture;
  let parts: string[];

  beforeAll(async () => { ({ config, fixture, parts } = await splitScenario('stream-rebalance', 'small', 13, 5)); });
  afterAll(async () => { await ServiceProcess.killAll(); });

  it('moves partitions with their state and publishes the alerts of an uninterrupted run', async () => {
    const env = (id: string) => cliEnv(config, { DISTILLWATCH_INSTANCE_ID: id });
    const aggregator = (id: string) => new ServiceProcess(id, ['aggregator', '--config', fixture.config], env(id));
    const scorer = new ServiceProcess('scorer', ['scorer', '--config', fixture.config], env('scorer'));
    const a = aggregator('agg-a');
    await a.logged('partitions assigned');
    step('agg-a joined');
    await produceFile(config, parts[0]!);

    const b = aggregator('agg-b');
    await b.logged('partitions assigned');
    step('agg-b joined');
    await produceFile(config, parts[1]!);

    const c = aggregator('agg-c');
    await c.logged('partitions assigned');
    step('agg-c joined');
    await produceFile(config, parts[2]!);

    expect(await a.stop()).toBe(0);
    step('agg-a drained and left');
    await produceFile(config, parts[3]!);

    await b.kill();
    step('agg-b killed');
    const a2 = aggregator('agg-a2');
    await produceFile(config, parts[4]!);
    step('all produced');

    const alerts = await alertsOnceComplete(config, fixture.expected.length, 180_000);
    expect(lines(alerts)).toEqual(lines(fixture.expected));
    // Every instance took part: each owned partitions at some point, and restored some.
    for (const p of [a, b, c]) expect(p.stderr).toMatch(/"msg":"partitions assigned","partitions":\[\d/);
    await waitFor(() => a2.stderr.includes('"msg":"partition restored"'), 30_000, 'agg-a2 to restore a partition');
    expect(await c.stop()).toBe(0);
    expect(await a2.stop()).toBe(0);
    expect(await scorer.stop()).toBe(0);
  }, 300_000);
});
