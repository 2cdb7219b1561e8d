/**
 * ScoringStage: the second half of the detection pipeline, from closed account-windows to
 * alerts. Records wait in the WindowQueue until the stream says their window is complete
 * (`completeThrough`: from the aggregator in `detect`, from every partition's progress report in
 * the scorer service); each complete window is then scored whole, oldest first, by the
 * WindowScorer. The step reports what the shell must write: alerts, models trained on the way,
 * and the windows scored with their accounts (the scorer service deletes their changelog
 * entries). Verdicts from on-call enter here as a third input (`addVerdict`), applied in event
 * time to the windows that end after them (verdicts/verdictBook.ts). Pure: no clock, no I/O.
 */
import type { AccountFeatures, AlertVerdict, DistillationAlert } from '../schemas.generated.ts';
import type { ScoringModel, WindowScorer } from '../detector/scorer.ts';
import { WindowQueue } from './windowQueue.ts';
import { VerdictBook } from '../verdicts/verdictBook.ts';

export interface ScoredWindow {
  end: number;
  /** `<lab>/<account_id>` of every record of the window. */
  accounts: string[];
}

export interface ScoringStep {
  alerts: DistillationAlert[];
  /** Models trained while scoring these windows, oldest first. */
  models: ScoringModel[];
  windows: ScoredWindow[];
}

export class ScoringStage {
  readonly scorer: WindowScorer;
  readonly queue: WindowQueue;

  constructor(scorer: WindowScorer, queue = new WindowQueue()) {
    this.scorer = scorer;
    this.queue = queue;
  }

  /** A closed account-window; false when its window is already scored. */
  add(record: AccountFeatures): boolean {
    return this.queue.add(record);
  }

  /** An on-call verdict: it applies to the windows scored from now on that end after its verdict_time. */
  addVerdict(verdict: AlertVerdict): void {
    (this.scorer.verdicts ??= new VerdictBook()).add(verdict);
  }

  /** Scores every queued window ending at or before `completeThrough`, oldest first. */
  scoreThrough(completeThrough: number): ScoringStep {
    const step: ScoringStep = { alerts: [], models: [], windows: [] };
    for (const w of this.queue.releaseThrough(completeThrough)) {
      const before = this.scorer.currentModel;
      step.alerts.push(...this.scorer.scoreWindow(w.start, w.end, w.records));
      const model = this.scorer.currentModel;
      if (model && model !== before) step.models.push(model);
      step.windows.push({ end: w.end, accounts: w.accounts });
    }
    return step;
  }

  /**
   * Trains the model of the next window now, when a refresh is due for it and the window is
   * certainly the next one scored: it directly follows the last scored window (`windowMs`
   * apart) and holds records. Training reads only the pool of windows already scored
   * (WindowScorer.modelFor), so the model and every alert are those that scoring would give;
   * a streaming scorer calls this between windows, so a window's alerts need not wait for its
   * model to be trained. Returns the model trained, or null.
   */
  trainAhead(windowMs: number): ScoringModel | null {
    const next = this.queue.releasedThrough + windowMs;
    if (!Number.isFinite(next) || !this.queue.holds(next)) return null;
    const before = this.scorer.currentModel;
    const model = this.scorer.modelFor(next);
    return model && model !== before ? model : null;
  }
}
