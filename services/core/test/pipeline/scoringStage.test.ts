// ScoringStage.trainAhead: a streaming scorer trains the next window's model between windows,
// once that window's first records are queued, and gets exactly the models and alerts of a
// stage that trains while scoring.
import { describe, expect, it } from 'vitest';
import type { DistillationAlert } from '../../src/schemas.generated.ts';
import { parseDetectorConfig } from '../../src/detector/config.ts';
import { WindowScorer } from '../../src/detector/scorer.ts';
import { ScoringStage } from '../../src/pipeline/scoringStage.ts';
import { windowsOf, type Window } from '../detector/populationWindows.ts';

const HOUR = 3_600_000;
const windows = windowsOf(5);
// Refreshed every 6 hours, so the population's windows see several models.
const options = { ...parseDetectorConfig({}).scorer, refreshMs: 6 * HOUR };
const stage = () => new ScoringStage(new WindowScorer(options));

interface Run { alerts: string; models: string[]; trainedAhead: number }

/** Windows arrive one after another; each is scored once the next one's records are queued. */
function stream(ws: readonly Window[], ahead: boolean): Run {
  const s = stage();
  const alerts: DistillationAlert[] = [];
  const models: string[] = [];
  let trainedAhead = 0;
  for (const r of ws[0]!.records) s.add(r);
  ws.forEach((w, i) => {
    for (const r of ws[i + 1]?.records ?? []) s.add(r);
    const step = s.scoreThrough(w.end);
    alerts.push(...step.alerts);
    models.push(...step.models.map((m) => m.version));
    const model = ahead ? s.trainAhead(HOUR) : null;
    if (model) { models.push(model.version); trainedAhead++; }
  });
  return { alerts: JSON.stringify(alerts), models, trainedAhead };
}

describe('ScoringStage.trainAhead', () => {
  it('trains each model before its window with the models and alerts of training while scoring', () => {
    const whileScoring = stream(windows, false);
    const ahead = stream(windows, true);
    expect(whileScoring.models.length).toBeGreaterThan(1);
    expect(ahead.trainedAhead).toBe(whileScoring.models.length);
    expect(ahead.models).toEqual(whileScoring.models);
    expect(ahead.alerts).toBe(whileScoring.alerts);
    expect(JSON.parse(ahead.alerts).length).toBeGreaterThan(0);
  });

  it('trains nothing for a window that does not directly follow the last scored one', () => {
    const s = stage();
    // Score up to the window before the first model is due, then queue only the window after next.
    const due = windows.findIndex((w) => w.end - windows[0]!.end >= options.warmupMs);
    expect(due).toBeGreaterThan(1);
    for (const w of windows.slice(0, due - 1)) { for (const r of w.records) s.add(r); s.scoreThrough(w.end); }
    const skipped = windows[due]!;
    expect(skipped.end - windows[due - 2]!.end).toBe(2 * HOUR);
    for (const r of skipped.records) s.add(r);
    expect(s.trainAhead(HOUR)).toBeNull();
    expect(s.scorer.currentModel).toBeNull();
    for (const r of windows[due - 1]!.records) s.add(r);
    expect(s.trainAhead(HOUR)).toBeNull();
    s.scoreThrough(windows[due - 1]!.end);
    expect(s.trainAhead(HOUR)?.version).toMatch(/^iforest-v1-/);
  });
});
