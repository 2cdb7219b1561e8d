// `distillwatch evaluate --feedback K`: what on-call verdicts buy. A simulated analyst judges,
// from the simulator's labels, every alert whose window ends in the first K hours (30 minutes
// after the window ends); detection reruns with those verdicts until no new alert falls in the
// first K hours; the figures for the period after K are printed before and after feedback.
// Round 0 is `detect` over the events file; later rounds score its account-windows again with
// the verdicts, which gives what `detect --verdicts` gives (--verdicts-out writes them to check).
import {
  Detector, ScoringStage, WindowScorer,
  type AccountFeatures, type AlertVerdict, type DetectorConfig, type DistillationAlert,
} from '@distillwatch/core';
import { feedbackFigures, judgeAlerts } from '@distillwatch/evaluation';
import type { Labels } from '@distillwatch/simulator';
import { UserError } from '../errors.ts';
import { ndjsonBatches, openInput } from '../io/ndjsonLines.ts';

const HOUR = 3_600_000;
/** Rounds after which the analyst stops even if new early alerts keep appearing (reported). */
const MAX_ROUNDS = 8;

export function feedbackHours(text: string): number {
  const k = Number(text);
  if (!Number.isFinite(k) || k <= 0) throw new UserError(`--feedback: "${text}" is not a positive number of hours`);
  return k;
}

/** Round 0: `detect` over the file, keeping every closed account-window for the later rounds. */
async function detectAlerts(eventsPath: string, config: DetectorConfig): Promise<{ alerts: DistillationAlert[]; records: AccountFeatures[] }> {
  const detector = new Detector(config);
  const records: AccountFeatures[] = [];
  detector.onRecord = (r) => records.push(r);
  const { stream } = await openInput(eventsPath);
  const alerts: DistillationAlert[] = [];
  for await (const batch of ndjsonBatches(stream, eventsPath)) {
    for (const { text, line } of batch) alerts.push(...detector.pushLine(text, line).alerts);
  }
  alerts.push(...detector.flush());
  return { alerts, records };
}

/**
 * Later rounds: verdicts change only the scorer, so the account-windows of round 0 are scored
 * again, window by window in event-time order as `detect --verdicts` scores them (the scorer
 * sorts each window's records itself), without parsing the events again.
 */
function rescore(records: readonly AccountFeatures[], config: DetectorConfig, verdicts: readonly AlertVerdict[]): DistillationAlert[] {
  const stage = new ScoringStage(new WindowScorer(config.scorer));
  for (const v of verdicts) stage.addVerdict(v);
  for (const r of records) stage.add(r);
  return stage.scoreThrough(Number.POSITIVE_INFINITY).alerts;
}

export async function evaluateFeedback(labels: Labels, eventsPath: string, config: DetectorConfig, hours: number): Promise<{ result: object; verdicts: AlertVerdict[] }> {
  const cutoff = labels.start_time + hours * HOUR;
  const say = (text: string) => process.stderr.write(`evaluate --feedback: ${text}\n`);
  say(`round 0: detect without verdicts over ${eventsPath}`);
  const { alerts: before, records } = await detectAlerts(eventsPath, config);
  const verdicts: AlertVerdict[] = [];
  const judged = new Set<string>();
  let alerts = before;
  let rounds = 0;
  for (;;) {
    const fresh = judgeAlerts(labels, alerts, cutoff, judged);
    if (fresh.length === 0) break;
    if (rounds === MAX_ROUNDS) { say(`stopping after ${MAX_ROUNDS} rounds with ${fresh.length} alerts still unjudged`); break; }
    for (const v of fresh) { verdicts.push(v); judged.add(v.alert_id!); }
    rounds++;
    say(`round ${rounds}: ${fresh.length} new verdicts (${verdicts.length} in all); detect again`);
    alerts = rescore(records, config, verdicts);
  }
  const count = (kind: string) => verdicts.filter((v) => v.verdict === kind).length;
  const result = {
    feedback_hours: hours,
    cutoff: new Date(cutoff).toISOString(),
    rounds,
    converged: judgeAlerts(labels, alerts, cutoff, judged).length === 0,
    verdicts: { benign: count('benign'), distillation: count('distillation') },
    before: feedbackFigures(labels, before, cutoff),
    after: feedbackFigures(labels, alerts, cutoff),
  };
  return { result, verdicts };
}
