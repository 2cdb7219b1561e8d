// CPU time of each step a parse worker of `detect --threads N` takes per line, on this thread:
// `parseUsageEventLine`, `promptFactsOf` and the columnar encoding for the hand-off
// (`BatchEncoder`, with the worker's string table kept across batches as in the worker), in
// batches of 1,500 lines (about one 1 MB input chunk). For telling what the hand-off costs
// against the work it carries; the ratio encode/parse is steadier than the times on a busy
// machine. Never writes anything but its report.
//   node bench/parseWorkerSteps.ts FILE.ndjson [ROUNDS]
import { readFileSync } from 'node:fs';
import { parseUsageEventLine, promptFactsOf } from '../services/core/src/parsing.ts';
import { BatchEncoder, workerStrings } from '../services/cli/src/io/eventBatch.ts';

const BATCH_LINES = 1500;
const [file, rounds = '6'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: node bench/parseWorkerSteps.ts FILE.ndjson [ROUNDS]');
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');

/** CPU milliseconds of this thread since `from` (a `process.threadCpuUsage()`). */
function cpuMsSince(from: NodeJS.CpuUsage): number {
  const d = process.threadCpuUsage(from);
  return (d.user + d.system) / 1000;
}

for (let round = 1; round <= Number(rounds); round++) {
  let parseMs = 0, factsMs = 0, encodeMs = 0;
  const strings = workerStrings();
  for (let b = 0; b < lines.length; b += BATCH_LINES) {
    const batch = lines.slice(b, b + BATCH_LINES);
    let t = process.threadCpuUsage();
    const parsed = batch.map((l, i) => parseUsageEventLine(l, i + 1));
    parseMs += cpuMsSince(t);
    t = process.threadCpuUsage();
    const facts = parsed.map((p) => (p.kind === 'event' ? promptFactsOf(p.event) : null));
    factsMs += cpuMsSince(t);
    t = process.threadCpuUsage();
    const encoder = new BatchEncoder(batch.length, strings);
    for (let i = 0; i < batch.length; i++) encoder.add(parsed[i]!, facts[i]!);
    encoder.finish();
    encodeMs += cpuMsSince(t);
  }
  console.log(`round ${round}: ${lines.length} lines, parse ${parseMs.toFixed(0)} ms, facts ${factsMs.toFixed(0)} ms, encode ${encodeMs.toFixed(0)} ms, encode/parse ${(encodeMs / parseMs).toFixed(3)}`);
}
