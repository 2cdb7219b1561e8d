// `distillwatch detect`: offline detection over an NDJSON file of usage events, through the same
// core path as the streaming services (Aggregator -> WindowQueue -> WindowScorer). Streams the
// input (memory grows with active accounts, not file size); writes alerts in window_end, then
// alert_id order; bad lines go to the dead-letter file and processing continues.
import { ConfigError, Detector, parseDetectorConfig, type DetectorConfig } from '@distillwatch/core';
import { parseFlags, required, type Command } from '../command.ts';
import { detectFederatedHelp } from './detectFederatedHelp.ts';
import { UserError } from '../errors.ts';
import { openInput } from '../io/ndjsonLines.ts';
import { parsedBatches } from '../io/parsePool.ts';
import { threadCount } from '../io/threads.ts';
import { loadModel, saveModel } from '../io/model.ts';
import { LineWriter } from '../io/output.ts';
import { Progress, rate } from '../io/progress.ts';
import { RejectionReporter } from '../io/rejections.ts';
import { readJsonDocument } from '../io/jsonDocument.ts';
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
  --threads N        threads in all (default: every core): N - 1 worker threads parse, validate
                     and hash prompts while this one assembles windows and scores; the output
                     is byte-identical for every N
  --verdicts V       on-call verdicts (AlertVerdict NDJSON, CONTRACT section 5), each applied to
                     the windows ending after its verdict_time: a benign subject is not paged
                     again unless its behaviour changes materially, and look-alikes of judged
                     subjects score lower (benign) or higher (distillation); a bad line is an error

Progress and a final summary (events, rejected, late, duplicates, windows, alerts) go to stderr.
Exit status: 0 on success (also when lines were rejected), 2 on a user error.`;

export async function loadDetectorConfig(path: string | undefined): Promise<DetectorConfig> {
  if (path === undefined) return parseDetectorConfig({});
  return readJsonDocument(path, parseDetectorConfig, ConfigError);
}

export const detect: Command = {
  name: 'detect',
  summary: 'offline detection over an NDJSON file of usage events',
  help: `${help}\n\n${detectFederatedHelp}`,
  async run(argv) {
    if (argv.includes('--federated')) {
      return (await import('./detectFederated.ts')).runDetectFederated(argv);
    }
    const { values } = parseFlags(argv, {
      input: { type: 'string' }, output: { type: 'string' }, config: { type: 'string' },
      'features-out': { type: 'string' }, 'scores-out': { type: 'string' }, dlq: { type: 'string' },
      model: { type: 'string' }, 'model-out': { type: 'string' }, threads: { type: 'string' }, verdicts: { type: 'string' },
    });
    const threads = threadCount(values.threads);
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
    const rejections = new RejectionReporter(inputPath, dlqPath);
    const progress = new Progress();
    const c = detector.counters;

    for await (const batch of parsedBatches(stream, inputPath, threads)) {
      for (let i = 0; i < batch.size; i++) {
        const step = detector.pushParsed(batch.parsed(i), batch.firstLine + i, () => batch.text(i));
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
