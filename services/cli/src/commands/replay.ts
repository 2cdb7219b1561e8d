// `distillwatch replay`: re-runs detection over exactly the usage events with event_time in
// [T1, T2) read back from the usage topic, through the same core Detector as `detect`, with
// any detector settings (`--config`) or a saved model (`--model`), and writes the alerts to a
// file or to a topic. It only reads the usage topic (a throw-away consumer group, never
// committed, deleted at the end); it never touches the services' groups or state.
//
// Which records: per partition, offset-for-time lookups give the first record stamped at or
// after T1 and the first stamped at or after T2 + max(lateness, idle grace); everything in
// between is read (record timestamp = event_time, as `produce` and the labs' producers set it)
// and exactly the events with event_time in [T1, T2) are kept. Events of [T1, T2) stamped
// beyond that bound arrived more than the idle grace behind the stream, which the detector's
// equivalence guarantee excludes anyway.
//
// Why the result equals `detect` over the same events: the partitions are merged by record
// timestamp taking only partition heads, so each account's own order (one key, one partition)
// is the order it was produced in. The detector's windows, and so its features, scores and
// alerts, depend only on each account's own order whenever no event arrives more than the
// idle grace behind the stream's progress (schemas/README.md, "Event time, as implemented").
import { randomUUID } from 'node:crypto';
import { Detector, parseIsoInstant, type DetectorConfig, type DistillationAlert, type ScoringModel, type UsageEvent, type VerdictBook } from '@distillwatch/core';
import { topicSink, type AlertSink } from '@distillwatch/oncall';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { CONNECTION_HELP, loadConfig, prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { isRetriable, kafkaClient } from '@distillwatch/platform/kafka';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { parseFlags, required, type Command } from '../command.ts';
import { rethrowConnectionError } from '../connectionErrors.ts';
import { UserError } from '../errors.ts';
import { loadModel } from '../io/model.ts';
import { alertFileSink } from '../io/alertFileSink.ts';
import { Progress, rate } from '../io/progress.ts';
import { readMergedSlice, recordsIn, sliceRanges, type SliceRecord } from '../io/timeSlice.ts';
import { loadVerdictBook } from '../io/verdictFile.ts';
import { loadDetectorConfig } from './detect.ts';

const USAGE_TOPIC = 'usage-events';
const REPORTED_PROBLEMS = 20;

const help = `usage: distillwatch replay --from T1 --to T2 --output G [--config C] [--model M] [--verdicts V] [--topic T]

Re-runs detection over exactly the usage events with event_time in [T1, T2) read from the
usage topic, with the same windowing, features, scorer and campaign linking as detect, and
writes the alerts as NDJSON (window_end, then alert_id order) to a file or as Avro to a topic.
The result equals \`distillwatch detect\` over the same events with the same settings.

flags:
  --from T1      start of the range (inclusive): ISO-8601 with Z or an offset, or epoch ms
  --to T2        end of the range (exclusive), after T1
  --output G     alerts NDJSON file, - for stdout, or topic:NAME to produce them as Avro
                 (schema distillation-alert.avsc, key subject_id; the prefix is prepended;
                 the topic is created when missing)
  --config C     detector settings JSON over the defaults, as for detect --config (e.g. other
                 windows, features or forest settings, to compare with what ran live)
  --model M      score with a saved model (detect --model-out M) instead of training one
                 during the replay; the model is then never refreshed
  --verdicts V   on-call verdicts (AlertVerdict NDJSON), each applied from its verdict_time
                 on, as for detect --verdicts
  --topic T      usage topic to read (default ${USAGE_TOPIC}; the prefix is prepended)
  --help         this text

Reading: per partition, offset-for-time lookups find the first record at or after T1 and the
first at or after T2 + max(lateness, idle grace) of the settings; everything in between is read
and the events in [T1, T2) kept. Partitions are merged by record timestamp, keeping each
account's order; detection depends only on that order for inputs where no event arrives more
than the idle grace behind the stream (CONTRACT.md section 2). Records appended after the
replay started are not read. Progress with an ETA and a summary go to stderr.
Exit status: 0 on success, 2 on a user error (bad flag or file, unreachable broker).

environment:
${CONNECTION_HELP}`;

/** Epoch ms of `text`: digits are epoch ms, anything else an ISO-8601 instant with a zone. */
export function parseInstant(text: string, flag: string): number {
  const t = text.trim();
  const ms = /^-?\d+$/.test(t) ? Number(t) : parseIsoInstant(t);
  if (ms === null || !Number.isSafeInteger(ms)) {
    throw new UserError(`--${flag}: "${text}" is neither epoch milliseconds nor an ISO-8601 instant with Z or an offset`);
  }
  return ms;
}

function eta(done: number, total: number, seconds: number): string {
  if (done === 0 || seconds === 0) return '?';
  const left = Math.round(((total - done) * seconds) / done);
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}

/** What a replay reads, how it detects and where the alerts go, from the flags. */
interface ReplayOptions {
  from: number;
  to: number;
  output: string;
  topic: string | undefined;
  detectorConfig: DetectorConfig;
  model: ScoringModel | undefined;
  modelPath: string | undefined;
  verdicts: VerdictBook | null;
}

async function replayOptions(argv: string[]): Promise<ReplayOptions> {
  const { values } = parseFlags(argv, {
    from: { type: 'string' }, to: { type: 'string' }, output: { type: 'string' },
    config: { type: 'string' }, model: { type: 'string' }, topic: { type: 'string' }, verdicts: { type: 'string' },
  });
  const from = parseInstant(required(values.from, 'from'), 'from');
  const to = parseInstant(required(values.to, 'to'), 'to');
  if (to <= from) throw new UserError(`--to (${new Date(to).toISOString()}) must be after --from (${new Date(from).toISOString()})`);
  const output = required(values.output, 'output');
  if (output.startsWith('topic:') && output.length === 'topic:'.length) throw new UserError('--output topic: needs a topic name');
  const detectorConfig = await loadDetectorConfig(values.config);
  const model = values.model === undefined ? undefined : await loadModel(values.model);
  const verdicts = await loadVerdictBook(values.verdicts);
  return { from, to, output, topic: values.topic, detectorConfig, model, modelPath: values.model, verdicts };
}

/** Counts of the records read, reporting the first few problems on stderr. */
class ReplayTally {
  read = 0;
  kept = 0;
  undecodable = 0;
  #problems = 0;
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  problem(record: SliceRecord, what: string): void {
    if (this.#problems++ < REPORTED_PROBLEMS) process.stderr.write(`replay: ${this.#source} partition ${record.partition} offset ${record.offset}: ${what}\n`);
  }
}

export const replay: Command = {
  name: 'replay',
  summary: 're-run detection over the usage events of a time range read from the usage topic',
  help,
  async run(argv) {
    const options = await replayOptions(argv);
    // A ConfigError from the environment is a one-line user error (see errors.ts).
    const config = loadConfig();
    let detector: Detector;
    try {
      detector = new Detector(options.detectorConfig, options.model);
    } catch (err) {
      throw new UserError(`${options.modelPath}: ${(err as Error).message}`);
    }
    detector.verdicts = options.verdicts;
    const source = prefixed(config, options.topic ?? USAGE_TOPIC);
    const tally = new ReplayTally(source);
    const progress = new Progress();
    await replayRange(config, source, options, detector, tally, progress);
    progress.done();
    const c = detector.counters;
    const modelText = detector.model?.version ?? 'none (too little data to train)';
    process.stderr.write(
      `replay: ${new Date(options.from).toISOString()} .. ${new Date(options.to).toISOString()}: ${tally.read} records read, ${tally.kept} events in range, ` +
      `${tally.undecodable} undecodable, ${c.rejected} rejected, ${c.late} late, ${c.duplicates} duplicates, ${c.windows} account-windows, ` +
      `${c.alerts} alerts; model ${modelText}; ${progress.elapsed.toFixed(1)} s\n`,
    );
    return 0;
  },
};

/** Reads the range's records from `source`, runs them through `detector` and writes its alerts to the output. */
async function replayRange(config: PlatformConfig, source: string, options: ReplayOptions, detector: Detector, tally: ReplayTally, progress: Progress): Promise<void> {
  const { from, to, output } = options;
  const grace = Math.max(options.detectorConfig.windows.latenessMs, options.detectorConfig.windows.idleGraceMs);
  const kafka = kafkaClient(config, { clientId: 'distillwatch-replay' });
  const admin = kafka.admin();
  const c = detector.counters;
  let sink: AlertSink | null = null;
  try {
    await admin.connect();
    if (!(await admin.listTopics()).includes(source)) throw new UserError(`topic ${source} does not exist (nothing was produced to it)`);
    const ranges = await sliceRanges(admin, source, from, to + grace);
    const total = recordsIn(ranges);
    const codec = await AvroCodec.forTopic<UsageEvent>(createRegistryClient(config), source, await readSchemaFile('usage-event.avsc'));
    sink = output.startsWith('topic:') ? await topicSink(config, output.slice('topic:'.length), 'distillwatch-replay-output') : await alertFileSink(output);
    const out = sink;
    // Alerts of a merged run, handed to the sink after it (the record callback is synchronous).
    let pending: DistillationAlert[] = [];
    await readMergedSlice<UsageEvent | null>(kafka, admin, source, ranges, prefixed(config, `distillwatch.replay.${randomUUID()}`), {
      decode: async (record) => {
        try {
          return await codec.decode(record.message.value ?? Buffer.alloc(0));
        } catch (err) {
          if (isRetriable(err)) throw err;
          tally.undecodable++;
          tally.problem(record, `undecodable: ${(err as Error).message}`);
          return null;
        }
      },
      onRecord: (event, record) => {
        tally.read++;
        if (event === null || event.event_time < from || event.event_time >= to) return;
        tally.kept++;
        // The same path as detect and the aggregator: the event as JSON through the core parser.
        const step = detector.pushLine(JSON.stringify(event), tally.kept);
        if (step.rejection && step.rejection.reason !== 'late') tally.problem(record, `${step.rejection.field ? `field '${step.rejection.field}': ` : ''}${step.rejection.reason}`);
        if (step.alerts.length > 0) pending.push(...step.alerts);
      },
      afterBatch: async () => {
        await out.write(pending);
        pending = [];
        await out.flush();
        const { read } = tally;
        progress.tick((s) => `replay: ${total > 0 ? Math.floor((100 * read) / total) : 100} % (${read}/${total} records, ${rate(read, s)}), ETA ${eta(read, total, s)}; ${tally.kept} events in range, ${c.windows} windows, ${c.alerts} alerts`);
      },
    });
    await sink.write([...pending, ...detector.flush()]);
    await sink.close();
    sink = null;
  } catch (err) {
    if (err instanceof UserError) throw err;
    rethrowConnectionError(err, config.brokers);
  } finally {
    await sink?.close().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
