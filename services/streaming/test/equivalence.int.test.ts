// Streaming equals offline, by construction and here by test: the simulated small scenario is
// produced to a six-partition usage topic, `distillwatch run all` processes it, and the alerts
// on distillation-alerts are exactly `detect`'s (same ids, same fields, nothing more) for every
// window the stream has closed, and the account-windows on account-features are `detect
// --features-out`'s (every one the stream closed, each with the same fields and features).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationConfig } from '@distillwatch/platform/harness';
import type { PlatformConfig } from '@distillwatch/platform/config';
import {
  ServiceProcess, alertsOfRestartedRunAll, alertsOnceComplete, byWindowAndAccount, cliEnv, lines, produceFile, scenarioFixture, streamedFeatures,
  type ScenarioFixture,
} from './streamHarness.ts';

describe('distillwatch run all (equivalence with detect)', () => {
  let config: PlatformConfig;
  let fixture: ScenarioFixture;

  beforeAll(async () => {
    config = await integrationConfig('stream-equivalence');
    fixture = await scenarioFixture('small', 7);
    await produceFile(config, fixture.events);
  });
  afterAll(async () => { await ServiceProcess.killAll(); });

  it('publishes exactly the alerts detect gives for every window the stream closed', async () => {
    expect(fixture.expected.length).toBeGreaterThan(20);
    const service = new ServiceProcess('run all', ['all', '--config', fixture.config], cliEnv(config));
    let alerts;
    try {
      alerts = await alertsOnceComplete(config, fixture.expected.length, 150_000);
    } finally {
      expect(await service.stop()).toBe(0);
    }
    expect(service.stderr).toContain('"msg":"draining"');
    expect(lines(alerts)).toEqual(lines(fixture.expected));
    // The one window the stream has not closed yet (its end is within the idle grace of the clock).
    expect(fixture.offline.length).toBeGreaterThan(fixture.expected.length);
  });

  it('publishes exactly the account-windows detect computes, for every window the stream closed', async () => {
    const streamed = await streamedFeatures(config);
    const offline = byWindowAndAccount(fixture.offlineFeatures);
    const closed = (r: { window_end: number }) => r.window_end <= fixture.closableThrough;
    expect(streamed.filter(closed).length).toBeGreaterThan(100);
    expect(streamed.filter(closed)).toEqual(offline.filter(closed));
    // Windows past the stream's idle grace closed by their own account's clock are the offline ones too.
    const offlineByKey = new Map(offline.map((r) => [`${r.window_end}|${r.lab}|${r.account_id}`, r]));
    for (const r of streamed.filter((x) => !closed(x))) expect(r).toEqual(offlineByKey.get(`${r.window_end}|${r.lab}|${r.account_id}`));
  });

  it('picks up where it stopped: a restart adds nothing and repeats nothing', async () => {
    const alerts = await alertsOfRestartedRunAll(config, fixture, 'run all again', 60_000);
    expect(lines(alerts)).toEqual(lines(fixture.expected));
  });
});
