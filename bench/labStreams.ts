// Drives several labs' producers from one process, on a schedule: when each line of the input
// is due, in ms from the start. `interleaved` is how concurrent labs run: one paced pass over
// the lines of all labs in their order of arrival, so every lab's event time moves with the
// others' whatever each lab's share of the traffic in each hour. `per-lab` paces each lab alone
// at its share of the whole input (what the federation bench did before): a lab whose traffic
// peaks early then falls hours of event time behind the others. It never parses a line and
// never changes the order of one lab's lines.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** One input line and the lab whose producer it goes to. */
export interface LabLine { lab: string; line: string }

export type Pacing = 'interleaved' | 'per-lab';

/** The writer wakes this often: the producers see a steady flow, not bursts. */
const STEP_MS = 20;

/** When each of `lines` is due, ms after the start, at `rate` lines per second in all. */
export function dueTimes(lines: readonly LabLine[], rate: number, pacing: Pacing): number[] {
  if (pacing === 'interleaved') return lines.map((_, i) => (i * 1000) / rate);
  const counts = new Map<string, number>();
  for (const { lab } of lines) counts.set(lab, (counts.get(lab) ?? 0) + 1);
  const seen = new Map<string, number>();
  return lines.map(({ lab }) => {
    const k = seen.get(lab) ?? 0;
    seen.set(lab, k + 1);
    const share = (rate * counts.get(lab)!) / lines.length;
    return (k * 1000) / share;
  });
}

/**
 * Writes each line when it is due to the stdin of its lab's producer (`produce --input -`),
 * then closes every stdin and waits until each producer has exited 0. Returns when each line
 * was written (epoch ms). A producer that cannot keep up holds the stream back (its pipe's
 * backpressure), as a slow broker holds back a live lab's producer.
 */
export async function streamOnSchedule(lines: readonly LabLine[], due: readonly number[], producers: ReadonlyMap<string, ChildProcess>): Promise<number[]> {
  const exits = [...producers].map(async ([lab, child]) => {
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`produce for ${lab} exited ${code}`);
  });
  // A producer that fails ends the run (its pipe would never drain again).
  const failed = Promise.all(exits).then(() => { throw new Error('a producer exited before its input ended'); });
  failed.catch(() => undefined);
  const order = lines.map((_, i) => i).sort((a, b) => due[a]! - due[b]! || a - b);
  const written = new Array<number>(lines.length).fill(Number.NaN);
  const start = performance.now();
  for (let next = 0; next < order.length;) {
    const elapsed = performance.now() - start;
    for (; next < order.length && due[order[next]!]! <= elapsed; next++) {
      const i = order[next]!;
      const stdin = producers.get(lines[i]!.lab)?.stdin;
      if (!stdin) throw new Error(`no producer for lab ${lines[i]!.lab}`);
      written[i] = Date.now();
      if (!stdin.write(`${lines[i]!.line}\n`)) await Promise.race([once(stdin, 'drain'), failed]);
    }
    await new Promise((resolve) => setTimeout(resolve, STEP_MS));
  }
  for (const child of producers.values()) child.stdin!.end();
  await Promise.all(exits);
  return written;
}
