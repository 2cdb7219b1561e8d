import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildPopulation, scenarioByName, Simulation } from '../src/index.ts';

// A real garbage collection before each heap reading, so the readings measure what is live.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function liveHeapBytes(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

describe('simulate: streaming', () => {
  it('keeps live memory flat while the output grows (a counting sink)', () => {
    const sim = new Simulation(buildPopulation(scenarioByName('small')!, { seed: 3, days: 4 }));
    const readings: number[] = [];
    let events = 0;
    let bytes = 0;
    for (const event of sim.events()) {
      bytes += JSON.stringify(event).length + 1;
      if (++events % 50_000 === 0) readings.push(liveHeapBytes());
    }
    expect(events).toBeGreaterThan(200_000);
    expect(bytes).toBeGreaterThan(100_000_000);
    // Several times more output after the first reading, but live memory within a few MB.
    const growth = readings.at(-1)! - readings[0]!;
    expect(readings.length).toBeGreaterThanOrEqual(4);
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  });
});
