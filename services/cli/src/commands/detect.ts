// `distillwatch detect`: offline detection over an NDJSON file of usage events, through the same
// core path as the streaming services (Aggregator -> WindowQueue -> WindowScorer). Streams the
// input (memory grows with active accounts, not file size); writes alerts in window_end, then
// alert_id order; bad lines go to the dead-letter file and processing continues.
import { ConfigError, Detector, parseDetectorConfig, type DetectorConfig } from '@distillwatch/core';
import { parseFlags, required, type Command } from '../command.ts';
import { detectFederatedHelp } from './detectFederatedHelp.ts';
import { UserError } from '../errors.ts';
import { DetectFiles } from '../io/detectFiles.ts';
import { threadCount } from '../io/threads.ts';
import { loadModel, saveModel } from '../io/model.ts';
import { LineWriter } from '../io/output.ts';
import { rate } from '../io/progress.ts';
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

interface DetectFlags {
  input: string;
  output: string;
  dlq: string | undefined;
  config: string | undefined;
  threads: number;
  featuresOut: string | undefined;
  scoresOut: string | undefined;
  model: string | undefined;
  modelOut: string | undefined;
  verdicts: string | undefined;
}

export const detect: Command = {
  name: 'detect',
  summary: 'offline detection over an NDJSON file of usage events',
  help: `${help}\n\n${detectFederatedHelp}`,
  async run(argv) {
    if (argv.includes('--federated')) {
      return (await import('./detectFederated.ts')).runDetectFederated(argv);
    }
    const flags = detectFlags(argv);
    const config = await loadDetectorConfig(flags.config);
    const verdicts = await loadVerdictBook(flags.verdicts);
    const files = await DetectFiles.open(flags);
    const featuresOut = flags.featuresOut === undefined ? null : await LineWriter.open(flags.featuresOut);
    const detector = await newDetector(config, flags.model);
    detector.verdicts = verdicts;
    if (featuresOut) detector.onRecord = (r) => featuresOut.write(JSON.stringify(r));
    const scoresOut = flags.scoresOut === undefined ? null : await LineWriter.open(flags.scoresOut);
    if (scoresOut) detector.onScore = (s) => scoresOut.write(JSON.stringify(s));

    await detectAll(detector, files, flags.threads, async () => { await featuresOut?.drain(); await scoresOut?.drain(); });
    await files.close();
    await featuresOut?.close();
    await scoresOut?.close();
    if (flags.modelOut !== undefined) {
      if (!detector.model) throw new UserError(`--model-out ${flags.modelOut}: no model was trained (too little data)`);
      await saveModel(flags.modelOut, detector.model);
    }
    printSummary(detector, files.progress.elapsed);
    return 0;
  },
};

function detectFlags(argv: string[]): DetectFlags {
  const { values } = parseFlags(argv, {
    input: { type: 'string' }, output: { type: 'string' }, config: { type: 'string' },
    'features-out': { type: 'string' }, 'scores-out': { type: 'string' }, dlq: { type: 'string' },
    model: { type: 'string' }, 'model-out': { type: 'string' }, threads: { type: 'string' }, verdicts: { type: 'string' },
  });
  return {
    threads: threadCount(values.threads), input: required(values.input, 'input'), output: required(values.output, 'output'),
    dlq: values.dlq, config: values.config, featuresOut: values['features-out'], scoresOut: values['scores-out'],
    model: values.model, modelOut: values['model-out'], verdicts: values.verdicts,
  };
}

/** A detector that trains its own model, or scores with the saved one at `modelPath`. */
async function newDetector(config: DetectorConfig, modelPath: string | undefined): Promise<Detector> {
  const savedModel = modelPath === undefined ? undefined : await loadModel(modelPath);
  try {
    return new Detector(config, savedModel);
  } catch (err) {
    throw new UserError(`${modelPath}: ${(err as Error).message}`);
  }
}

/** Every line of the input through the detector, then the end of input; alerts to the output as released. */
async function detectAll(detector: Detector, files: DetectFiles, threads: number, drain: () => Promise<void>): Promise<void> {
  const c = detector.counters;
  await files.feed(threads, (parsed, line, text) => {
    const step = detector.pushParsed(parsed, line, text);
    for (const a of step.alerts) files.out.write(JSON.stringify(a));
    return step.rejection;
  }, drain, (s) => `detect: ${c.lines} lines, ${rate(c.lines, s)}, ${c.rejected} rejected, ${c.late} late, ${c.windows} windows, ${c.alerts} alerts, ${detector.activeAccounts} active accounts`);
  for (const a of detector.flush()) files.out.write(JSON.stringify(a));
}

function printSummary(detector: Detector, elapsed: number): void {
  const c = detector.counters;
  const model = detector.model?.version ?? 'none (too little data to train)';
  process.stderr.write(
    `detect: ${c.events} events (${c.lines} lines, ${c.blank} blank), ${c.rejected} rejected, ${c.late} late, ` +
    `${c.duplicates} duplicates, ${c.windows} account-windows, ${c.alerts} alerts; model ${model}; ` +
    `${elapsed.toFixed(1)} s (${rate(c.lines, elapsed)})\n`,
  );
}
