/**
 * Decides, per alert subject (an account or a campaign), whether a window above the threshold
 * becomes an alert, so that on-call people get one alert per episode instead of one per hour:
 * an alert when the subject first crosses the threshold; another only when its severity rises
 * above the highest already alerted or its campaign has more accounts than when last alerted;
 * and the subject is re-armed (its next crossing alerts again) once it has spent a full day of
 * event time below the threshold or silent. Pure and event-time only: it must never read a
 * clock, and its whole state is plain JSON so a streaming service can changelog and restore it.
 */
import { Severity_SYMBOLS, type Severity } from '../schemas.generated.ts';

export const DEFAULT_REARM_AFTER_MS = 24 * 60 * 60 * 1000;

export interface AlertLifecycleOptions {
  /** Event time a subject must spend below the threshold before its next crossing alerts again. Default 24 h. */
  rearmAfterMs?: number;
  /**
   * How far behind the latest window end a subject's state is kept after it was re-armed. A
   * re-armed subject decides exactly like an unknown one, so forgetting it changes nothing for
   * windows that start after the forget point; this slack only covers windows that reach the
   * lifecycle out of event-time order. Default 24 h.
   */
  forgetAfterMs?: number;
}

/** One scored window of one subject. */
export interface SubjectWindow {
  subjectId: string;
  /** Epoch ms, inclusive. */
  windowStart: number;
  /** Epoch ms, exclusive. */
  windowEnd: number;
  /** Null when the score does not exceed the threshold. */
  severity: Severity | null;
  /** Accounts the subject covers: 1 for an account, the member count for a campaign. */
  memberCount: number;
}

export type AlertCause = 'first-crossing' | 'severity-rose' | 'campaign-grew';

export type LifecycleDecision = { emit: true; cause: AlertCause } | { emit: false };

/** What the lifecycle remembers about a subject that has alerted and is not yet re-armed. */
export interface SubjectAlertState {
  /** End of the subject's latest window above the threshold. */
  lastAboveEnd: number;
  /** Highest severity alerted since the subject last crossed. */
  alertedSeverity: Severity;
  /** Largest member count alerted since the subject last crossed. */
  alertedMembers: number;
}

export interface AlertLifecycleJSON {
  format: 'distillwatch.alert-lifecycle';
  version: 1;
  rearmAfterMs: number;
  forgetAfterMs: number;
  /** Latest window end seen, epoch ms (null before the first window). */
  latestWindowEnd: number | null;
  /** Subject id → state, in ascending id order. */
  subjects: Record<string, SubjectAlertState>;
}

const severityRank = (severity: Severity): number => Severity_SYMBOLS.indexOf(severity);

export class AlertLifecycle {
  readonly rearmAfterMs: number;
  readonly forgetAfterMs: number;
  private readonly subjects = new Map<string, SubjectAlertState>();
  private latestWindowEnd: number | null = null;

  constructor(options: AlertLifecycleOptions = {}) {
    this.rearmAfterMs = options.rearmAfterMs ?? DEFAULT_REARM_AFTER_MS;
    this.forgetAfterMs = options.forgetAfterMs ?? DEFAULT_REARM_AFTER_MS;
    if (!(this.rearmAfterMs > 0)) throw new RangeError(`rearmAfterMs must be positive, got ${this.rearmAfterMs}`);
    if (!(this.forgetAfterMs >= 0)) throw new RangeError(`forgetAfterMs must be non-negative, got ${this.forgetAfterMs}`);
  }

  /** Number of subjects currently remembered (alerted and not yet forgotten). */
  get size(): number {
    return this.subjects.size;
  }

  /** Whether this window of the subject becomes an alert; updates the subject's state. */
  decide(window: SubjectWindow): LifecycleDecision {
    const { subjectId, windowStart, windowEnd, severity, memberCount } = window;
    if (!(windowEnd > windowStart)) throw new RangeError(`window of ${subjectId} ends at ${windowEnd}, not after its start ${windowStart}`);
    if (!Number.isInteger(memberCount) || memberCount < 1) throw new RangeError(`memberCount must be a positive integer, got ${memberCount}`);
    if (this.latestWindowEnd === null || windowEnd > this.latestWindowEnd) {
      this.latestWindowEnd = windowEnd;
      this.forgetRearmed(windowEnd);
    }
    if (severity === null) return { emit: false };

    const known = this.subjects.get(subjectId);
    // Below-threshold and silent time both count: only the gap since the last crossing matters.
    if (known === undefined || windowStart - known.lastAboveEnd >= this.rearmAfterMs) {
      this.subjects.set(subjectId, { lastAboveEnd: windowEnd, alertedSeverity: severity, alertedMembers: memberCount });
      return { emit: true, cause: 'first-crossing' };
    }
    known.lastAboveEnd = Math.max(known.lastAboveEnd, windowEnd);
    if (severityRank(severity) > severityRank(known.alertedSeverity)) {
      known.alertedSeverity = severity;
      known.alertedMembers = Math.max(known.alertedMembers, memberCount);
      return { emit: true, cause: 'severity-rose' };
    }
    if (memberCount > known.alertedMembers) {
      known.alertedMembers = memberCount;
      return { emit: true, cause: 'campaign-grew' };
    }
    return { emit: false };
  }

  toJSON(): AlertLifecycleJSON {
    const subjects: Record<string, SubjectAlertState> = {};
    for (const id of [...this.subjects.keys()].sort()) subjects[id] = { ...this.subjects.get(id)! };
    return {
      format: 'distillwatch.alert-lifecycle',
      version: 1,
      rearmAfterMs: this.rearmAfterMs,
      forgetAfterMs: this.forgetAfterMs,
      latestWindowEnd: this.latestWindowEnd,
      subjects,
    };
  }

  /** Restores a lifecycle saved with `toJSON`; throws a RangeError on anything else. */
  static fromJSON(json: unknown): AlertLifecycle {
    const doc = (typeof json === 'object' && json !== null ? json : {}) as Partial<AlertLifecycleJSON>;
    if (doc.format !== 'distillwatch.alert-lifecycle' || doc.version !== 1) {
      throw new RangeError('not a distillwatch.alert-lifecycle version 1 document');
    }
    const lifecycle = new AlertLifecycle({ rearmAfterMs: doc.rearmAfterMs!, forgetAfterMs: doc.forgetAfterMs! });
    if (doc.latestWindowEnd !== null && !Number.isFinite(doc.latestWindowEnd)) {
      throw new RangeError('alert lifecycle latestWindowEnd must be a number or null');
    }
    lifecycle.latestWindowEnd = doc.latestWindowEnd ?? null;
    for (const [id, state] of Object.entries(doc.subjects ?? {})) {
      if (
        !Number.isFinite(state?.lastAboveEnd) ||
        !Severity_SYMBOLS.includes(state?.alertedSeverity) ||
        !Number.isInteger(state?.alertedMembers)
      ) {
        throw new RangeError(`alert lifecycle state of ${id} is malformed`);
      }
      lifecycle.subjects.set(id, { ...state });
    }
    return lifecycle;
  }

  private forgetRearmed(latestWindowEnd: number): void {
    const horizon = latestWindowEnd - this.rearmAfterMs - this.forgetAfterMs;
    for (const [id, state] of this.subjects) {
      if (state.lastAboveEnd <= horizon) this.subjects.delete(id);
    }
  }
}
