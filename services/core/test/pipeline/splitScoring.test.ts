// A window scored in two stages - N instances score their own accounts in the owner's context,
// the owner does the rest - gives exactly what one WindowScorer gives alone: the same alerts, the
// same scores of every subject, the same model, for any N, also when the model reaches the
// instances as JSON (as it does over a topic).
import { describe, expect, it } from 'vitest';
import type { DistillationAlert } from '../../src/schemas.generated.ts';
import { parseDetectorConfig } from '../../src/detector/config.ts';
import { modelFromJSON, modelToJSON, WindowScorer, type ScorerOptions, type SubjectScore } from '../../src/detector/scorer.ts';
import {
  AccountScoreBook, AccountScoreModelError, MissingAccountScoreError, accountInstance, scoreAccounts, windowContext, type WindowContext,
} from '../../src/detector/accountScoring.ts';
import { buildSubjects } from '../../src/detector/subjects.ts';
import { SplitScoring } from '../../src/pipeline/splitScoring.ts';
import { windowsOf, type Window } from '../detector/populationWindows.ts';

const windows = windowsOf(5);
const options = (extra: Partial<ScorerOptions> = {}): Partial<ScorerOptions> => ({ ...parseDetectorConfig({}).scorer, ...extra });

interface Run { alerts: DistillationAlert[]; scores: SubjectScore[]; models: string[] }

function scoreAlone(ws: readonly Window[], extra: Partial<ScorerOptions> = {}): Run {
  const scorer = new WindowScorer(options(extra));
  const scores: SubjectScore[] = [];
  scorer.onScore = (s) => scores.push(s);
  const alerts = ws.flatMap((w) => scorer.scoreWindow(w.start, w.end, w.records));
  return { alerts, scores, models: [JSON.stringify(modelToJSON(scorer.currentModel!))] };
}

/** The model as an instance reads it from a topic: its JSON text, parsed again. */
const overTheWire = (c: WindowContext): WindowContext =>
  ({ ...c, model: c.model && modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(c.model)))) });

function scoreSplit(ws: readonly Window[], instances: number, extra: Partial<ScorerOptions> = {}): Run {
  const owner = new WindowScorer(options(extra));
  const split = new SplitScoring(owner, Array.from({ length: instances }, () => new WindowScorer(options(extra))), overTheWire);
  const scores: SubjectScore[] = [];
  owner.onScore = (s) => scores.push(s);
  const alerts = ws.flatMap((w) => split.scoreWindow(w.start, w.end, [...w.records].reverse()));
  return { alerts, scores, models: [JSON.stringify(modelToJSON(owner.currentModel!))] };
}

const alone = scoreAlone(windows);

describe('SplitScoring', () => {
  it('gives the alerts, subject scores and model of one scorer alone, with 1, 2 or 3 instances', () => {
    expect(alone.alerts.length).toBeGreaterThan(0);
    expect(alone.alerts.some((a) => a.subject_kind === 'campaign')).toBe(true);
    for (const n of [1, 2, 3]) {
      const split = scoreSplit(windows, n);
      expect(JSON.stringify(split.alerts)).toBe(JSON.stringify(alone.alerts));
      expect(JSON.stringify(split.scores)).toBe(JSON.stringify(alone.scores));
      expect(split.models).toEqual(alone.models);
    }
  });

  it('stays equal when single accounts alert on their first window above the threshold', () => {
    const eager = { confirmation: { windows: 1, spanMs: 4 * 3_600_000, minRequests: 0, oneWindowMargin: 1 } };
    const expected = scoreAlone(windows, eager);
    expect(expected.alerts.filter((a) => a.subject_kind === 'account').length).toBeGreaterThan(0);
    expect(JSON.stringify(scoreSplit(windows, 2, eager).alerts)).toBe(JSON.stringify(expected.alerts));
  });

  it('sends every account to one instance, the same in every window', () => {
    const split = new SplitScoring(new WindowScorer(options()), [new WindowScorer(options()), new WindowScorer(options())]);
    const seen = new Map<string, number>();
    for (const w of windows) {
      const shards = split.shards(w.records);
      expect(shards.flat()).toHaveLength(w.records.length);
      shards.forEach((shard, k) => shard.forEach((r) => {
        const key = `${r.lab}/${r.account_id}`;
        expect(seen.get(key) ?? k).toBe(k);
        seen.set(key, k);
      }));
    }
    const counts = [0, 1].map((k) => [...seen.values()].filter((v) => v === k).length);
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(accountInstance('lab-a/harvester-1', 1)).toBe(0);
  });

  it('refuses account scores computed with another model than the owner scores the window with', () => {
    const owner = new WindowScorer(options({ warmupMs: 0 }));
    owner.scoreWindow(windows[0]!.start, windows[0]!.end, windows[0]!.records);
    const w = windows[1]!;
    const context = windowContext(owner, w.end, w.records);
    expect(context.model).not.toBeNull();
    const scores = scoreAccounts(new WindowScorer(options()), { ...context, model: null }, w.records);
    expect(() => owner.scoreWindow(w.start, w.end, w.records, new AccountScoreBook(null, scores))).toThrow(AccountScoreModelError);
  });

  it('finishes only the window the owner linked last', () => {
    const owner = new WindowScorer(options());
    const [a, b] = [windows[0]!, windows[1]!];
    const linkedA = owner.linkWindow(a.start, windowContext(owner, a.end, a.records), a.records);
    owner.linkWindow(b.start, windowContext(owner, b.end, b.records), b.records);
    expect(() => owner.finishWindow(linkedA)).toThrow(/finished after window/);
  });

  it('links a window only in a context asked after the window linked before it', () => {
    const owner = new WindowScorer(options());
    const [a, b] = [windows[0]!, windows[1]!];
    const contextA = windowContext(owner, a.end, a.records);
    owner.linkWindow(b.start, windowContext(owner, b.end, b.records), b.records);
    expect(() => owner.linkWindow(a.start, contextA, a.records)).toThrow(/linked after window/);
  });

  it('refuses to score a window in which an account has no stage-1 score', () => {
    const owner = new WindowScorer(options());
    const w = windows[0]!;
    const context = windowContext(owner, w.end, w.records);
    const scores = scoreAccounts(new WindowScorer(options()), context, w.records.slice(1));
    const book = new AccountScoreBook(null, scores);
    const missing = buildSubjects(w.records.slice(0, 1), [], () => 0)[0]!;
    expect(() => book.get(missing)).toThrow(MissingAccountScoreError);
    expect(() => owner.scoreWindow(w.start, w.end, w.records, book)).toThrow(MissingAccountScoreError);
  });
});
