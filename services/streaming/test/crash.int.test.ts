// No loss and no duplicates across crashes: the aggregator and the scorer run as separate
// processes while the simulated stream is produced in parts, and are killed with SIGKILL at
// seeded random moments and restarted. The alerts on the topic must be exactly those of an
// uninterrupted run (which equal `detect`'s, see equivalence.int.test.ts): no alert lost,
// none repeated, none changed.
//
// CI runs KILLS=3 kill points; `pnpm test:soak` (SOAK=1) runs 12. DISTILLWATCH_KILL_SEED picks
// another schedule; a failure prints the schedule it used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformConfig } from '@distillwatch/platform/config';
import {
  ServiceProcess, splitScenario, alertsOnceComplete, cliEnv, lines, produceFile, type ScenarioFixture,
} from './streamHarness.ts';

const SOAK = process.env.SOAK === '1';
const KILLS = SOAK ? 12 : 3;
const SEED = Number(process.env.DISTILLWATCH_KILL_SEED ?? 20261127);

/** mulberry32: a small seeded PRNG, so a kill schedule can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface KillPoint { part: number; victim: 'aggregator' | 'scorer'; afterMs: number }

function schedule(seed: number, kills: number, parts: number): KillPoint[] {
  const random = prng(seed);
  return Array.from({ length: kills }, (_, i) => ({
    part: Math.min(parts - 1, Math.floor((i * parts) / kills)),
    victim: random() < 0.5 ? 'aggregator' as const : 'scorer' as const,
    afterMs: Math.floor(random() * 1500),
  }));
}

describe(`kill -9 at ${KILLS} seeded points (seed ${SEED})`, () => {
  let config: PlatformConfig;
  let fixture: ScenarioFixture;
  let parts: string[];

  beforeAll(async () => { ({ config, fixture, parts } = await splitScenario('stream-crash', 'small', 11, SOAK ? 6 : 3)); });
  afterAll(async () => { await ServiceProcess.killAll(); });

  it('publishes the alerts of an uninterrupted run, none lost, none repeated', async () => {
    const plan = schedule(SEED, KILLS, parts.length);
    const env = cliEnv(config);
    const start = (victim: KillPoint['victim']) => new ServiceProcess(victim, [victim, '--config', fixture.config], env);
    const running = { aggregator: start('aggregator'), scorer: start('scorer') };
    const log: string[] = [];
    const restored: string[] = [];
    try {
      for (let part = 0; part < parts.length; part++) {
        const producing = produceFile(config, parts[part]!);
        for (const kill of plan.filter((k) => k.part === part)) {
          // The delay counts from the moment the victim holds its state, so it dies while it works.
          const victim = running[kill.victim];
          await victim.logged(kill.victim === 'aggregator' ? 'partition restored' : 'scorer state restored');
          await new Promise((resolve) => setTimeout(resolve, kill.afterMs));
          await victim.kill();
          log.push(`part ${part}: killed ${kill.victim} after ${kill.afterMs} ms (${victim.stderr.split('\n').filter((l) => l.includes('"msg":"partition restored"') || l.includes('"msg":"scorer state restored"')).length} restores logged)`);
          restored.push(victim.stderr);
          running[kill.victim] = start(kill.victim);
        }
        await producing;
      }
      process.stderr.write(`kill schedule (seed ${SEED}):\n${log.join('\n')}\n`);
      const alerts = await alertsOnceComplete(config, fixture.expected.length, 180_000);
      expect(lines(alerts), `kill schedule (seed ${SEED}):\n${log.join('\n')}`).toEqual(lines(fixture.expected));
      expect(log).toHaveLength(KILLS);
      // The restarts did restore state written by the processes they replaced.
      const restores = [...restored, running.aggregator.stderr, running.scorer.stderr].join('\n');
      expect(restores).toMatch(/"msg":"partition restored".*"accounts":[1-9]/);
      expect(await running.aggregator.stop()).toBe(0);
      expect(await running.scorer.stop()).toBe(0);
    } catch (err) {
      process.stderr.write(`kill schedule (seed ${SEED}):\n${log.join('\n')}\n--- aggregator stderr (tail)\n${running.aggregator.stderr.slice(-4000)}\n--- scorer stderr (tail)\n${running.scorer.stderr.slice(-4000)}\n`);
      throw err;
    }
    // Three restarts that each wait for a restore, then up to 180 s for the alerts: more than the
    // integration project's 180 s default on a loaded machine.
  }, 600_000);
});
