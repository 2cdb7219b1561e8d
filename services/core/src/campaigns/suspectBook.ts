// SuspectBook: the accounts whose own behaviour scored above the threshold in a recent window,
// as the campaign linker needs them to judge weak evidence. A link that many ordinary accounts
// would share by chance (a cloud egress prefix, a hand-over in time) is evidence of one actor
// only between accounts that are each unusual on their own: two ordinary customers behind one
// NAT, or one customer leaving as another arrives, are not a campaign.
//
// For each suspect it keeps when it was first above the threshold, when it was last active and
// its last request, its first request if it arrived on the stream recently, and its request
// shape. Only suspects are held, each forgotten `ttlMs` after it was last active, plus the
// accounts that arrived within `arrivalMemoryMs` (their first request time), so the book stays
// as small as the alerting population and the newcomers of a few hours. Pure: no clock, no I/O.
import type { AccountFeatures } from '../schemas.generated.ts';
import { isNew } from './handoverChain.ts';

export interface Suspect {
  account: string;
  /** Window end at which it first scored above the threshold. */
  since: number;
  /** Window end of its latest window with any activity. */
  lastActive: number;
  /** Its latest event time seen. */
  lastEvent: number;
  /** Its first event time, when it was new when first suspected (most of its 30-day spend fell in that window); else null. */
  arrived: number | null;
  /** Its request shape when last above the threshold (values of the linker's shape features). */
  shape: number[];
  /** Labelled topics (not SimHash regions) it was seen on since it became a suspect, sorted; at most MAX_SLICE_TOPICS. */
  topics: string[];
}

/** Topics remembered per suspect: enough to tell a narrow slice (coverageShards.ts) from a sweep. */
export const MAX_SLICE_TOPICS = 16;

/** Serialisable form: [account, since, lastActive, lastEvent, arrived, shape, topics]. */
export type SuspectRow = [string, number, number, number, number | null, number[], string[]];

/** A suspect row of a version-3 linker state, before topics. */
export type SuspectRowV3 = [string, number, number, number, number | null, number[]];

export class SuspectBook {
  private readonly suspects = new Map<string, Suspect>();
  /** Accounts new on the stream within `arrivalMemoryMs` -> their first event time. */
  private readonly arrivals = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly arrivalMemoryMs: number;

  constructor(ttlMs: number, arrivalMemoryMs: number) {
    this.ttlMs = ttlMs;
    this.arrivalMemoryMs = arrivalMemoryMs;
  }

  has(account: string): boolean {
    return this.suspects.has(account);
  }

  get(account: string): Suspect | undefined {
    return this.suspects.get(account);
  }

  /** Every suspect, by account key. */
  all(): Suspect[] {
    return [...this.suspects.values()].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  }

  /** The account-windows of a window (keyed by account): suspects among them were active then. */
  noteActive(records: ReadonlyMap<string, AccountFeatures>): void {
    for (const [account, r] of records) if (isNew(r)) this.arrivals.set(account, r.first_event_time);
    for (const s of this.suspects.values()) {
      const r = records.get(s.account);
      if (r) { s.lastActive = r.window_end; s.lastEvent = r.last_event_time; addTopics(s, r); }
    }
  }

  /** An account-window that scored above the threshold; returns the suspect. */
  noteAbove(record: AccountFeatures, account: string, shape: number[]): Suspect {
    const held = this.suspects.get(account);
    if (held) {
      held.lastActive = record.window_end;
      held.lastEvent = record.last_event_time;
      held.shape = shape;
      addTopics(held, record);
      return held;
    }
    const arrived = this.arrivals.get(account) ?? null;
    const s: Suspect = { account, since: record.window_end, lastActive: record.window_end, lastEvent: record.last_event_time, arrived, shape, topics: [] };
    addTopics(s, record);
    this.suspects.set(account, s);
    return s;
  }

  /** Forgets suspects inactive for longer than the book's TTL. */
  expire(windowEnd: number): void {
    for (const [k, s] of this.suspects) if (s.lastActive < windowEnd - this.ttlMs) this.suspects.delete(k);
    for (const [k, t] of this.arrivals) if (t < windowEnd - this.arrivalMemoryMs) this.arrivals.delete(k);
  }

  toRows(): SuspectRow[] {
    return this.all().map((s) => [s.account, s.since, s.lastActive, s.lastEvent, s.arrived, [...s.shape], [...s.topics]]);
  }

  /** Recent arrivals: [account, first event time], by account. */
  arrivalRows(): Array<[string, number]> {
    return [...this.arrivals].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** Rows of version 3 states lack topics: those suspects start with none. */
  static fromRows(rows: ReadonlyArray<SuspectRow | SuspectRowV3>, arrivals: ReadonlyArray<[string, number]>, ttlMs: number, arrivalMemoryMs: number): SuspectBook {
    const book = new SuspectBook(ttlMs, arrivalMemoryMs);
    for (const [account, t] of arrivals) book.arrivals.set(account, t);
    for (const [account, since, lastActive, lastEvent, arrived, shape, topics] of rows as ReadonlyArray<SuspectRow>) {
      book.suspects.set(account, { account, since, lastActive, lastEvent, arrived, shape: [...shape], topics: [...(topics ?? [])] });
    }
    return book;
  }
}

/** Adds the record's labelled topics to the suspect's slice, up to MAX_SLICE_TOPICS. */
function addTopics(s: Suspect, r: AccountFeatures): void {
  for (const t of r.topics) {
    if (s.topics.length >= MAX_SLICE_TOPICS) return;
    if (t.topic.startsWith(SIMHASH_REGION_PREFIX) || s.topics.includes(t.topic)) continue;
    s.topics.push(t.topic);
    s.topics.sort();
  }
}

/** Topics the aggregator derives from SimHashes where a lab labels none: regions of prompt space, not domains. */
export const SIMHASH_REGION_PREFIX = 'sim:';
