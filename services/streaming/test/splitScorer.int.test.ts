// A split scorer gives the alerts of one scorer alone: the small scenario produced to the broker,
// `run all --split` (aggregator and owner) with two `run scorer-instance` processes sharing the
// accounts, one of which is killed and started again half-way, publishes exactly `detect`'s
// alerts (which `run all` with one scorer gives too: equivalence.int.test.ts), nothing more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationConfig } from '@distillwatch/platform/harness';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { ServiceProcess, alertsOnceComplete, cliEnv, lines, produceFile, readAlerts, scenarioFixture, step, waitFor, type ScenarioFixture } from './streamHarness.ts';

describe('distillwatch run scorer --split with scorer instances', () => {
  let config: PlatformConfig;
  let fixture: ScenarioFixture;

  beforeAll(async () => {
    config = await integrationConfig('split-scorer');
    fixture = await scenarioFixture('small', 7);
    await produceFile(config, fixture.events);
  }, 180_000);
  afterAll(async () => { await ServiceProcess.killAll(); });

  it('publishes exactly detect\'s alerts with two instances, one of them killed and restarted', async () => {
    expect(fixture.expected.length).toBeGreaterThan(20);
    const env = cliEnv(config);
    const owner = new ServiceProcess('run all --split', ['all', '--split', '--config', fixture.config], env);
    const first = new ServiceProcess('instance 1', ['scorer-instance', '--config', fixture.config], env);
    let second = new ServiceProcess('instance 2', ['scorer-instance', '--config', fixture.config], env);
    let alerts;
    try {
      await waitFor(async () => (await readAlerts(config)).length >= fixture.expected.length / 3, 150_000, 'a third of the alerts');
      step('killing instance 2');
      await second.kill();
      second = new ServiceProcess('instance 2 again', ['scorer-instance', '--config', fixture.config], env);
      alerts = await alertsOnceComplete(config, fixture.expected.length, 150_000);
    } finally {
      for (const p of [second, first, owner]) expect(await p.stop()).toBe(0);
    }
    expect(owner.stderr).toContain('"msg":"draining"');
    expect(first.stderr + second.stderr).toContain('"msg":"scorer instance assigned"');
    expect(lines(alerts)).toEqual(lines(fixture.expected));
  }, 400_000);
});
