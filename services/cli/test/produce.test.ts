// The parts of `distillwatch produce` that need no broker: flags, help and pacing (its lines
// are the CLI's shared ndjsonBatches, tested in ndjsonLines.test.ts).
// What lands on the topics is checked against the real broker in produce.int.test.ts.
import { describe, expect, it } from 'vitest';
import { produce } from '../src/commands/produce.ts';
import { Pacer } from '../src/produce/pacer.ts';
import { UserError } from '../src/errors.ts';

describe('produce flags', () => {
  it('documents every flag and connection variable in --help', () => {
    for (const word of ['--input', '--topic', '--rate', '.ndjson.gz', 'stdin', 'usage-events.dlq', 'KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'DISTILLWATCH_TOPIC_PREFIX']) {
      expect(produce.help).toContain(word);
    }
  });

  it('refuses to run without --input, and names a missing input file, before touching Kafka', async () => {
    await expect(produce.run([])).rejects.toThrow(new UserError('missing required flag --input'));
    await expect(produce.run(['--input', 'no/such/file.ndjson'])).rejects.toThrow(new UserError("cannot read input 'no/such/file.ndjson': no such file"));
  });

  it('refuses a --rate that is not a positive number', async () => {
    for (const rate of ['0', '-5', 'fast', '1e9x', '']) {
      await expect(produce.run(['--input', 'x.ndjson', `--rate=${rate}`])).rejects.toThrow(`--rate must be a positive number of events per second, got '${rate}'`);
    }
  });
});

describe('produce pacing', () => {
  /** A pacer on a fake clock that sleeps by moving the clock; returns the sleeps it asked for. */
  function fakePaced(rate: number, work: (clock: { now: number }) => void, ticks: number): Promise<{ sleeps: number[]; clock: { now: number } }> {
    const clock = { now: 1000 };
    const sleeps: number[] = [];
    const pacer = new Pacer(rate, () => clock.now, async (ms) => { sleeps.push(ms); clock.now += ms; });
    return (async () => {
      for (let i = 0; i < ticks; i++) {
        work(clock);
        await pacer.tick();
      }
      return { sleeps, clock };
    })();
  }

  it('holds the average rate, sleeping once per few milliseconds of schedule rather than per event', async () => {
    const { sleeps, clock } = await fakePaced(2000, (c) => { c.now += 0.01; }, 10_000);
    // 10,000 events at 2,000/s: the last is due 4,999.5 ms after the first, less the slack allowed.
    expect(clock.now - 1000).toBeGreaterThan(4999.5 - 5);
    expect(clock.now - 1000).toBeLessThanOrEqual(4999.5 + 0.1);
    expect(sleeps.length).toBeLessThan(1000);
    expect(Math.min(...sleeps)).toBeGreaterThan(5);
  });

  it('does not sleep while behind schedule, then paces again', async () => {
    let slow = 200;
    const { sleeps, clock } = await fakePaced(100, (c) => { c.now += slow > 0 ? 50 : 0; slow--; }, 400);
    // The first 200 events take 50 ms each (behind a 10 ms schedule): no sleep. The last 200 are
    // free: shipped without sleeping until the run is back on schedule, which it never is here.
    expect(sleeps).toEqual([]);
    expect(clock.now - 1000).toBe(200 * 50);
    const paced = await fakePaced(100, () => undefined, 400);
    expect(paced.clock.now - 1000).toBeCloseTo(3990, 6);
  });

  it('refuses a rate that is not positive and finite', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new Pacer(rate)).toThrow(RangeError);
  });
});
