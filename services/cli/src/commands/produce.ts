// `distillwatch produce`: ships an NDJSON usage log into Kafka as Avro in the Confluent wire
// format, keyed `<lab>/<account_id>`, with the record timestamp set to event_time. Every line
// goes through the core's parser; a malformed line is reported on stderr, dead-lettered to
// usage-events.dlq with its line number and counted, never fatal. It never drops duplicates
// (the detector does) and never writes to stdout. Input, rejections and progress are the CLI's
// shared ones (io/); the Kafka side is produce/usageShipper.ts.
//
//   input (file | .ndjson.gz | stdin) ─► lines ─► parseUsageEventLine ─► Avro ─► batches ─► usage-events
//                                                        └─ rejected ─► stderr + usage-events.dlq
import type { Readable } from 'node:stream';
import { parseUsageEventLine, type Rejection } from '@distillwatch/core';
import { CONNECTION_HELP, loadConfig, prefixed } from '@distillwatch/platform/config';
import { parseFlags, required, type Command } from '../command.ts';
import { InputFileError, UserError } from '../errors.ts';
import { ndjsonBatches, openInput } from '../io/ndjsonLines.ts';
import { Progress, rate } from '../io/progress.ts';
import { RejectionReporter } from '../io/rejections.ts';
import { Pacer } from '../produce/pacer.ts';
import { DEFAULT_USAGE_TOPIC, UsageShipper } from '../produce/usageShipper.ts';

/** Bad lines reported one by one on stderr before the rest are only counted. */
const REPORTED_REJECTIONS = 20;

const help = `usage: distillwatch produce --input F [--topic T] [--rate N]

Ships an NDJSON usage log (one usage event per line, CONTRACT.md section 2) into Kafka as
Avro in the Confluent wire format, with the schema schemas/usage-event.avsc registered in
the schema registry under the subject '<topic>-value' (BACKWARD compatibility).
Each record is keyed '<lab>/<account_id>' (UTF-8) and timestamped with its event_time.

Malformed lines are not fatal: each is reported on stderr as 'F:LINE: field 'x': reason'
(the first ${REPORTED_REJECTIONS}, then only counted), written to the topic usage-events.dlq as
{"line", "reason", "field", "raw", "source": "produce"}, and skipped. Blank lines are
skipped. Duplicate events are shipped as they are (the detector drops them).
Progress and a final summary go to stderr; nothing is written to stdout.
Exit status: 0 when the input was shipped (even with rejected lines), 2 on a user error
(missing file, unreachable broker or registry).

flags:
  --input F   NDJSON file, .ndjson.gz file (gunzipped while read), or - for stdin (required)
  --topic T   topic to produce to (default ${DEFAULT_USAGE_TOPIC}); the prefix is prepended
  --rate N    ship at most N events per second on average (a steady replay of a log, e.g.
              to measure alert latency under load); default: as fast as the broker takes them
  --help      this text

environment:
${CONNECTION_HELP}
`;

export const produce: Command = {
  name: 'produce',
  summary: 'ship an NDJSON usage log into Kafka as Avro',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, { input: { type: 'string' }, topic: { type: 'string' }, rate: { type: 'string' } });
    const inputPath = required(values.input, 'input');
    const pacer = values.rate === undefined ? null : new Pacer(parseRate(values.rate));
    const config = loadConfig();
    const topic = prefixed(config, values.topic ?? DEFAULT_USAGE_TOPIC);

    try {
      const { stream } = await openInput(inputPath);
      try {
        const shipper = await UsageShipper.connect(config, topic);
        try {
          const counts = await shipLines(stream, inputPath, shipper, pacer);
          process.stderr.write(summaryLine(counts, topic, shipper.dlqTopic) + '\n');
        } finally {
          await shipper.close();
        }
      } finally {
        stream.destroy();
      }
    } catch (err) {
      throw inProduceWords(err);
    }
    return 0;
  },
};

/** `produce` has always named its input so (`cannot read input 'F': no such file`); scripts match it. */
function inProduceWords(err: unknown): unknown {
  return err instanceof InputFileError ? new UserError(`cannot read input '${err.path}': ${err.problem}`) : err;
}

interface Counts {
  lines: number;
  produced: number;
  rejected: number;
  blank: number;
  seconds: number;
}

/** Reads the input line by line, feeding the shipper; returns what happened. */
async function shipLines(stream: Readable, path: string, shipper: UsageShipper, pacer: Pacer | null): Promise<Counts> {
  const counts: Counts = { lines: 0, produced: 0, rejected: 0, blank: 0, seconds: 0 };
  const rejections = new RejectionReporter(path, shipper.dlqTopic, REPORTED_REJECTIONS);
  const progress = new Progress();
  const reject = (rejection: Rejection): void => {
    counts.rejected += 1;
    rejections.report(rejection);
    shipper.deadLetter(rejection);
  };
  for await (const batch of ndjsonBatches(stream, path)) {
    for (const { text, line } of batch) {
      counts.lines = line;
      const result = parseUsageEventLine(text, line);
      if (result.kind === 'blank') {
        counts.blank += 1;
      } else if (result.kind === 'rejected') {
        reject(result.rejection);
      } else {
        const rejection = await shipper.add(result.event, line, text);
        if (rejection !== null) reject(rejection);
        else if (pacer !== null) await pacer.tick();
      }
    }
    progress.tick((s) => `produce: ${counts.lines} lines, ${shipper.produced} events produced, ${counts.rejected} rejected, ${rate(shipper.produced, s)}`);
  }
  await shipper.drain();
  progress.done();
  rejections.finish();
  return { ...counts, produced: shipper.produced, seconds: progress.elapsed };
}

function parseRate(text: string): number {
  const rate = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(rate > 0) || !Number.isFinite(rate)) {
    throw new UserError(`--rate must be a positive number of events per second, got '${text}'`);
  }
  return rate;
}

function summaryLine(counts: Counts, topic: string, dlq: string): string {
  const eventsPerSecond = counts.seconds > 0 ? Math.round(counts.produced / counts.seconds) : counts.produced;
  return `produce: read ${counts.lines} lines: ${counts.produced} events produced to ${topic}, ` +
    `${counts.rejected} rejected (to ${dlq}), ${counts.blank} blank; ${counts.seconds.toFixed(1)} s, ${eventsPerSecond} events/s`;
}
