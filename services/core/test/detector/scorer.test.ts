import { describe, expect, it } from 'vitest';
import type { DistillationAlert } from '../../src/schemas.generated.ts';
import { parseDetectorConfig } from '../../src/detector/config.ts';
import { modelFromJSON, modelToJSON, WindowScorer, type ScorerOptions, type ScoringModel, type SubjectScore } from '../../src/detector/scorer.ts';
import { kycTier } from '../../src/kyc.ts';
import { ModelFormatError } from '../../src/forest/isolationForest.ts';
import { SeededRandom } from '../../src/random.ts';
import { HOUR, LONE_HARVESTER, population, PROMPT_MARKER, SPLIT_HARVEST } from './population.ts';
import { windowsOf, type Window } from './populationWindows.ts';


interface Run { alerts: DistillationAlert[]; perWindow: DistillationAlert[][]; scores: SubjectScore[]; scorer: WindowScorer }

function score(windows: readonly Window[], options: Partial<ScorerOptions> = {}, model?: ScoringModel): Run {
  const scorer = new WindowScorer({ ...parseDetectorConfig({}).scorer, ...options }, model);
  const scores: SubjectScore[] = [];
  scorer.onScore = (s) => scores.push(s);
  const perWindow = windows.map((w) => scorer.scoreWindow(w.start, w.end, w.records));
  return { alerts: perWindow.flat(), perWindow, scores, scorer };
}

const windows = windowsOf(5);
const trained = score(windows);
const model = trained.scorer.currentModel!;
// Single accounts alert on their first window above the threshold: members of the split
// harvest are then above it in the very window their campaign alerts.
const eager = score(windows, { confirmation: { windows: 1, spanMs: 4 * HOUR, minRequests: 0, oneWindowMargin: 1 } });

describe('WindowScorer: training', () => {
  it('raises no alert and holds no model until the warm-up has passed', () => {
    const scorer = new WindowScorer();
    const first = windows[0]!.end;
    for (const w of windows.filter((w) => w.end - first < scorer.options.warmupMs)) {
      expect(scorer.scoreWindow(w.start, w.end, w.records)).toEqual([]);
      expect(scorer.currentModel).toBeNull();
    }
    expect(model.trainedThrough - first).toBeGreaterThanOrEqual(scorer.options.warmupMs);
    expect(trained.alerts.length).toBeGreaterThan(0);
    expect(Math.min(...trained.alerts.map((a) => a.window_end))).toBeGreaterThanOrEqual(model.trainedThrough);
  });

  it('trains the same model from the same windows, whatever order the records of a window come in', () => {
    const random = new SeededRandom(9);
    const shuffled = windows.map((w) => {
      const records = [...w.records];
      for (let i = records.length - 1; i > 0; i--) {
        const j = random.nextInt(i + 1);
        [records[i], records[j]] = [records[j]!, records[i]!];
      }
      return { ...w, records };
    });
    const again = score(shuffled);
    expect(JSON.stringify(modelToJSON(again.scorer.currentModel!))).toBe(JSON.stringify(modelToJSON(model)));
    expect(JSON.stringify(again.alerts)).toBe(JSON.stringify(trained.alerts));
  });

  it('keeps at most trainingRowsPerDay rows of a day in the pool: those of smallest hash among all the day offered', () => {
    const cap = 24;
    const rowsByDay = (run: Run) => {
      const days = new Map<number, Array<[string, string]>>();
      for (const [key, row] of run.scorer.internals.pool) days.set(row.day, [...(days.get(row.day) ?? []), [row.hash, key]]);
      for (const rows of days.values()) rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
      return days;
    };
    const whole = rowsByDay(trained);
    const capped = rowsByDay(score(windows, { trainingRowsPerDay: cap }));
    expect([...whole.values()].some((rows) => rows.length > cap)).toBe(true);
    expect([...capped.keys()]).toEqual([...whole.keys()]);
    for (const [day, rows] of whole) expect(capped.get(day)).toEqual(rows.slice(0, cap));
  });

  it('names the model by its seed and the window end it was trained through', () => {
    expect(model.version).toBe(`iforest-v1-s42-${new Date(model.trainedThrough).toISOString().replace(/[-:]|\.\d+/g, '')}`);
  });
});

describe('WindowScorer: a published model', () => {
  const restored = modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(model))));

  it('survives a JSON round trip unchanged', () => {
    expect(JSON.stringify(modelToJSON(restored))).toBe(JSON.stringify(modelToJSON(model)));
  });

  it('gives identical scores and alerts after a JSON round trip', () => {
    const original = score(windows, {}, model);
    const fromJson = score(windows, {}, restored);
    expect(original.scores.length).toBeGreaterThan(windows.length);
    expect(fromJson.scores).toEqual(original.scores);
    expect(JSON.stringify(fromJson.alerts)).toBe(JSON.stringify(original.alerts));
  });

  it('is never retrained when given', () => {
    const fixed = score(windows, {}, restored);
    expect(fixed.scorer.currentModel).toBe(restored);
    expect(fixed.alerts.every((a) => a.model_version === model.version)).toBe(true);
  });

  it('rejects a document that is not a scoring model', () => {
    expect(() => modelFromJSON({ format: 'something-else' })).toThrow(/not a distillwatch scoring model/);
  });

  it('refuses a model of format version 1 (before the feature registry) with a ModelFormatError', () => {
    const v1 = { ...modelToJSON(model), formatVersion: 1 };
    expect(() => modelFromJSON(v1)).toThrow(ModelFormatError);
    expect(() => modelFromJSON(v1)).toThrow(/format version 1 is not supported/);
  });

  it('refuses, at start, a model trained on another feature set', () => {
    expect(() => new WindowScorer({}, { ...model, featureSet: 'features-0000000000000000' })).toThrow(ModelFormatError);
  });
});

describe('WindowScorer: alerts', () => {
  const all = [...trained.alerts, ...eager.alerts];

  it('covers every member of a campaign in its alert, with one alert for the campaign', () => {
    const campaigns = eager.alerts.filter((a) => a.subject_kind === 'campaign');
    expect(campaigns.length).toBeGreaterThan(0);
    for (const a of campaigns) {
      expect(a.accounts.map((r) => `${r.lab}/${r.account_id}`)).toEqual(SPLIT_HARVEST);
      expect(a.subject_id).toMatch(/^campaign-/);
    }
  });

  it('reports a member account above the threshold through its campaign alert in that window, not on its own', () => {
    const campaignWindows = eager.alerts.filter((a) => a.subject_kind === 'campaign').map((a) => a.window_end);
    const membersAbove = eager.scores.filter((s) => s.subject_kind === 'account' && s.alerted &&
      SPLIT_HARVEST.includes(s.subject_id) && campaignWindows.includes(s.window_end));
    expect(membersAbove.length).toBeGreaterThan(0);
    for (const s of membersAbove) {
      expect(eager.alerts.some((a) => a.subject_id === s.subject_id && a.window_end === s.window_end)).toBe(false);
    }
  });

  it('sets kyc_tier from the linked 30-day spend across labs, and spend fields from the windows', () => {
    const records = windows.flatMap((w) => w.records);
    const latest30d = (key: string, end: number) => records
      .filter((r) => `${r.lab}/${r.account_id}` === key && r.window_end <= end)
      .reduce((best, r) => (r.window_end > best.window_end ? r : best)).spend_usd_30d;
    for (const a of all) {
      const keys = a.accounts.map((r) => `${r.lab}/${r.account_id}`);
      expect(a.kyc_tier).toBe(kycTier(a.spend_usd_30d_all_labs));
      expect(a.spend_usd_30d).toBeLessThanOrEqual(a.spend_usd_30d_all_labs);
      const inWindow = records.filter((r) => r.window_end === a.window_end && keys.includes(`${r.lab}/${r.account_id}`));
      expect(a.spend_usd_window).toBeCloseTo(inWindow.reduce((s, r) => s + r.spend_usd_window, 0), 5);
      if (a.subject_kind === 'campaign') {
        const perLab = new Map<string, number>();
        for (const k of keys) perLab.set(k.split('/')[0]!, (perLab.get(k.split('/')[0]!) ?? 0) + latest30d(k, a.window_end));
        expect(a.spend_usd_30d_all_labs).toBeCloseTo([...perLab.values()].reduce((s, x) => s + x, 0), 5);
        expect(a.spend_usd_30d).toBeCloseTo(Math.max(...perLab.values()), 5);
      } else {
        expect(a.spend_usd_30d).toBeCloseTo(latest30d(a.subject_id, a.window_end), 5);
      }
    }
  });

  it('puts a harvest split across labs in the review tier though no lab alone sees $5,000', () => {
    const split = eager.alerts.find((a) => a.subject_kind === 'campaign')!;
    expect(split.spend_usd_30d).toBeLessThan(5_000);
    expect(split.spend_usd_30d_all_labs).toBeGreaterThanOrEqual(5_000);
    expect(split.kyc_tier).toBe('review');
  });

  it('lets an above-threshold campaign speak for its members: they never page one by one', () => {
    expect(all.some((a) => a.subject_kind === 'campaign')).toBe(true);
    expect(all.filter((a) => a.subject_kind === 'account' && SPLIT_HARVEST.includes(a.subject_id))).toEqual([]);
  });

  it('derives alert ids from subject, window and model version only', () => {
    const ids = all.map((a) => a.alert_id);
    expect(new Set(trained.alerts.map((a) => a.alert_id)).size).toBe(trained.alerts.length);
    // The same subject and window under the same model: the same id, however it was reached.
    const byKey = new Map<string, string>();
    for (const a of all) {
      const key = `${a.subject_id}|${a.window_end}|${a.model_version}`;
      expect(byKey.get(key) ?? a.alert_id).toBe(a.alert_id);
      byKey.set(key, a.alert_id);
    }
    expect(ids.every((id) => /^alert-[0-9a-f]{16}$/.test(id))).toBe(true);
    // Another model version: other ids for the same subjects and windows.
    const reseeded = score(windows, { seed: 43, confirmation: { windows: 1, spanMs: 4 * HOUR, minRequests: 0, oneWindowMargin: 1 } });
    const overlap = reseeded.alerts.filter((a) => eager.alerts.some((b) => b.subject_id === a.subject_id && b.window_end === a.window_end));
    expect(overlap.length).toBeGreaterThan(0);
    for (const a of overlap) expect(ids).not.toContain(a.alert_id);
  });

  it('explains every alert with at least 3 reasons, most important first', () => {
    for (const a of all) {
      expect(a.reasons.length).toBeGreaterThanOrEqual(3);
      for (const r of a.reasons) {
        expect(model.featureNames).toContain(r.feature);
        expect(Number.isFinite(r.value) && Number.isFinite(r.baseline)).toBe(true);
        expect(r.percentile).toBeGreaterThanOrEqual(0);
        expect(r.percentile).toBeLessThanOrEqual(100);
        expect(r.contribution).toBeGreaterThanOrEqual(0);
      }
      const contributions = a.reasons.map((r) => r.contribution);
      expect(contributions).toEqual([...contributions].sort((x, y) => y - x));
    }
  });

  it('alerts on the lone harvester, scores in [0, 1] above the threshold', () => {
    expect(all.some((a) => a.subject_id === LONE_HARVESTER)).toBe(true);
    for (const a of all) {
      expect(a.score).toBeGreaterThanOrEqual(a.threshold);
      expect(a.score).toBeLessThanOrEqual(1);
    }
  });

  it('reads breadth a lab did not label as neither corroborating nor refuting, unless unobservedBreadth says otherwise', () => {
    // lab-a as a lab that sends no topic labels: its accounts' breadth over days is not observed.
    const unlabelled = windows.map((w) => ({ ...w, records: w.records.map((r) => (r.lab === 'lab-a' ? { ...r, features: { ...r.features, topics_7d_log: 0 } } : r)) }));
    const harvesterScores = (run: Run) => run.scores.filter((x) => x.subject_id === LONE_HARVESTER);
    const neutral = score(unlabelled);
    const halved = score(unlabelled, { unobservedBreadth: 0.625 });
    expect(neutral.alerts.some((a) => a.subject_id === LONE_HARVESTER)).toBe(true);
    const [before, after] = [harvesterScores(neutral), harvesterScores(halved)];
    expect(after.length).toBe(before.length);
    expect(after.every((x, i) => x.facets.coverage! <= before[i]!.facets.coverage!)).toBe(true);
    expect(after.some((x, i) => x.facets.coverage! < before[i]!.facets.coverage!)).toBe(true);
  });

  it('never writes prompt text into an alert', () => {
    const text = JSON.stringify(all).toLowerCase();
    expect(text).not.toContain(PROMPT_MARKER);
    for (const prompt of population(5).prompts) expect(text).not.toContain(prompt.toLowerCase());
  });
});

describe('WindowScorer: a campaign judged by its strongest member', () => {
  // Two of the split harvest's accounts pay apart and are linked only by the network pair they
  // share (a swarm's proxy); the others keep their own cards and networks.
  const PAIR = ['lab-a/split-1', 'lab-a/split-2'];
  const hidden = windows.map((w) => ({ ...w, records: w.records.map((r) => {
    const key = `${r.lab}/${r.account_id}`;
    if (!SPLIT_HARVEST.includes(key)) return r;
    return { ...r, payment_fingerprints: [`card-${key}`], network_agents: PAIR.includes(key) ? ['203.0.113.0/24|swarm/1.0'] : r.network_agents };
  }) }));
  const average = score(hidden, { campaignStrongestMember: 0 });
  const strongest = score(hidden, { campaignStrongestMember: 1 });
  const campaignScores = (run: Run) => run.scores.filter((s) => s.subject_kind === 'campaign');

  it('raises a campaign of accounts that pay apart toward its strongest member', () => {
    const [before, after] = [campaignScores(average), campaignScores(strongest)];
    expect(before.length).toBeGreaterThan(0);
    expect(after.map((s) => s.subject_id)).toEqual(before.map((s) => s.subject_id));
    expect(after.every((s) => s.accounts.map((a) => `${a.lab}/${a.account_id}`).join() === PAIR.join())).toBe(true);
    expect(after.every((s, i) => s.score >= before[i]!.score)).toBe(true);
    expect(after.some((s, i) => s.score > before[i]!.score)).toBe(true);
  });

  it('moves neither the model nor any account score: the training pool keeps the combined rows', () => {
    expect(JSON.stringify(modelToJSON(strongest.scorer.currentModel!))).toBe(JSON.stringify(modelToJSON(average.scorer.currentModel!)));
    const accounts = (run: Run) => JSON.stringify(run.scores.filter((s) => s.subject_kind === 'account'));
    expect(accounts(strongest)).toBe(accounts(average));
  });

  it('leaves a campaign whose accounts share one card on its combined row', () => {
    expect(JSON.stringify(score(windows, { campaignStrongestMember: 0 }).scores)).toBe(JSON.stringify(trained.scores));
  });
});
