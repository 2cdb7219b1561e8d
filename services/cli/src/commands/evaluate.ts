// `distillwatch evaluate`: scores a detector's alerts against the simulator's labels, and
// the two baseline rules (per-lab $5,000 spend line, hourly volume) against the same labels
// from the events file. Prints the metrics as JSON on stdout; with --report, writes an HTML
// report with plots. The evaluation package computes everything; this shell reads files.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseUsageEventLine } from '@distillwatch/core';
import {
  Deduplicator, evaluateDetector, InputError, parseAlertLine, parseLabels, renderReport, SpendRule, VolumeRule,
  computeMetrics, type BaselineResult, type Flag,
} from '@distillwatch/evaluation';
import type { Labels } from '@distillwatch/simulator';
import { parseFlags, required, type Command } from '../command.ts';
import { UserError } from '../errors.ts';
import { ndjsonBatches, openInput } from '../io/ndjsonLines.ts';
import { LineWriter } from '../io/output.ts';
import { readTextFile } from '../io/textFile.ts';
import { loadDetectorConfig } from './detect.ts';
import { evaluateFeedback, feedbackHours } from './evaluateFeedback.ts';

const PROGRESS_EVERY_LINES = 1_000_000;

const help = `usage: distillwatch evaluate --alerts A --labels L [--report DIR] [--events E] [--scores S]
       distillwatch evaluate --feedback K --events E --labels L [--config C] [--verdicts-out V]

Scores alerts (NDJSON of DistillationAlert, CONTRACT.md section 3; .gz or - for stdin)
against the labels written by 'distillwatch simulate --labels L', and prints metrics JSON
on stdout. Only accounts that sent at least one event count. Archetypes are reported under
whatever names the labels hold (this simulator's, or another traffic model's).

  campaign_recall            campaigns caught / campaigns; a campaign is caught when any
                             alert covers any of its member accounts (also per archetype)
  member_account_recall      campaign accounts covered by an alert / campaign accounts
                             (also per campaign archetype)
  benign_flagged             benign accounts covered by an alert / benign accounts
                             (also per benign archetype)
  precision                  alerts covering at least one campaign account / all alerts
  pages_per_day              alerts per day of data (the labels' start_time to end_time)
  time_to_detect_hours       per caught campaign: first alert's window_end minus the
                             campaign's first event time (event time); median and p90
                             (nearest rank)
  operating_curve            the same as a score threshold sweeps over the alerts' scores

Each ratio is {hits, of, rate}. The same metrics are computed for two baselines from the
events file (--events E, or the events_file recorded in the labels):
  spend rule    an account is flagged when its own trailing-30-day spend at one lab
                reaches $5,000 (hourly buckets), at the event that crosses the line
  volume rule   an account is flagged when its requests in one UTC clock hour exceed the
                99th percentile of all non-empty account-hours in the file, at that
                hour's end
Without an events file the baselines are null.

flags:
  --alerts A     alerts NDJSON file, .gz, or - for stdin (required)
  --labels L     labels JSON from distillwatch simulate (required)
  --report DIR   also write DIR/index.html: plots rendered to SVG, and the tables
  --events E     events file for the baselines (default: the labels' events_file)
  --scores S     every scored subject-window (detect --scores-out): the report's score
                 distributions then cover every account, and operating_curve sweeps the
                 raw score threshold over all windows instead of the alerts' scores
  --feedback K   instead: simulate an analyst who judges, from the labels, every alert whose
                 window ends in the first K hours, 30 minutes after its window ends; rerun
                 detect over --events E (with --config C) with those verdicts until no new
                 alert falls in the first K hours; print JSON with the period after K before
                 and after feedback (alerts, precision, benign accounts flagged) and campaign
                 and member recall over the whole data
  --config C     detector settings for --feedback, as for detect --config
  --verdicts-out V  with --feedback: write the simulated verdicts (NDJSON); detect --verdicts V
                 then gives the alerts the "after" figures are computed from
  --help         this text
`;

export const evaluate: Command = {
  name: 'evaluate',
  summary: 'score alerts against simulator labels; metrics JSON and an HTML report',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, {
      alerts: { type: 'string' },
      labels: { type: 'string' },
      report: { type: 'string' },
      events: { type: 'string' },
      scores: { type: 'string' },
      feedback: { type: 'string' },
      config: { type: 'string' },
      'verdicts-out': { type: 'string' },
    });
    if (values.feedback !== undefined) {
      const hours = feedbackHours(values.feedback);
      const labels = await readLabels(required(values.labels, 'labels'));
      const { result, verdicts } = await evaluateFeedback(labels, required(values.events, 'events'), await loadDetectorConfig(values.config), hours);
      if (values['verdicts-out'] !== undefined) {
        const out = await LineWriter.open(values['verdicts-out']);
        for (const v of verdicts) out.write(JSON.stringify(v));
        await out.close();
      }
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return 0;
    }
    const alertsPath = required(values.alerts, 'alerts');
    const labelsPath = required(values.labels, 'labels');
    const labels = await readLabels(labelsPath);
    const alerts = await readAlerts(alertsPath);

    let eventsPath: string | null = values.events ?? null;
    if (eventsPath === null && labels.events_file !== null) {
      const recorded = resolve(dirname(labelsPath), labels.events_file);
      if (await isFile(recorded)) eventsPath = recorded;
      else process.stderr.write(`evaluate: events file ${recorded} (recorded in ${labelsPath}) not found: baselines skipped\n`);
    }
    const baselines = eventsPath === null ? null : await runBaselines(labels, eventsPath);

    const scores = values.scores === undefined ? null : await readAlerts(values.scores);
    const evaluation = evaluateDetector(labels, alerts, baselines, scores);
    const { account_scores: _scores, scores_from_all_windows: _all, ...metrics } = evaluation;
    process.stdout.write(JSON.stringify(metrics, null, 2) + '\n');

    if (values.report !== undefined) {
      const dir = values.report;
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'index.html'), await renderReport(evaluation));
      } catch (err) {
        throw new UserError(`cannot write report to ${dir}: ${(err as Error).message}`);
      }
      process.stderr.write(`evaluate: report written to ${join(dir, 'index.html')}\n`);
    }
    return 0;
  },
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readLabels(path: string): Promise<Labels> {
  const text = await readTextFile(path);
  try {
    return parseLabels(text, path);
  } catch (err) {
    if (err instanceof InputError) throw new UserError(err.message);
    throw err;
  }
}

async function readAlerts(path: string): Promise<Flag[]> {
  const { stream } = await openInput(path);
  const alerts: Flag[] = [];
  for await (const batch of ndjsonBatches(stream, path)) {
    for (const { text, line } of batch) {
      try {
        const alert = parseAlertLine(text, line, path);
        if (alert !== null) alerts.push(alert);
      } catch (err) {
        if (err instanceof InputError) throw new UserError(err.message);
        throw err;
      }
    }
  }
  return alerts;
}

/** One pass over the events: both rules see every distinct, valid event once. */
async function runBaselines(labels: Labels, path: string): Promise<BaselineResult[]> {
  const { stream } = await openInput(path);
  const dedup = new Deduplicator();
  const spend = new SpendRule();
  const volume = new VolumeRule();
  let rejected = 0;
  for await (const batch of ndjsonBatches(stream, path)) {
    for (const { text, line } of batch) {
      if (line % PROGRESS_EVERY_LINES === 0) process.stderr.write(`evaluate: baselines read ${line.toLocaleString('en-US')} lines of ${path}\n`);
      const result = parseUsageEventLine(text, line);
      if (result.kind === 'rejected') rejected++;
      if (result.kind !== 'event' || !dedup.admit(result.event)) continue;
      spend.observe(result.event);
      volume.observe(result.event);
    }
  }
  if (rejected > 0) process.stderr.write(`evaluate: ${rejected} malformed lines in ${path} ignored by the baselines\n`);
  return [
    {
      rule: spend.name,
      definition: 'an account is flagged when its own trailing-30-day spend at one lab reaches $5,000.',
      metrics: computeMetrics(labels, spend.flags()),
    },
    {
      rule: volume.name,
      definition: `an account is flagged when its requests in one UTC hour exceed ${volume.threshold()} (the 99th percentile of non-empty account-hours).`,
      metrics: computeMetrics(labels, volume.flags()),
    },
  ];
}
