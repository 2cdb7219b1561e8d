// ConfirmationGate: a subject (an account or a campaign) must stay above the threshold for
// `windows` windows within `spanMs` of event time, holding `minRequests` requests together,
// before it can alert, unless a single busy window scores far above the threshold. One odd hour
// of an eval team's benchmark burst, or of a company's accounts on several labs, is not a page;
// a harvest that keeps going is, even one that works in bursts several hours apart (hence a span
// of half a day rather than a few hours), and a blatant one is at once. Linking is not
// corroboration on its own: a company's accounts are linked too. Pure, event-time only, bounded
// by the subjects that crossed within the span.

export interface ConfirmationOptions {
  /** Windows above the threshold a subject needs within the span. Default 2. */
  windows: number;
  /** Event time within which those windows must fall. Default 12 h. */
  spanMs: number;
  /**
   * Requests those windows must hold together. Default 24: a handful of questions is too little
   * evidence of anything, however they score, so a light account needs more windows above the
   * threshold than a busy one before it alerts.
   */
  minRequests: number;
  /**
   * A window that scores at least this far above the threshold and holds `minRequests`
   * requests on its own confirms at once: a blatant harvest need not wait an hour for its second
   * window. Default 0.04 (benign accounts' busy windows stay below it; a sweep's first window is
   * typically 0.04–0.11 above). 1 or more: never (scores lie in (0, 1)).
   */
  oneWindowMargin: number;
}

export const DEFAULT_CONFIRMATION: ConfirmationOptions = { windows: 2, spanMs: 12 * 3_600_000, minRequests: 24, oneWindowMargin: 0.04 };

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
   * Records a window above the threshold, with its requests and how far (`margin`) it scored
   * above the threshold; true when the subject is now confirmed: `windows` such windows within
   * the span holding at least `minRequests` requests, or this one window `oneWindowMargin` above
   * the threshold holding them alone.
   */
  confirm(subjectId: string, windowEnd: number, requests: number, margin: number): boolean {
    const kept = (this.recent.get(subjectId) ?? []).filter(([end]) => end > windowEnd - this.options.spanMs);
    kept.push([windowEnd, requests]);
    this.recent.set(subjectId, kept);
    if (margin >= this.options.oneWindowMargin && requests >= this.options.minRequests) return true;
    let total = 0;
    for (const [, r] of kept) total += r;
    return kept.length >= this.options.windows && total >= this.options.minRequests;
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
