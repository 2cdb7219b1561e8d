// The scorer's verdict hook on the hand-built population: inert when empty, a benign verdict
// mutes its subject from its verdict_time on, and a distillation verdict lifts look-alikes.
import { describe, expect, it } from 'vitest';
import type { AccountFeatures, AlertVerdict, DistillationAlert } from '../../src/schemas.generated.ts';
import { Aggregator } from '../../src/detector/aggregator.ts';
import { parseDetectorConfig } from '../../src/detector/config.ts';
import { WindowScorer, modelFromJSON, modelToJSON, type SubjectScore } from '../../src/detector/scorer.ts';
import { restoreScorerState, scorerStateToJSON } from '../../src/detector/scorerState.ts';
import { VerdictBook } from '../../src/verdicts/verdictBook.ts';
import { LONE_HARVESTER, population } from '../detector/population.ts';

function windowsOf(seed: number): Array<{ start: number; end: number; records: AccountFeatures[] }> {
  const aggregator = new Aggregator();
  const records: AccountFeatures[] = [];
  for (const e of population(seed).events) records.push(...aggregator.push(e).records);
  records.push(...aggregator.flush());
  const ends = [...new Set(records.map((r) => r.window_end))].sort((a, b) => a - b);
  return ends.map((end) => { const rs = records.filter((r) => r.window_end === end); return { start: rs[0]!.window_start, end, records: rs }; });
}

const windows = windowsOf(5);

function run(book: VerdictBook | null): { alerts: DistillationAlert[]; scores: SubjectScore[] } {
  const scorer = new WindowScorer(parseDetectorConfig({}).scorer);
  scorer.verdicts = book;
  const scores: SubjectScore[] = [];
  scorer.onScore = (s) => scores.push(s);
  return { alerts: windows.flatMap((w) => scorer.scoreWindow(w.start, w.end, w.records)), scores };
}

const plain = run(null);
const firstAlert = plain.alerts.find((a) => a.subject_id === LONE_HARVESTER)!;

function judged(kind: AlertVerdict['verdict'], alert: DistillationAlert): AlertVerdict {
  return { verdict_time: alert.window_end + 30 * 60_000, alert_id: alert.alert_id, subject_id: alert.subject_id,
    accounts: alert.accounts, verdict: kind, analyst: null, note: 'never copied', expires_at: null };
}

describe('WindowScorer with verdicts', () => {
  it('scores exactly as without verdicts while the book is empty', () => {
    expect(JSON.stringify(run(new VerdictBook()))).toBe(JSON.stringify(plain));
  });

  it('stops counting a benign subject above the threshold from the first window after the verdict', () => {
    expect(firstAlert).toBeDefined();
    const book = new VerdictBook();
    book.add(judged('benign', firstAlert));
    const withVerdict = run(book);
    const later = (r: typeof plain) => r.scores.filter((s) => s.subject_id === LONE_HARVESTER && s.window_end > firstAlert.window_end);
    expect(later(plain).some((s) => s.alerted)).toBe(true);
    expect(later(withVerdict).some((s) => s.alerted)).toBe(false);
    // Until the verdict, nothing changes.
    const until = (r: typeof plain) => r.alerts.filter((a) => a.window_end <= firstAlert.window_end);
    expect(until(withVerdict)).toEqual(until(plain));
    expect(JSON.stringify(withVerdict.alerts)).not.toContain('never copied');
  });

  it('raises the score of subjects that look like a judged campaign once enough verdicts exist', () => {
    const book = new VerdictBook({ neighbours: { bandwidth: 0.05, maxShift: 0.1, minExamples: 1 } });
    book.add(judged('distillation', firstAlert));
    const lifted = run(book);
    const after = (r: typeof plain) => r.scores.filter((s) => s.subject_id === LONE_HARVESTER && s.window_end > firstAlert.window_end + 3_600_000);
    const pairs = after(plain).map((s, i) => [s.score, after(lifted)[i]!.score] as const);
    expect(pairs.length).toBeGreaterThan(0);
    for (const [before, now] of pairs) expect(now).toBeGreaterThanOrEqual(before);
    expect(pairs.some(([before, now]) => now > before)).toBe(true);
  });

  it('persists: saved and restored after every window (scorer state and verdict book as JSON), it decides the same', () => {
    const options = { neighbours: { bandwidth: 0.05, maxShift: 0.1, minExamples: 1 } };
    const second = plain.alerts.find((a) => a.subject_id !== LONE_HARVESTER)!;
    const fill = (book: VerdictBook) => { book.add(judged('benign', firstAlert)); book.add(judged('distillation', second)); return book; };
    const straight = (() => {
      const scorer = new WindowScorer(parseDetectorConfig({}).scorer);
      scorer.verdicts = fill(new VerdictBook(options));
      return windows.flatMap((w) => scorer.scoreWindow(w.start, w.end, w.records));
    })();
    let scorer = new WindowScorer(parseDetectorConfig({}).scorer);
    scorer.verdicts = fill(new VerdictBook(options));
    const alerts: DistillationAlert[] = [];
    for (const w of windows) {
      alerts.push(...scorer.scoreWindow(w.start, w.end, w.records));
      const state = JSON.parse(JSON.stringify(scorerStateToJSON(scorer)));
      const book = JSON.parse(JSON.stringify(scorer.verdicts!.toJSON()));
      const model = scorer.currentModel && modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(scorer.currentModel))));
      scorer = new WindowScorer(parseDetectorConfig({}).scorer);
      restoreScorerState(scorer, state, model);
      scorer.verdicts = VerdictBook.fromJSON(book, options);
    }
    expect(straight.length).toBeGreaterThan(0);
    expect(JSON.stringify(alerts)).toBe(JSON.stringify(straight));
    expect(JSON.stringify(straight)).not.toBe(JSON.stringify(plain.alerts));
  });
});
