// A broker restart mid-stream: a PRIVATE Kafka and registry (`distillwatch infra up` with its own
// state directory and free ports, as services/cli/test/infra.int.test.ts does, so the shared
// broker is never touched) are stopped and started again while the aggregator and scorer run.
// The services must ride it out (kafkajs reconnects; a failed transaction is aborted and the
// state restored from the changelog) and still publish exactly the alerts of an uninterrupted run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAINTEXT, type PlatformConfig } from '@distillwatch/platform/config';
import { freePort, freePortPair } from '@distillwatch/platform/harness';
import {
  CLI, ServiceProcess, alertsOnceComplete, cliEnv, lines, produceFile, scenarioFixture, splitEvents, step, type ScenarioFixture,
} from './streamHarness.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');




let stateDir = '';
let infraEnv: NodeJS.ProcessEnv = {};

function infra(command: 'up' | 'down'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'infra', command], { cwd: REPO, env: infraEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(); else reject(new Error(`infra ${command} exited ${code}: ${out.slice(-2000)}`));
    });
  });
}

describe('broker restart mid-stream (private broker and registry)', () => {
  let config: PlatformConfig;
  let fixture: ScenarioFixture;
  let parts: string[];

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'distillwatch-restart-'));
    const kafkaPort = await freePortPair();
    const registryPort = await freePort();
    config = {
      brokers: [`127.0.0.1:${kafkaPort}`], schemaRegistryUrl: `http://127.0.0.1:${registryPort}/apis/ccompat/v7`, topicPrefix: 'restart-test.',
      ...PLAINTEXT,
    };
    infraEnv = {
      ...process.env, KAFKA_BROKERS: config.brokers[0], SCHEMA_REGISTRY_URL: config.schemaRegistryUrl,
      DISTILLWATCH_INFRA_DIR: stateDir, DISTILLWATCH_TOPIC_PREFIX: config.topicPrefix,
    };
    fixture = await scenarioFixture('small', 17);
    parts = await splitEvents(fixture, 3);
    await infra('up');
  }, 300_000);

  afterAll(async () => {
    await ServiceProcess.killAll();
    if (stateDir) {
      await infra('down').catch(() => undefined);
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('rides out the restart and publishes the alerts of an uninterrupted run', async () => {
    const env = cliEnv(config);
    const aggregator = new ServiceProcess('aggregator', ['aggregator', '--config', fixture.config], env);
    const scorer = new ServiceProcess('scorer', ['scorer', '--config', fixture.config], env);
    await aggregator.logged('partitions assigned');
    await produceFile(config, parts[0]!);
    step('part 0 produced; stopping the broker and registry');
    await infra('down');
    step('infra down');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await infra('up');
    step('infra up again');
    await produceFile(config, parts[1]!);
    await produceFile(config, parts[2]!);
    step('all produced');
    try {
      const alerts = await alertsOnceComplete(config, fixture.expected.length, 240_000);
      expect(lines(alerts)).toEqual(lines(fixture.expected));
      // Neither service gave up: both are still running and drain cleanly.
      expect(await aggregator.stop()).toBe(0);
      expect(await scorer.stop()).toBe(0);
      for (const p of [aggregator, scorer]) {
        for (const line of p.stderr.split('\n').filter((l) => l.includes('still open after the drain'))) step(`${p.name}: ${line}`);
      }
    } catch (err) {
      process.stderr.write(`--- aggregator stderr (tail)\n${aggregator.stderr.slice(-6000)}\n--- scorer stderr (tail)\n${scorer.stderr.slice(-6000)}\n`);
      throw err;
    }
  }, 600_000);
});
