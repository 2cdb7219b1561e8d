// Forum: the federation's central party. It reads every lab's forum records, links accounts
// across labs by their tokens (and by behaviour, as the campaign linker does), sums linked
// 30-day spend across labs for the KYC tier, and scores accounts and campaigns with the very
// WindowScorer the central detector uses, over pseudonymised rows. Its alerts name accounts
// only as `{lab, pseudonym}`; each lab maps them back (labNode.ts).
//
// When a window is scored (the labs' progress, like partitions' for the scorer):
//   - window W is scored once every lab has completed W;
//   - a lab that reports it has no unread backlog (caught up) follows the leading lab, so a
//     quiet lab never stalls the forum;
//   - a lab with backlog holds the forum back at most `maxLabLagMs` behind the leading lab;
//     records it sends afterwards for windows already scored are dead-lettered and counted.
// Pure: no clock, no I/O, no key; it never sees a raw identifier.
import type { DetectorConfig } from '../detector/config.ts';
import { WindowScorer } from '../detector/scorer.ts';
import { ScoringStage } from '../pipeline/scoringStage.ts';
import type { DistillationAlert, ForumRecord } from '../schemas.generated.ts';
import { forumRecordToFeatures } from './forumRecord.ts';

export interface ForumOptions {
  /** How far (event time) a lab with backlog may hold the forum behind the leading lab. Default 1 h. */
  maxLabLagMs: number;
}

export const DEFAULT_FORUM_OPTIONS: ForumOptions = { maxLabLagMs: 3_600_000 };

/** A record the forum could not use: why, and which lab sent it (never its contents' raw meaning). */
export interface ForumDeadLetter {
  reason: 'late';
  lab: string;
  window_end: number;
}

export interface ForumCounters {
  records: number;
  late: number;
  windows: number;
  alerts: number;
}

interface LabProgress { completeThrough: number; caughtUp: boolean }

export class Forum {
  readonly options: ForumOptions;
  readonly counters: ForumCounters = { records: 0, late: 0, windows: 0, alerts: 0 };
  /** Late records by lab. */
  readonly lateByLab = new Map<string, number>();
  private readonly featureNames: readonly string[];
  private readonly scoring: ScoringStage;
  private readonly labs = new Map<string, LabProgress>();
  private scoredThrough = Number.NEGATIVE_INFINITY;
  private readonly windowsSeen = new Set<number>();

  constructor(config: DetectorConfig, featureNames: readonly string[], options: Partial<ForumOptions> = {}) {
    this.options = { ...DEFAULT_FORUM_OPTIONS, ...options };
    this.featureNames = featureNames;
    this.scoring = new ScoringStage(new WindowScorer(config.scorer));
  }

  /** One lab's record; a dead letter when its window was already scored. */
  accept(record: ForumRecord): ForumDeadLetter | null {
    this.counters.records++;
    if (record.we <= this.scoredThrough) {
      this.counters.late++;
      this.lateByLab.set(record.lab, (this.lateByLab.get(record.lab) ?? 0) + 1);
      return { reason: 'late', lab: record.lab, window_end: record.we };
    }
    if (!this.labs.has(record.lab)) this.labs.set(record.lab, { completeThrough: Number.NEGATIVE_INFINITY, caughtUp: false });
    this.windowsSeen.add(record.we);
    this.scoring.add(forumRecordToFeatures(record, this.featureNames));
    return null;
  }

  /** A lab's bridge reports: every window ending at or before `completeThrough` is sent; `caughtUp`: nothing unread. */
  progress(lab: string, completeThrough: number, caughtUp: boolean): void {
    this.labs.set(lab, { completeThrough, caughtUp });
  }

  /** The forum's own clock: every window ending at or before this may be scored. */
  get readyThrough(): number {
    if (this.labs.size === 0) return Number.NEGATIVE_INFINITY;
    let leader = Number.NEGATIVE_INFINITY;
    for (const p of this.labs.values()) leader = Math.max(leader, p.completeThrough);
    let ready = Number.POSITIVE_INFINITY;
    for (const p of this.labs.values()) {
      const bound = p.caughtUp ? leader : Math.max(p.completeThrough, leader - this.options.maxLabLagMs);
      ready = Math.min(ready, bound);
    }
    return ready;
  }

  /** Scores every window now complete; forum alerts sorted by window_end, then alert_id. */
  release(): DistillationAlert[] {
    return this.scoreThrough(this.readyThrough);
  }

  /** End of input: every lab has sent everything. */
  flush(): DistillationAlert[] {
    return this.scoreThrough(Number.POSITIVE_INFINITY);
  }

  private scoreThrough(through: number): DistillationAlert[] {
    if (!(through > this.scoredThrough)) return [];
    const { alerts } = this.scoring.scoreThrough(through);
    for (const end of this.windowsSeen) if (end <= through) { this.windowsSeen.delete(end); this.counters.windows++; }
    this.scoredThrough = through;
    this.counters.alerts += alerts.length;
    return alerts;
  }
}
