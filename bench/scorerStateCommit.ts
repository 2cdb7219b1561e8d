// What a scorer commit that writes the whole scorer state costs on the main thread:
// `node bench/scorerStateCommit.ts --input events.ndjson [--every N]` runs the log through the
// core (intake, then scoring window by window, as `detect` does) and, every N scored windows
// (default 15), serialises the scorer state as a commit's `state` entry and gzips it (what the
// producer's compression does) ten times. Prints one JSON line per point: windows scored, the
// entry's bytes raw and gzipped, the CPU ms per commit (process.cpuUsage, so a loaded
// machine stretches it less than wall time), and the JSON bytes of its three largest parts. It only measures; nothing is written to Kafka.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Aggregator, DEFAULT_DETECTOR_CONFIG, EventIntake, ScoringStage, WindowScorer, parseUsageEventLine, scorerStateToJSON } from '../services/core/src/index.ts';

const { values } = parseArgs({ options: { input: { type: 'string' }, every: { type: 'string', default: '15' } } });
const every = Number(values.every);
if (!values.input || !Number.isSafeInteger(every) || every < 1) throw new Error('usage: node bench/scorerStateCommit.ts --input events.ndjson [--every N]');

const ROUNDS = 10;
const intake = new EventIntake(new Aggregator(DEFAULT_DETECTOR_CONFIG.windows));
const stage = new ScoringStage(new WindowScorer(DEFAULT_DETECTOR_CONFIG.scorer));
let line = 0;
let scored = 0;
// Line by line: the bench's log is larger than one string can be.
for await (const text of createInterface({ input: createReadStream(values.input), crlfDelay: Infinity })) {
  line++;
  for (const record of intake.accept(parseUsageEventLine(text, line), line, () => text).records) stage.add(record);
  const step = stage.scoreThrough(intake.aggregator.completeThrough);
  for (const _ of step.windows) if (++scored % every === 0) measure();
}

function measure(): void {
  const before = process.cpuUsage();
  let raw = 0;
  let gzipped = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const entry = Buffer.from(JSON.stringify({ version: 3, scorer: scorerStateToJSON(stage.scorer) }), 'utf8');
    raw = entry.length;
    gzipped = gzipSync(entry).length;
  }
  const used = process.cpuUsage(before);
  const { linker, pool, spend30d } = scorerStateToJSON(stage.scorer);
  const parts = { linker: JSON.stringify(linker).length, pool: JSON.stringify(pool).length, spend30d: JSON.stringify(spend30d).length };
  process.stdout.write(`${JSON.stringify({ windows: scored, state_bytes: raw, state_gzip_bytes: gzipped, cpu_ms_per_commit: Math.round((used.user + used.system) / ROUNDS / 100) / 10, part_bytes: parts })}\n`);
}
