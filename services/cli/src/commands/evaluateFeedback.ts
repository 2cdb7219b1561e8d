// `distillwatch evaluate --feedback K`: what on-call verdicts buy. A simulated analyst judges,
// from the simulator's labels, every alert whose window ends in the first K hours (30 minutes
// after the window ends); detection reruns with those verdicts until no new alert falls in the
// first K hours; the figures for the period after K are printed before and after feedback.
// Detection runs in this process over the events file, once per round, exactly as `detect`.
import { Detector, VerdictBook, type AlertVerdict, type DetectorConfig, type DistillationAlert } from '@distillwatch/core';
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

async function detectAlerts(eventsPath: string, config: DetectorConfig, verdicts: readonly AlertVerdict[]): Promise<DistillationAlert[]> {
  const detector = new Detector(config);
  if (verdicts.length > 0) {
    const book = new VerdictBook();
    for (const v of verdicts) book.add(v);
    detector.verdicts = book;
  }
  const { stream } = await openInput(eventsPath);
  const alerts: DistillationAlert[] = [];
  for await (const batch of ndjsonBatches(stream, eventsPath)) {
    for (const { text, line } of batch) alerts.push(...detector.pushLine(text, line).alerts);
  }
  alerts.push(...detector.flush());
  return alerts;
}

export async function evaluateFeedback(labels: Labels, eventsPath: string, config: DetectorConfig, hours: number): Promise<object> {
  const cutoff = labels.start_time + hours * HOUR;
  const say = (text: string) => process.stderr.write(`evaluate --feedback: ${text}\n`);
  say(`round 0: detect without verdicts over ${eventsPath}`);
  const before = await detectAlerts(eventsPath, config, []);
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
    alerts = await detectAlerts(eventsPath, config, verdicts);
  }
  const count = (kind: string) => verdicts.filter((v) => v.verdict === kind).length;
  return {
    feedback_hours: hours,
    cutoff: new Date(cutoff).toISOString(),
    rounds,
    converged: judgeAlerts(labels, alerts, cutoff, judged).length === 0,
    verdicts: { benign: count('benign'), distillation: count('distillation') },
    before: feedbackFigures(labels, before, cutoff),
    after: feedbackFigures(labels, alerts, cutoff),
  };
}
