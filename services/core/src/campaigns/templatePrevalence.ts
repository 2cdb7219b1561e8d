// TemplatePrevalence: how many distinct accounts have used each shared prompt template lately,
// so the template link can tell one operator's scaffold from a customer segment's.
//
// A template that one script runs on its accounts is shared by those accounts only. A template
// that hundreds of independent accounts use (the phrasing of a popular research tool, a client
// library's default prompt) is a segment, and sharing it says nothing about who works with whom:
// linked by it, deep researchers chained into "campaigns" of 24. An entry counts as common once
// more than `commonTemplateAccounts` distinct accounts held it within `templateMemoryMs`; the
// template link ignores common entries.
//
// Only entries that two or more accounts hold in the same window are counted (an entry one
// account holds alone cannot link anything), and an entry's holder set stops growing once it is
// common, so the state is bounded by the shared templates, not by the population's prompts.
// Pure: no clock, no I/O.

export interface TemplatePrevalenceOptions {
  /** Distinct accounts above which a template entry is a segment's, not an operator's. Default 100. */
  commonTemplateAccounts: number;
  /** How long holders and commonness are remembered after last seen (event time). Default 24 h. */
  templateMemoryMs: number;
}

/** Serialisable form: [entry, last seen, common (true) or its holders [account, last seen][]]. */
export type PrevalenceRow = [string, number, true | Array<[string, number]>];

interface Entry { lastSeen: number; common: boolean; holders: Map<string, number> }

export class TemplatePrevalence {
  private readonly entries = new Map<string, Entry>();
  private readonly options: TemplatePrevalenceOptions;

  constructor(options: TemplatePrevalenceOptions) {
    this.options = options;
  }

  /** The holders of one shared entry in the window ending at `windowEnd`. */
  note(entry: string, accounts: readonly string[], windowEnd: number): void {
    let e = this.entries.get(entry);
    if (!e) { e = { lastSeen: windowEnd, common: false, holders: new Map() }; this.entries.set(entry, e); }
    e.lastSeen = windowEnd;
    if (e.common) return;
    // Holders past the memory no longer count, even before the window's expire().
    for (const [a, t] of e.holders) if (t < windowEnd - this.options.templateMemoryMs) e.holders.delete(a);
    for (const a of accounts) e.holders.set(a, windowEnd);
    if (e.holders.size > this.options.commonTemplateAccounts) { e.common = true; e.holders.clear(); }
  }

  isCommon(entry: string): boolean {
    return this.entries.get(entry)?.common ?? false;
  }

  /** Forgets holders, and entries, not seen within the memory. */
  expire(windowEnd: number): void {
    const horizon = windowEnd - this.options.templateMemoryMs;
    for (const [k, e] of this.entries) {
      if (e.lastSeen < horizon) { this.entries.delete(k); continue; }
      for (const [a, t] of e.holders) if (t < horizon) e.holders.delete(a);
    }
  }

  toRows(): PrevalenceRow[] {
    return [...this.entries].sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0))
      .map(([k, e]) => [k, e.lastSeen, e.common ? true : [...e.holders].sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0))]);
  }

  static fromRows(rows: readonly PrevalenceRow[], options: TemplatePrevalenceOptions): TemplatePrevalence {
    const prevalence = new TemplatePrevalence(options);
    for (const [entry, lastSeen, held] of rows) {
      prevalence.entries.set(entry, { lastSeen, common: held === true, holders: new Map(held === true ? [] : held) });
    }
    return prevalence;
  }
}
