// The state the streaming services changelog: an aggregator and a scorer stopped at any window,
// saved as JSON and restored, must go on to the same account-windows, scores and alerts as an
// uninterrupted run. This is what makes a crash or a rebalance invisible in the alerts.
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../../src/detector/aggregator.ts';
import { WindowScorer, modelFromJSON, modelToJSON, type SubjectScore } from '../../src/detector/scorer.ts';
import { restoreScorerState, scorerStateToJSON, ScorerStateFormatError } from '../../src/detector/scorerState.ts';
import type { AccountFeatures, DistillationAlert, UsageEvent } from '../../src/schemas.generated.ts';
import { SUBJECTS, HOUR, T0, event, harvestQuestion } from '../features/traffic.ts';

const SCORER = { warmupMs: 3 * HOUR, refreshMs: 4 * HOUR, trees: 20, sampleSize: 64 };

/** 48 accounts over 14 hours: ordinary users, and a few that sweep topics with long answers. */
function traffic(): UsageEvent[] {
  const events: UsageEvent[] = [];
  for (let h = 0; h < 14; h++) {
    for (let a = 0; a < 48; a++) {
      const harvester = a % 12 === 0;
      const n = harvester ? 30 : 3 + (a % 5);
      for (let i = 0; i < n; i++) {
        const k = h * 1000 + a * 50 + i;
        events.push(event({
          event_id: `e-${k}`, account_id: `acct-${a}`, lab: a % 3 === 0 ? 'lab-b' : 'lab-a',
          event_time: T0 + h * HOUR + Math.floor((i * HOUR) / n) + a * 1000,
          output_tokens: harvester ? 3000 : 150 + (a * 37) % 300, input_tokens: 80 + (a * 13) % 90,
          topic: harvester ? SUBJECTS[k % SUBJECTS.length]! : SUBJECTS[a % 4]!,
          prompt_text: harvester ? harvestQuestion(k) : `help me with ${SUBJECTS[a % 4]} task ${i % 3}`,
          reasoning_effort: harvester ? 'high' : null, max_tokens: harvester ? 8192 : 512,
          payment_fingerprint: `pf-${a}`,
        }));
      }
    }
  }
  return events.sort((x, y) => x.event_time - y.event_time);
}

interface Outcome { records: string[]; scores: SubjectScore[]; alerts: DistillationAlert[] }

/**
 * Runs events -> aggregator -> scorer, scoring each window once the aggregator has completed it;
 * with `interrupt`, both are saved as JSON and restored from it whenever a window is scored.
 */
function run(events: readonly UsageEvent[], interrupt: boolean): Outcome {
  let aggregator = new Aggregator();
  let scorer = new WindowScorer(SCORER);
  const out: Outcome = { records: [], scores: [], alerts: [] };
  scorer.onScore = (s) => out.scores.push(s);
  const pending = new Map<number, AccountFeatures[]>();
  const models = new Map<string, string>();
  const score = (through: number) => {
    for (const end of [...pending.keys()].filter((e) => e <= through).sort((a, b) => a - b)) {
      const records = pending.get(end)!;
      pending.delete(end);
      out.alerts.push(...scorer.scoreWindow(records[0]!.window_start, end, records));
      if (!interrupt) continue;
      const model = scorer.currentModel;
      if (model) models.set(model.version, JSON.stringify(modelToJSON(model)));
      const state = JSON.parse(JSON.stringify(scorerStateToJSON(scorer)));
      scorer = new WindowScorer(SCORER);
      scorer.onScore = (s) => out.scores.push(s);
      restoreScorerState(scorer, state, state.modelVersion === null ? null : modelFromJSON(JSON.parse(models.get(state.modelVersion)!)));
      aggregator = Aggregator.restore({}, JSON.parse(JSON.stringify(aggregator.snapshot())));
    }
  };
  const take = (records: AccountFeatures[]) => {
    for (const r of records) {
      out.records.push(JSON.stringify(r));
      pending.set(r.window_end, [...(pending.get(r.window_end) ?? []), r]);
    }
  };
  for (const e of events) {
    take(aggregator.push(e).records);
    score(aggregator.completeThrough);
  }
  take(aggregator.flush());
  score(Number.POSITIVE_INFINITY);
  return out;
}

describe('streaming state (aggregator snapshot, scorer state)', () => {
  const events = traffic();
  const reference = run(events, false);

  it('is exercised by a run that trains a model and raises alerts', () => {
    expect(reference.scores.length).toBeGreaterThan(100);
    expect(reference.alerts.length).toBeGreaterThan(0);
  });

  it('gives the same account-windows, scores and alerts when saved and restored at every window', () => {
    const restored = run(events, true);
    expect(restored.records).toEqual(reference.records);
    expect(restored.scores).toEqual(reference.scores);
    expect(restored.alerts).toEqual(reference.alerts);
  });

  it('refuses a state of another format version or feature set with a ScorerStateFormatError', () => {
    const state = scorerStateToJSON(new WindowScorer(SCORER));
    const restore = (s: unknown) => () => restoreScorerState(new WindowScorer(SCORER), s as typeof state, null);
    expect(restore({ ...state, formatVersion: 1 })).toThrow(ScorerStateFormatError);
    expect(restore({ ...state, formatVersion: 1 })).toThrow(/version 1 cannot be restored/);
    expect(restore({ ...state, featureSet: 'features-0000000000000000' })).toThrow(/feature set features-0000000000000000/);
    expect(restore({ ...state, format: 'other' })).toThrow(ScorerStateFormatError);
  });

  it('refuses a state with a model other than the one it names', () => {
    const scorer = new WindowScorer(SCORER);
    const state = { ...scorerStateToJSON(scorer), modelVersion: 'iforest-v1-other' };
    expect(() => restoreScorerState(new WindowScorer(SCORER), state, null)).toThrow(/needs model iforest-v1-other/);
  });
});

