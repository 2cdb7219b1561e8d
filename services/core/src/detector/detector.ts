// Detector: the whole detection path over one ordered stream of usage events, as `detect` and
// `replay` run it: events -> Aggregator (windows, features) -> WindowQueue (waits until every
// account-window of a window is in) -> WindowScorer (campaigns, forest, calibration, lifecycle)
// -> alerts in window_end, then alert_id order. The streaming services run the same three
// pieces connected by Kafka topics. Pure: no clock, no I/O; same input, same alerts.
import type { AccountFeatures, DistillationAlert, UsageEvent } from '../schemas.generated.ts';
import { parseUsageEventLine, type Rejection } from '../events/parse.ts';
import { FEATURE_NAMES } from '../features/extractFeatures.ts';
import { Aggregator } from './aggregator.ts';
import { WindowScorer, type ScoringModel } from './scorer.ts';
import type { DetectorConfig } from './config.ts';
import { DEFAULT_DETECTOR_CONFIG } from './config.ts';
import type { VerdictBook } from '../verdicts/verdictBook.ts';

/**
 * Holds closed account-windows until their window is complete (no account can add one any
 * more), then hands each window to the scorer, oldest first.
 */
export class WindowQueue {
  private readonly pending = new Map<number, AccountFeatures[]>();
  private scoredThrough = Number.NEGATIVE_INFINITY;
  private readonly scorer: WindowScorer;
  /** Records that arrived for a window already scored (cannot happen with the Aggregator's rules). */
  dropped = 0;

  constructor(scorer: WindowScorer) {
    this.scorer = scorer;
  }

  add(record: AccountFeatures): void {
    if (record.window_end <= this.scoredThrough) { this.dropped++; return; }
    let list = this.pending.get(record.window_end);
    if (!list) { list = []; this.pending.set(record.window_end, list); }
    list.push(record);
  }

  /** Scores every pending window ending at or before `completeThrough`, oldest first. */
  scoreThrough(completeThrough: number): DistillationAlert[] {
    if (this.pending.size === 0) return [];
    const ready = [...this.pending.keys()].filter((end) => end <= completeThrough).sort((a, b) => a - b);
    const alerts: DistillationAlert[] = [];
    for (const end of ready) {
      const records = this.pending.get(end)!;
      this.pending.delete(end);
      this.scoredThrough = end;
      alerts.push(...this.scorer.scoreWindow(records[0]!.window_start, end, records));
    }
    return alerts;
  }

  get pendingWindows(): number { return this.pending.size; }
}

export interface DetectorCounters {
  lines: number;
  blank: number;
  events: number;
  rejected: number;
  late: number;
  duplicates: number;
  windows: number;
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
  private readonly aggregator: Aggregator;
  private readonly scorer: WindowScorer;
  private readonly queue: WindowQueue;
  /** Called with every closed account-window record (for `--features-out`). */
  onRecord: ((record: AccountFeatures) => void) | null = null;

  constructor(config: DetectorConfig = DEFAULT_DETECTOR_CONFIG, model?: ScoringModel) {
    this.config = config;
    this.aggregator = new Aggregator(config.windows);
    this.scorer = new WindowScorer(FEATURE_NAMES, config.scorer, model);
    this.queue = new WindowQueue(this.scorer);
  }

  /** Called with every scored subject-window (for `--scores-out`). */
  set onScore(f: WindowScorer['onScore']) { this.scorer.onScore = f; }

  /** On-call verdicts to apply, each from its verdict_time on (see verdicts/verdictBook.ts). */
  set verdicts(book: VerdictBook | null) { this.scorer.verdicts = book; }

  /** The model in force (trained during the run, or given). */
  get model(): ScoringModel | null { return this.scorer.currentModel; }

  /** Accounts held in memory (what memory grows with). */
  get activeAccounts(): number { return this.aggregator.accountCount; }

  /** One NDJSON line, numbered from 1. */
  pushLine(text: string, line: number): DetectorStep {
    this.counters.lines++;
    const parsed = parseUsageEventLine(text, line);
    if (parsed.kind === 'blank') { this.counters.blank++; return { rejection: null, alerts: [] }; }
    if (parsed.kind === 'rejected') { this.counters.rejected++; return { rejection: parsed.rejection, alerts: [] }; }
    const alerts = this.pushEvent(parsed.event);
    if (alerts === LATE) {
      return { rejection: { line, reason: 'late', field: 'event_time', raw: text.length > 1000 ? text.slice(0, 1000) : text }, alerts: [] };
    }
    return { rejection: null, alerts };
  }

  /** One valid event. Returns the alerts it released, or LATE when it was too late to count. */
  pushEvent(event: UsageEvent): DistillationAlert[] | typeof LATE {
    this.counters.events++;
    const { outcome, records } = this.aggregator.push(event);
    if (outcome === 'duplicate') { this.counters.duplicates++; return []; }
    if (outcome === 'late') { this.counters.late++; return LATE; }
    for (const r of records) this.take(r);
    return this.release(this.queue.scoreThrough(this.aggregator.completeThrough));
  }

  /** End of input: closes and scores everything still open. */
  flush(): DistillationAlert[] {
    for (const r of this.aggregator.flush()) this.take(r);
    return this.release(this.queue.scoreThrough(Number.POSITIVE_INFINITY));
  }

  private take(record: AccountFeatures): void {
    this.counters.windows++;
    this.onRecord?.(record);
    this.queue.add(record);
  }

  private release(alerts: DistillationAlert[]): DistillationAlert[] {
    this.counters.alerts += alerts.length;
    return alerts;
  }
}

/** Marker returned by `Detector.pushEvent` for an event too late to count. */
export const LATE: unique symbol = Symbol('late');
