// ActivitySchedule: the hours in which each account was active over the last `spanHours`, as a
// bitmap, and the locality-sensitive buckets that find accounts switching on and off together
// without comparing all pairs.
//
// One scheduler driving several accounts switches them on and off in the same hours, whatever
// cards, networks and labs they use. Buckets are the exact on/off pattern of one aligned block
// of `blockHours` hours (bit-sampling LSH with contiguous bands, Indyk & Motwani 1998): two
// accounts whose schedules agree on most hours share a block pattern, two that disagree often
// rarely do. Only blocks that hold both on and off hours are keys: an account busy round the
// clock, or idle, says nothing about whose scheduler it follows; nor does one that switched on
// once (it arrived): each must switch on at least `minScheduleSwitches` times in the span. A candidate pair is then judged
// on the whole span: the Jaccard similarity of their active hours, and how likely that many
// shared hours are by chance (the hypergeometric tail: two independent accounts, each active in
// its own number of hours, placed at random), multiplied by the number of candidates the
// account was compared with, so a pattern many accounts share (a nightly cron) needs more hours
// of agreement before it is evidence. The bucket keys (block, pattern) also serve as partition
// keys. Good at scripted on/off schedules; blind to accounts active every hour (a steady
// stream), which it never links. Pure: no clock, no I/O.
//
// Example: two accounts on for the same 8 of every 12 hours for 3 days share 48 active hours of
// 72; by chance that has probability about 1e-19, so they link even in a bucket of 1,000.

const HOUR = 3_600_000;

export interface ScheduleOptions {
  /** Hours of activity remembered per account. Default 72. */
  scheduleSpanHours: number;
  /** Hours per bucket block. Default 12. */
  scheduleBlockHours: number;
  /** Active hours each account needs in the span, and idle hours too, before its schedule links. Default 8. */
  minScheduleHours: number;
  /** Times each account must switch on (an idle hour, then an active one) in the span. Default 3. */
  minScheduleSwitches: number;
  /** Least Jaccard similarity of the two accounts' active hours. Default 0.9. */
  minScheduleJaccard: number;
  /** Largest chance of that agreement, times the candidates compared. Default 1e-6. */
  maxScheduleChance: number;
}

/** Serialisable form: [account, last active hour (epoch hours), bitmap as hex (bit 0 = that hour)]. */
export type ScheduleRow = [string, number, string];

interface Activity { last: number; bits: bigint }

export class ActivitySchedule {
  private readonly activity = new Map<string, Activity>();
  /** Block index -> pattern -> accounts, built once per complete block when first needed. */
  private readonly buckets = new Map<number, Map<string, string[]>>();
  private readonly options: ScheduleOptions;
  private readonly mask: bigint;

  constructor(options: ScheduleOptions) {
    this.options = options;
    this.mask = (1n << BigInt(options.scheduleSpanHours)) - 1n;
  }

  /** The hour (epoch hours) a window ending at `windowEnd` falls in. */
  static hourOf(windowEnd: number): number {
    return Math.floor((windowEnd - 1) / HOUR);
  }

  /** The accounts active in the window ending at `windowEnd`. */
  noteActive(windowEnd: number, accounts: Iterable<string>): void {
    const hour = ActivitySchedule.hourOf(windowEnd);
    for (const account of accounts) {
      const a = this.activity.get(account);
      if (!a) { this.activity.set(account, { last: hour, bits: 1n }); continue; }
      a.bits = hour > a.last ? ((a.bits << BigInt(hour - a.last)) | 1n) & this.mask : a.bits | 1n;
      a.last = Math.max(a.last, hour);
    }
  }

  /** The account's active hours as of `hour`: bit i set = active in hour `hour - i`. */
  bitsAt(account: string, hour: number): bigint {
    const a = this.activity.get(account);
    if (!a || hour - a.last >= this.options.scheduleSpanHours) return 0n;
    return (a.bits << BigInt(hour - a.last)) & this.mask;
  }

  /**
   * The accounts that share a block pattern with `account` as of `hour` (itself excluded), by
   * account: the candidates of a schedule link.
   */
  candidates(account: string, hour: number): string[] {
    const found = new Set<string>();
    for (const [block, pattern] of this.blockPatterns(account, hour)) {
      for (const other of this.bucket(block, hour).get(pattern) ?? []) if (other !== account) found.add(other);
    }
    return [...found].sort();
  }

  /**
   * Whether two accounts' schedules agree beyond chance as of `hour`, when `compared`
   * candidates were tried for one of them (see the header).
   */
  agree(a: string, b: string, hour: number, compared: number): boolean {
    const { scheduleSpanHours: span, minScheduleHours, minScheduleJaccard, maxScheduleChance } = this.options;
    const x = this.bitsAt(a, hour), y = this.bitsAt(b, hour);
    const na = popcount(x), nb = popcount(y), both = popcount(x & y);
    if (Math.min(na, nb) < minScheduleHours || span - Math.max(na, nb) < minScheduleHours) return false;
    // One run of activity (an account that arrived, or left) is an arrival, not a rhythm.
    if (Math.min(switchesOn(x), switchesOn(y)) < this.options.minScheduleSwitches) return false;
    if (both / (na + nb - both) < minScheduleJaccard) return false;
    return hypergeometricTail(span, na, nb, both) * Math.max(1, compared) <= maxScheduleChance;
  }

  /** Jaccard similarity of two accounts' active hours over the span, as of `hour` (0 when neither was active). */
  company(a: string, b: string, hour: number): number {
    const x = this.bitsAt(a, hour), y = this.bitsAt(b, hour);
    const either = popcount(x | y);
    return either === 0 ? 0 : popcount(x & y) / either;
  }

  /** Forgets accounts idle for the whole span, and buckets of blocks out of it. */
  expire(windowEnd: number): void {
    const hour = ActivitySchedule.hourOf(windowEnd);
    for (const [k, a] of this.activity) if (hour - a.last >= this.options.scheduleSpanHours) this.activity.delete(k);
    const oldest = Math.floor((hour - this.options.scheduleSpanHours + 1) / this.options.scheduleBlockHours);
    for (const block of this.buckets.keys()) if (block < oldest) this.buckets.delete(block);
  }

  toRows(): ScheduleRow[] {
    return [...this.activity].sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0)).map(([k, a]) => [k, a.last, a.bits.toString(16)]);
  }

  /** Restores the bitmaps; buckets are rebuilt from them when needed. */
  static fromRows(rows: readonly ScheduleRow[], options: ScheduleOptions): ActivitySchedule {
    const schedule = new ActivitySchedule(options);
    for (const [account, last, hex] of rows) schedule.activity.set(account, { last, bits: BigInt(`0x${hex}`) & schedule.mask });
    return schedule;
  }

  /** [block index, pattern] of each complete block in the span that holds on and off hours. */
  private blockPatterns(account: string, hour: number): Array<[number, string]> {
    const { scheduleBlockHours: size, scheduleSpanHours: span } = this.options;
    const bits = this.bitsAt(account, hour);
    const out: Array<[number, string]> = [];
    // A block is complete once its last hour's window has closed; it must lie wholly in the span.
    for (let block = Math.floor((hour + 1) / size) - 1; block * size > hour - span; block--) {
      const pattern = this.patternOf(bits, block, hour);
      const on = popcount(BigInt(pattern));
      if (on >= 2 && size - on >= 2) out.push([block, pattern.toString(16)]);
    }
    return out;
  }

  /** The bucket of one block: every account's pattern there, built from the bitmaps once. */
  private bucket(block: number, hour: number): Map<string, string[]> {
    let patterns = this.buckets.get(block);
    if (patterns) return patterns;
    patterns = new Map();
    for (const account of [...this.activity.keys()].sort()) {
      const pattern = this.patternOf(this.bitsAt(account, hour), block, hour);
      if (pattern === 0) continue;
      const key = pattern.toString(16);
      let list = patterns.get(key);
      if (!list) { list = []; patterns.set(key, list); }
      list.push(account);
    }
    this.buckets.set(block, patterns);
    return patterns;
  }

  /** The on/off bits of one block (bit i = the block's last hour minus i), from bits as of `hour`. */
  private patternOf(bits: bigint, block: number, hour: number): number {
    const size = this.options.scheduleBlockHours;
    const shift = hour - ((block + 1) * size - 1);
    return Number((bits >> BigInt(shift)) & ((1n << BigInt(size)) - 1n));
  }
}

/** Hours at which the account switched on: active, and idle the hour before (bit i + 1). */
function switchesOn(x: bigint): number {
  return popcount(x & ~(x >> 1n));
}

function popcount(x: bigint): number {
  let n = 0;
  for (let v = x; v > 0n; v &= v - 1n) n++;
  return n;
}

const LOG_FACTORIAL: number[] = [0];
function logFactorial(n: number): number {
  for (let i = LOG_FACTORIAL.length; i <= n; i++) LOG_FACTORIAL.push(LOG_FACTORIAL[i - 1]! + Math.log(i));
  return LOG_FACTORIAL[n]!;
}
const logChoose = (n: number, k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/**
 * P(X >= k) for X hypergeometric: `a` marked hours among `n`, `b` drawn; the chance that two
 * independent schedules with a and b active hours of n share k or more.
 */
export function hypergeometricTail(n: number, a: number, b: number, k: number): number {
  let p = 0;
  const denominator = logChoose(n, b);
  for (let x = Math.max(k, 0); x <= Math.min(a, b); x++) {
    if (b - x > n - a) continue;
    p += Math.exp(logChoose(a, x) + logChoose(n - a, b - x) - denominator);
  }
  return Math.min(1, p);
}
