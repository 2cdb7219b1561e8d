// `distillwatch detect`: offline detection over an NDJSON file of usage events, through the same
// core path as the streaming services (Aggregator -> WindowQueue -> WindowScorer). Streams the
// input (memory grows with active accounts, not file size); writes alerts in window_end, then
// alert_id order; bad lines go to the dead-letter file and processing continues.
import { ConfigError, Detector, parseDetectorConfig, type DetectorConfig } from '@distillwatch/core';
import { parseFlags, required, type Command } from '../command.ts';
import { UserError } from '../errors.ts';
import { ndjsonBatches, openInput } from '../io/ndjsonLines.ts';
import { loadModel, saveModel } from '../io/model.ts';
import { LineWriter } from '../io/output.ts';
import { Progress, rate } from '../io/progress.ts';
import { RejectionReporter } from '../io/rejections.ts';
import { readTextFile } from '../io/textFile.ts';
import { loadVerdictBook } from '../io/verdictFile.ts';

const help = `usage: distillwatch detect --input F --output G [--config C] [--features-out H] [--dlq D] [--model M] [--model-out M] [--verdicts V]

Offline detection: runs the same windowing, features, scorer and campaign linking as the
streaming services over an NDJSON file of usage events, and writes alerts as NDJSON.
Unsupervised unless --verdicts is given; deterministic (same input + same config + same verdicts
= byte-identical output).

flags:
  --input F          usage events: .ndjson, .ndjson.gz, or - for stdin
  --output G         alerts NDJSON, ordered by window_end then alert_id; - for stdout
  --config C         JSON settings over the defaults (see README "Detector settings"), e.g.
                     {"windows": {"windowMs": 1800000}, "scorer": {"alertBudget": 0.0001}}
  --features-out H   also write every closed account-window's features (AccountFeatures NDJSON)
  --scores-out S     also write every scored subject-window's score, alerted or not (NDJSON:
                     window_end, subject_kind, subject_id, accounts, score, facets, threshold,
                     alerted)
  --dlq D            dead-letter file for rejected and late lines (default: G + ".dlq.ndjson",
                     or detect.dlq.ndjson when G is stdout)
  --model M          score with a saved model instead of training one (never refreshed)
  --model-out M      save the model in force at the end (JSON) for detect/replay --model
  --verdicts V       on-call verdicts (AlertVerdict NDJSON, CONTRACT section 5), each applied to
                     the windows ending after its verdict_time: a benign subject is not paged
                     again unless its behaviour changes materially, and look-alikes of judged
                     subjects score lower (benign) or higher (distillation); a bad line is an error

Progress and a final summary (events, rejected, late, duplicates, windows, alerts) go to stderr.
Exit status: 0 on success (also when lines were rejected), 2 on a user error.`;

export async function loadDetectorConfig(path: string | undefined): Promise<DetectorConfig> {
  if (path === undefined) return parseDetectorConfig({});
  const text = await readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: invalid JSON (${(err as Error).message})`);
  }
  try {
    return parseDetectorConfig(json);
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(`${path}: ${err.message}`);
    throw err;
  }
}

export const detect: Command = {
  name: 'detect',
  summary: 'offline detection over an NDJSON file of usage events',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, {
      input: { type: 'string' }, output: { type: 'string' }, config: { type: 'string' },
      'features-out': { type: 'string' }, 'scores-out': { type: 'string' }, dlq: { type: 'string' },
      model: { type: 'string' }, 'model-out': { type: 'string' }, verdicts: { type: 'string' },
    });
    const inputPath = required(values.input, 'input');
    const outputPath = required(values.output, 'output');
    const dlqPath = values.dlq ?? (outputPath === '-' ? 'detect.dlq.ndjson' : `${outputPath}.dlq.ndjson`);
    const config = await loadDetectorConfig(values.config);
    const verdicts = await loadVerdictBook(values.verdicts);

    const { stream } = await openInput(inputPath);
    const out = await LineWriter.open(outputPath);
    const dlq = await LineWriter.open(dlqPath);
    const featuresOut = values['features-out'] ? await LineWriter.open(values['features-out']) : null;
    const savedModel = values.model === undefined ? undefined : await loadModel(values.model);
    let detector: Detector;
    try {
      detector = new Detector(config, savedModel);
    } catch (err) {
      throw new UserError(`${values.model}: ${(err as Error).message}`);
    }
    detector.verdicts = verdicts;
    if (featuresOut) detector.onRecord = (r) => featuresOut.write(JSON.stringify(r));
    const scoresOut = values['scores-out'] ? await LineWriter.open(values['scores-out']) : null;
    if (scoresOut) detector.onScore = (s) => scoresOut.write(JSON.stringify(s));
    const rejections = new RejectionReporter(inputPath);
    const progress = new Progress();
    const c = detector.counters;

    for await (const batch of ndjsonBatches(stream, inputPath)) {
      for (const { text, line } of batch) {
        const step = detector.pushLine(text, line);
        if (step.rejection) {
          if (step.rejection.reason !== 'late') rejections.report(step.rejection);
          dlq.write(JSON.stringify(step.rejection));
        }
        for (const a of step.alerts) out.write(JSON.stringify(a));
      }
      await out.drain();
      await dlq.drain();
      await featuresOut?.drain();
      await scoresOut?.drain();
      progress.tick((s) => `detect: ${c.lines} lines, ${rate(c.lines, s)}, ${c.rejected} rejected, ${c.late} late, ${c.windows} windows, ${c.alerts} alerts, ${detector.activeAccounts} active accounts`);
    }
    for (const a of detector.flush()) out.write(JSON.stringify(a));
    await out.close();
    await dlq.close();
    await featuresOut?.close();
    await scoresOut?.close();
    rejections.finish();
    progress.done();
    if (values['model-out'] !== undefined) {
      if (!detector.model) throw new UserError(`--model-out ${values['model-out']}: no model was trained (too little data)`);
      await saveModel(values['model-out'], detector.model);
    }
    const model = detector.model?.version ?? 'none (too little data to train)';
    process.stderr.write(
      `detect: ${c.events} events (${c.lines} lines, ${c.blank} blank), ${c.rejected} rejected, ${c.late} late, ` +
      `${c.duplicates} duplicates, ${c.windows} account-windows, ${c.alerts} alerts; model ${model}; ` +
      `${progress.elapsed.toFixed(1)} s (${rate(c.lines, progress.elapsed)})\n`,
    );
    return 0;
  },
};
