// Detector: the whole detection pipeline over one ordered stream of usage records, as `detect`
// and `replay` run it: EventIntake (validation, windows, features) -> ScoringStage (window
// queue, campaigns, forest, calibration, lifecycle) -> alerts in window_end, then alert_id
// order. The streaming services run the same two stages (pipeline/), one on each side of the
// account-features topic, so stream equals detect by construction. Pure: no clock, no I/O;
// same input, same alerts.
import type { AccountFeatures, DistillationAlert, UsageEvent } from '../schemas.generated.ts';
import { parseUsageEventLine, type ParseResult, type Rejection } from '../events/parse.ts';
import { Aggregator } from './aggregator.ts';
import { WindowScorer, type ScoringModel } from './scorer.ts';
import type { DetectorConfig } from './config.ts';
import { DEFAULT_DETECTOR_CONFIG } from './config.ts';
import { EventIntake, type IntakeCounters, type IntakeStep } from '../pipeline/eventIntake.ts';
import { ScoringStage } from '../pipeline/scoringStage.ts';
import type { VerdictBook } from '../verdicts/verdictBook.ts';

export interface DetectorCounters extends IntakeCounters {
  lines: number;
  alerts: number;
}

/** What one line or event did: a rejection for the dead-letter output, and any alerts it released. */
export interface DetectorStep {
  rejection: Rejection | null;
  alerts: DistillationAlert[];
}

export class Detector {
  readonly config: DetectorConfig;
  readonly counters: DetectorCounters = { lines: 0, blank: 0, events: 0, rejected: 0, late: 0, duplicates: 0, windows: 0, alerts: 0 };
  readonly intake: EventIntake;
  readonly scoring: ScoringStage;
  /** Called with every closed account-window record (for `--features-out`). */
  onRecord: ((record: AccountFeatures) => void) | null = null;

  constructor(config: DetectorConfig = DEFAULT_DETECTOR_CONFIG, model?: ScoringModel) {
    this.config = config;
    this.intake = new EventIntake(new Aggregator(config.windows), this.counters);
    this.scoring = new ScoringStage(new WindowScorer(config.scorer, model));
  }

  /** Called with every scored subject-window (for `--scores-out`). */
  set onScore(f: WindowScorer['onScore']) { this.scoring.scorer.onScore = f; }

  /** On-call verdicts to apply, each from its verdict_time on (see verdicts/verdictBook.ts). */
  set verdicts(book: VerdictBook | null) { this.scoring.scorer.verdicts = book; }

  /** The model in force (trained during the run, or given). */
  get model(): ScoringModel | null { return this.scoring.scorer.currentModel; }

  /** Accounts held in memory (what memory grows with). */
  get activeAccounts(): number { return this.intake.aggregator.accountCount; }

  /** One NDJSON line, numbered from 1. */
  pushLine(text: string, line: number): DetectorStep {
    return this.pushParsed(parseUsageEventLine(text, line), line, () => text);
  }

  /**
   * One NDJSON line already parsed with `parseUsageEventLine` (e.g. in a worker thread);
   * `text` gives the line itself, read only when the event turns out to be late.
   */
  pushParsed(parsed: ParseResult, line: number, text: () => string): DetectorStep {
    this.counters.lines++;
    return this.step(this.intake.accept(parsed, line, text));
  }

  /** One valid event. Returns the alerts it released, or LATE when it was too late to count. */
  pushEvent(event: UsageEvent): DistillationAlert[] | typeof LATE {
    const step = this.intake.accept({ kind: 'event', event }, 0, () => JSON.stringify(event));
    return step.outcome === 'late' ? LATE : this.step(step).alerts;
  }

  /** End of input: closes and scores everything still open. */
  flush(): DistillationAlert[] {
    return this.score(this.intake.flush(), Number.POSITIVE_INFINITY);
  }

  private step(step: IntakeStep): DetectorStep {
    if (step.outcome !== 'event') return { rejection: step.rejection, alerts: [] };
    return { rejection: null, alerts: this.score(step.records, this.intake.aggregator.completeThrough) };
  }

  private score(records: readonly AccountFeatures[], completeThrough: number): DistillationAlert[] {
    for (const r of records) {
      this.onRecord?.(r);
      this.scoring.add(r);
    }
    const { alerts } = this.scoring.scoreThrough(completeThrough);
    this.counters.alerts += alerts.length;
    return alerts;
  }
}

/** Marker returned by `Detector.pushEvent` for an event too late to count. */
export const LATE: unique symbol = Symbol('late');
