// What `detect` holds at each step of an hour's close, on a burst of new accounts (each 1 to 5
// short events within one hour, bench/scaleTraffic.ts): `node --expose-gc bench/closeMemory.ts
// FILE` pushes the file's lines through a Detector, then closes every window, queues the
// records and scores the hour, and prints the live heap and array buffers (after two full
// collections) at each step as one JSON object of MB; the scorer's steps are timed by wrapping
// `WindowScorer.linkWindow` and `finishWindow`. `peak_rss_bytes` is the process's, forced
// collections included, so lower than `detect`'s on the same file.
import { readFileSync } from 'node:fs';
import { Detector, WindowScorer } from '../services/core/src/index.ts';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: node --expose-gc bench/closeMemory.ts FILE');
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const steps: Record<string, { heap_mb: number; array_buffers_mb: number }> = {};

function measure(step: string): void {
  gc!();
  gc!();
  const m = process.memoryUsage();
  steps[step] = { heap_mb: Math.round(m.heapUsed / 1e6), array_buffers_mb: Math.round(m.arrayBuffers / 1e6) };
}

type Method = (...args: unknown[]) => unknown;
const scorer = WindowScorer.prototype as unknown as Record<'linkWindow' | 'finishWindow', Method>;
for (const name of ['linkWindow', 'finishWindow'] as const) {
  const method = scorer[name];
  scorer[name] = function (this: unknown, ...args: unknown[]) {
    const result = method.apply(this, args);
    measure(`${name} done`);
    return result;
  };
}

// The lines are read in a function of their own, so their text is garbage before the first step.
function pushAll(detector: Detector): void {
  const lines = readFileSync(file!, 'utf8').trimEnd().split('\n');
  for (let i = 0; i < lines.length; i++) detector.pushLine(lines[i]!, i + 1);
}

const detector = new Detector();
measure('start');
pushAll(detector);
measure('all pushed');
const accounts = detector.activeAccounts;
let records = detector.intake.flush();
measure('records made');
for (const r of records) detector.scoring.add(r);
records = [];
measure('records queued');
detector.scoring.scoreThrough(Number.POSITIVE_INFINITY);
measure('hour scored');
console.log(JSON.stringify({ accounts, steps, peak_rss_bytes: process.resourceUsage().maxRSS * 1024 }, null, 1));
