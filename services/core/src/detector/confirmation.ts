// ConfirmationGate: a single account must stay above the threshold for `windows` windows within
// `spanMs` of event time before it can alert; a campaign alerts on its first window, because
// linking is already corroboration. One odd hour of an eval team's benchmark burst is not a
// page; a harvest that keeps going is, even one that works in bursts several hours apart
// (hence a span of half a day rather than a few hours). Pure, event-time only, bounded by the subjects that
// crossed within the span.

export interface ConfirmationOptions {
  /** Windows above the threshold an account needs within the span. Default 2. */
  windows: number;
  /** Event time within which those windows must fall. Default 12 h. */
  spanMs: number;
}

export const DEFAULT_CONFIRMATION: ConfirmationOptions = { windows: 2, spanMs: 12 * 3_600_000 };

export class ConfirmationGate {
  readonly options: ConfirmationOptions;
  /** Subject -> window ends above the threshold within the span, ascending. */
  private readonly recent = new Map<string, number[]>();

  constructor(options: Partial<ConfirmationOptions> = {}) {
    this.options = { ...DEFAULT_CONFIRMATION, ...options };
  }

  /** Records a window above the threshold; true when the subject is now confirmed. */
  confirm(subjectId: string, windowEnd: number, needed: number): boolean {
    if (needed <= 1) return true;
    const kept = (this.recent.get(subjectId) ?? []).filter((end) => end > windowEnd - this.options.spanMs);
    kept.push(windowEnd);
    this.recent.set(subjectId, kept);
    return kept.length >= needed;
  }

  /** The gate's memory as plain JSON: subject -> window ends above the threshold. */
  toJSON(): Record<string, number[]> {
    return Object.fromEntries([...this.recent].map(([subject, ends]) => [subject, [...ends]]));
  }

  /** A gate continuing from `toJSON`'s output. */
  static fromJSON(json: Record<string, number[]>, options: Partial<ConfirmationOptions> = {}): ConfirmationGate {
    const gate = new ConfirmationGate(options);
    for (const [subject, ends] of Object.entries(json)) gate.recent.set(subject, [...ends]);
    return gate;
  }

  /** Forgets subjects with nothing inside the span (call once per window). */
  expire(windowEnd: number): void {
    for (const [subject, ends] of this.recent) {
      if (ends[ends.length - 1]! <= windowEnd - this.options.spanMs) this.recent.delete(subject);
    }
  }
}
