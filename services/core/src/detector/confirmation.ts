// ConfirmationGate: a single account must stay above the threshold for `windows` windows within
// `spanMs` of event time, holding `minRequests` requests together, before it can alert; a campaign alerts on its first window, because
// linking is already corroboration. One odd hour of an eval team's benchmark burst is not a
// page; a harvest that keeps going is, even one that works in bursts several hours apart
// (hence a span of half a day rather than a few hours). Pure, event-time only, bounded by the subjects that
// crossed within the span.

export interface ConfirmationOptions {
  /** Windows above the threshold an account needs within the span. Default 2. */
  windows: number;
  /** Event time within which those windows must fall. Default 12 h. */
  spanMs: number;
  /**
   * Requests those windows must hold together. Default 24: a handful of questions is too little
   * evidence of anything, however they score, so a light account needs more windows above the
   * threshold than a busy one before it alerts.
   */
  minRequests: number;
}

export const DEFAULT_CONFIRMATION: ConfirmationOptions = { windows: 2, spanMs: 12 * 3_600_000, minRequests: 24 };

/** A window above the threshold: its end and its requests. */
export type Crossing = [windowEnd: number, requests: number];

export class ConfirmationGate {
  readonly options: ConfirmationOptions;
  /** Subject -> windows above the threshold within the span, ascending by end. */
  private readonly recent = new Map<string, Crossing[]>();

  constructor(options: Partial<ConfirmationOptions> = {}) {
    this.options = { ...DEFAULT_CONFIRMATION, ...options };
  }

  /**
   * Records a window above the threshold with its requests; true when the subject is now
   * confirmed: `needed` such windows within the span, holding at least `minRequests` requests
   * (a subject that needs one window, a campaign, is confirmed at once).
   */
  confirm(subjectId: string, windowEnd: number, needed: number, requests: number): boolean {
    if (needed <= 1) return true;
    const kept = (this.recent.get(subjectId) ?? []).filter(([end]) => end > windowEnd - this.options.spanMs);
    kept.push([windowEnd, requests]);
    this.recent.set(subjectId, kept);
    let total = 0;
    for (const [, r] of kept) total += r;
    return kept.length >= needed && total >= this.options.minRequests;
  }

  /** The gate's memory as plain JSON: subject -> [window end, requests] above the threshold. */
  toJSON(): Record<string, Crossing[]> {
    return Object.fromEntries([...this.recent].map(([subject, crossings]) => [subject, crossings.map(([end, r]): Crossing => [end, r])]));
  }

  /**
   * A gate continuing from `toJSON`'s output. An earlier format listed only window ends: those
   * windows count with no requests, so at most the first alert after an upgrade waits longer.
   */
  static fromJSON(json: Record<string, Array<Crossing | number>>, options: Partial<ConfirmationOptions> = {}): ConfirmationGate {
    const gate = new ConfirmationGate(options);
    for (const [subject, crossings] of Object.entries(json)) {
      gate.recent.set(subject, crossings.map((c): Crossing => (typeof c === 'number' ? [c, 0] : [c[0], c[1]])));
    }
    return gate;
  }

  /** Forgets subjects with nothing inside the span (call once per window). */
  expire(windowEnd: number): void {
    for (const [subject, ends] of this.recent) {
      if (ends[ends.length - 1]![0] <= windowEnd - this.options.spanMs) this.recent.delete(subject);
    }
  }
}
