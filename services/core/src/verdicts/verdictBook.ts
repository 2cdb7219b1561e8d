/**
 * VerdictBook: the on-call verdicts in force, applied in event time, and what the scorer learns
 * from them.
 *
 * Time rules, first:
 * - A verdict applies to the windows with `window_end > verdict_time`, and, when it has one,
 *   `window_end <= expires_at`. The scorer calls `beginWindow(window_end)` before it scores a
 *   window, which activates every verdict whose time has passed. A verdict added after that
 *   window was begun applies from the next one: offline, replay and streaming agree whenever
 *   the verdict is in the book before the windows after its time are scored.
 * - Per subject the verdict with the latest `verdict_time` wins (ties: the larger of alert id,
 *   then verdict kind, so any arrival order gives the same book). `unsure` replaces an earlier
 *   verdict and does nothing else.
 *
 * What a verdict does:
 * - **benign** mutes the subject (and each account it lists, when that account alerts alone):
 *   its windows stay below the threshold unless its behaviour changes materially against the
 *   window judged (the subject's latest window above the threshold before the verdict):
 *   its unsupervised score rises by at least `scoreMargin` (0.05), or its campaign has more
 *   accounts. A muted window counts as below the threshold for the alert lifecycle.
 * - **benign** and **distillation** each give the learner one example (see verdictNeighbours.ts):
 *   look-alikes of benign subjects score lower, look-alikes of campaigns higher.
 *
 * Pure: no clock, no I/O; the whole state serialises to versioned JSON (`toJSON`/`fromJSON`), so
 * it persists in the scorer's changelog and replays. It never reads or copies the `note`.
 */
import { Severity_SYMBOLS, type AlertVerdict, type Severity } from '../schemas.generated.ts';
import { DEFAULT_VERDICT_NEIGHBOURS, neighbourShift, type VerdictExample, type VerdictNeighboursOptions } from './verdictNeighbours.ts';

const DAY = 86_400_000;

export interface VerdictBookOptions {
  /** Unsupervised score rise over the judged window that ends a benign verdict's mute. Default 0.05. */
  scoreMargin: number;
  /** How long a subject's latest window above the threshold is remembered for a verdict to judge. Default 7 days. */
  judgedWindowTtlMs: number;
  neighbours: VerdictNeighboursOptions;
}

export const DEFAULT_VERDICT_BOOK_OPTIONS: VerdictBookOptions = {
  scoreMargin: 0.05,
  judgedWindowTtlMs: 7 * DAY,
  neighbours: DEFAULT_VERDICT_NEIGHBOURS,
};

/** A subject's window as the scorer saw it: what a verdict judges and later compares against. */
export interface JudgedWindow {
  windowEnd: number;
  /** The forest's view of the window (percentiles floored at 0.5). */
  row: number[];
  /** Unsupervised score. */
  score: number;
  severity: Severity;
  members: number;
}

interface ActiveVerdict {
  verdict: AlertVerdict;
  /** The window judged; null until the subject is seen above the threshold. */
  judged: JudgedWindow | null;
}

/** A verdict book document that cannot be read. */
export class VerdictBookFormatError extends Error {
  override readonly name = 'VerdictBookFormatError';
  readonly retriable = false;
}

export interface VerdictBookJSON {
  format: 'distillwatch.verdict-book';
  formatVersion: 1;
  /** Verdicts not yet in force, in activation order. */
  pending: AlertVerdict[];
  /** Subject -> the verdict in force and the window it judged, by subject id. */
  active: Array<[string, AlertVerdict, JudgedWindow | null]>;
  /** Subject -> its latest window above the threshold, by subject id. */
  seen: Array<[string, JudgedWindow]>;
  /** The latest window begun (null before the first). */
  begunThrough: number | null;
}

export class VerdictBook {
  readonly options: VerdictBookOptions;
  private pending: AlertVerdict[] = [];
  private readonly active = new Map<string, ActiveVerdict>();
  private readonly seen = new Map<string, JudgedWindow>();
  private begunThrough: number | null = null;
  /** Derived from `active`; rebuilt when it changes. */
  private examples: VerdictExample[] = [];
  private benignByAccount = new Map<string, string>();

  constructor(options: Partial<VerdictBookOptions> = {}) {
    this.options = { ...DEFAULT_VERDICT_BOOK_OPTIONS, ...options };
  }

  /** Verdicts waiting for their time, plus those in force. */
  get size(): number { return this.pending.length + this.active.size; }

  /** Adds a verdict; it applies from the first window begun after its `verdict_time`. */
  add(verdict: AlertVerdict): void {
    this.pending.push(verdict);
    this.pending.sort(activationOrder);
  }

  /** Activates the verdicts whose time has passed and drops those expired; call before scoring the window. */
  beginWindow(windowEnd: number): void {
    this.begunThrough = windowEnd;
    let changed = false;
    while (this.pending.length > 0 && this.pending[0]!.verdict_time < windowEnd) {
      const verdict = this.pending.shift()!;
      if (verdict.expires_at != null && verdict.expires_at < windowEnd) continue;
      const held = this.seen.get(verdict.subject_id);
      this.active.set(verdict.subject_id, { verdict, judged: held && held.windowEnd <= verdict.verdict_time ? held : null });
      changed = true;
    }
    for (const [subject, a] of this.active) {
      if (a.verdict.expires_at != null && a.verdict.expires_at < windowEnd) { this.active.delete(subject); changed = true; }
    }
    if (windowEnd % DAY === 0) {
      for (const [subject, w] of this.seen) if (w.windowEnd <= windowEnd - this.options.judgedWindowTtlMs) this.seen.delete(subject);
    }
    if (changed) this.reindex();
  }

  /** How far the verdicts move a score for a subject whose forest view is `row` (0 before enough verdicts). */
  shift(row: ArrayLike<number>): number {
    return neighbourShift(row, this.examples, this.options.neighbours);
  }

  /**
   * Records a scored subject-window (unsupervised score, severity before any mute), and tells
   * whether a benign verdict mutes it. `severity` null means below the threshold: nothing to mute.
   */
  judge(subjectId: string, window: JudgedWindow | null): boolean {
    if (window === null) return false;
    this.seen.set(subjectId, window);
    const own = this.active.get(subjectId);
    if (own && own.judged === null && own.verdict.verdict !== 'unsure') { own.judged = window; this.reindex(); }
    const benign = own?.verdict.verdict === 'benign' ? own
      : own ? undefined : this.active.get(this.benignByAccount.get(subjectId) ?? '');
    if (!benign?.judged) return false;
    return !this.materiallyChanged(benign.judged, window);
  }

  private materiallyChanged(judged: JudgedWindow, now: JudgedWindow): boolean {
    return now.score >= judged.score + this.options.scoreMargin || now.members > judged.members;
  }

  private reindex(): void {
    const subjects = [...this.active.keys()].sort(cmp);
    this.examples = subjects.flatMap((subjectId) => {
      const a = this.active.get(subjectId)!;
      if (!a.judged || a.verdict.verdict === 'unsure') return [];
      return [{ subjectId, row: a.judged.row, label: a.verdict.verdict === 'benign' ? -1 as const : 1 as const }];
    });
    this.benignByAccount = new Map();
    for (const subjectId of subjects) {
      const a = this.active.get(subjectId)!;
      if (a.verdict.verdict !== 'benign') continue;
      for (const acc of a.verdict.accounts) {
        const key = `${acc.lab}/${acc.account_id}`;
        if (key !== subjectId && !this.benignByAccount.has(key)) this.benignByAccount.set(key, subjectId);
      }
    }
  }

  toJSON(): VerdictBookJSON {
    return {
      format: 'distillwatch.verdict-book', formatVersion: 1,
      pending: this.pending.map((v) => ({ ...v })),
      active: [...this.active.keys()].sort(cmp).map((s) => [s, { ...this.active.get(s)!.verdict }, this.active.get(s)!.judged]),
      seen: [...this.seen.keys()].sort(cmp).map((s) => [s, this.seen.get(s)!]),
      begunThrough: this.begunThrough,
    };
  }

  static fromJSON(json: unknown, options: Partial<VerdictBookOptions> = {}): VerdictBook {
    const doc = (typeof json === 'object' && json !== null ? json : {}) as Partial<VerdictBookJSON>;
    if (doc.format !== 'distillwatch.verdict-book' || doc.formatVersion !== 1) {
      throw new VerdictBookFormatError('not a distillwatch.verdict-book version 1 document');
    }
    if (!Array.isArray(doc.pending) || !Array.isArray(doc.active) || !Array.isArray(doc.seen)) {
      throw new VerdictBookFormatError('verdict book lacks pending, active or seen');
    }
    const book = new VerdictBook(options);
    book.pending = doc.pending.map((v) => ({ ...v })).sort(activationOrder);
    for (const [s, verdict, judged] of doc.active) book.active.set(s, { verdict: { ...verdict }, judged: judged && judgedWindow(judged, s) });
    for (const [s, w] of doc.seen) book.seen.set(s, judgedWindow(w, s));
    book.begunThrough = doc.begunThrough ?? null;
    book.reindex();
    return book;
  }
}

function judgedWindow(w: JudgedWindow, subject: string): JudgedWindow {
  if (!Number.isFinite(w?.windowEnd) || !Number.isFinite(w.score) || !Number.isInteger(w.members) ||
    !Severity_SYMBOLS.includes(w.severity) || !Array.isArray(w.row)) {
    throw new VerdictBookFormatError(`judged window of ${subject} is malformed`);
  }
  return { windowEnd: w.windowEnd, row: [...w.row], score: w.score, severity: w.severity, members: w.members };
}

/** Verdict time, then subject, alert id and kind: activation is the same in any arrival order. */
function activationOrder(a: AlertVerdict, b: AlertVerdict): number {
  return a.verdict_time - b.verdict_time || cmp(a.subject_id, b.subject_id) || cmp(a.alert_id ?? '', b.alert_id ?? '') || cmp(a.verdict, b.verdict);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
