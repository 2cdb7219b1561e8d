/**
 * Event-time window assembly: turns a stream of valid usage events into closed per-account
 * tumbling windows, following the time rules of CONTRACT.md section 2. The same class runs
 * in `detect` and in the aggregator service, so both close the same windows with the same
 * events. It decides only *which* events go to which account-window and *when* a window is
 * final; what is computed over a window belongs to the accumulator it is given.
 *
 * Rules, with T = the event's `event_time`:
 * - Windows are tumbling, `windowMs` long, aligned to multiples of `windowMs` since the epoch,
 *   half-open: an event exactly at a window's end belongs to the next window.
 * - Duplicates: an event whose (`lab`, `event_id`) was already accepted into a window that is
 *   still open is dropped (`duplicate`), with no other effect. Ids are forgotten when their
 *   window closes, so memory is bounded by the open windows.
 * - Stream clock C: how far the stream as a whole has progressed, used only to close silent
 *   accounts' windows. An accepted event advances C to T when T <= C + `maxClockSkewMs`, or
 *   when the event just before it was also ahead of C by more than the skew and lies within
 *   the skew of T: two consecutive events agree on the new time (a genuine gap in the stream,
 *   or its start: C begins at -Infinity). So a single far-future timestamp never moves C and
 *   cannot close other accounts' windows or make their events late; it is still its own
 *   account's latest event, as the contract's late rule says, and its window closes at the
 *   latest with `flush()`. Nothing is rejected for being ahead: sparse streams (an account
 *   that calls once a day) must lose nothing.
 * - Late: an event is `late` when T < (the account's latest accepted T) - `latenessMs`, or
 *   when its window for that account has already closed, or when its window has closed for
 *   every account because the stream clock passed its end by the idle grace (so an account
 *   first seen that far behind the stream cannot add to a window that was already scored).
 * - Closing: an account's window [s, e) closes when the account's latest T - `latenessMs`
 *   >= e (its own events passed the end by the lateness), or when C - `idleGraceMs` >= e (the
 *   stream passed it by the idle grace; this closes silent accounts' windows). `flush()`
 *   closes everything at the end of input.
 * - Every call returns the windows it closed ordered by `window_end`, then account key
 *   (`<lab>/<account_id>`), then lab.
 * - An account with no open window and no event for `accountRetentionMs` of stream time is
 *   forgotten, state included; its next event starts it afresh. The retention must exceed
 *   the longest look-back the accumulator keeps per account plus the idle grace.
 *
 * Guarantee (tested as a property): for inputs in which no event arrives more than the idle
 * grace behind the largest event_time seen before it, the closed windows and their contents
 * depend only on each account's own event order, not on how accounts are interleaved.
 *
 * It must never read a clock, never allocate per event beyond the event's two lookup keys,
 * and never sort more than the handful of windows closed by one event.
 */
import type { UsageEvent } from '../schemas.generated.ts';
import { accountKey } from '../events/parse.ts';

export interface WindowTiming {
  /** Window length, ms. Default 1 h. */
  windowMs: number;
  /** How far behind its account's latest event an event may be and still count, ms. Default 2 min. */
  latenessMs: number;
  /** How far the stream must pass a window's end before it closes for silent accounts, ms. Default 15 min. */
  idleGraceMs: number;
  /** How far ahead of the stream clock one event alone may move it, ms. Default 1 h. */
  maxClockSkewMs: number;
  /** Stream time after which an idle account with no open window is forgotten, ms. Default 31 days. */
  accountRetentionMs: number;
}

export const DEFAULT_WINDOW_TIMING: Readonly<WindowTiming> = Object.freeze({
  windowMs: 3_600_000,
  latenessMs: 120_000,
  idleGraceMs: 900_000,
  maxClockSkewMs: 3_600_000,
  accountRetentionMs: 31 * 86_400_000,
});

/**
 * What is computed per account and per account-window. `A` is per-account state that lives
 * across windows (e.g. 30-day aggregates), `W` is one account-window's accumulator.
 */
export interface WindowAccumulator<A, W> {
  /** Called once when an account is first seen (or first seen again after being forgotten). */
  openAccount(lab: string, accountId: string): A;
  /** Called when an account's first event for [windowStart, windowEnd) is accepted. */
  openWindow(account: A, windowStart: number, windowEnd: number): W;
  /** Called for each accepted event, in arrival order. */
  add(window: W, event: UsageEvent): void;
}

/** One account-window that is final: no further event will be added to it. */
export interface ClosedWindow<A, W> {
  lab: string;
  account_id: string;
  window_start: number;
  window_end: number;
  account: A;
  acc: W;
}

/** What happened to one pushed event. `late` goes to the dead-letter output. */
export type PushOutcome = 'accepted' | 'duplicate' | 'late';

export interface PushResult<A, W> {
  outcome: PushOutcome;
  /** Windows closed as a consequence of this event, in emission order. */
  closed: readonly ClosedWindow<A, W>[];
}

interface AccountState<A, W> {
  readonly lab: string;
  readonly accountId: string;
  readonly state: A;
  /** Largest accepted event_time of this account. */
  latest: number;
  /** Largest window_end closed for this account: events before it are late. */
  closedThrough: number;
  /** Open windows, ascending by start (rarely more than two; kept at their exact size, see `withWindow`). */
  windows: OpenWindow<A, W>[];
}

interface OpenWindow<A, W> {
  readonly account: AccountState<A, W>;
  readonly start: number;
  readonly end: number;
  readonly acc: W;
  /**
   * event_ids of the events in this window (its account's lab), forgotten when it closes.
   * Grown one slot at a time up to SMALL_WINDOW_IDS (see `rememberId`).
   */
  eventIds: string[];
  closed: boolean;
}

const NOTHING_CLOSED: readonly never[] = Object.freeze([]);
const DUPLICATE = Object.freeze({ outcome: 'duplicate', closed: NOTHING_CLOSED }) satisfies PushResult<never, never>;
const LATE = Object.freeze({ outcome: 'late', closed: NOTHING_CLOSED }) satisfies PushResult<never, never>;
const ACCEPTED = Object.freeze({ outcome: 'accepted', closed: NOTHING_CLOSED }) satisfies PushResult<never, never>;

export class WindowAssembler<A, W> {
  readonly timing: Readonly<WindowTiming>;
  readonly #accumulator: WindowAccumulator<A, W>;
  /** Accounts by lab, then account_id: nested for the same reason as `#seen`. */
  readonly #accounts = new Map<string, Map<string, AccountState<A, W>>>();
  #accountCount = 0;
  /**
   * event_ids of the events in open windows, per lab (ids are unique within a lab). Nested
   * rather than under one `<lab>\0<event_id>` key: a lookup then needs no new string, and this
   * lookup runs for every event.
   */
  readonly #seen = new Map<string, Set<string>>();
  /** Open windows by end, for closing by the stream clock; closed entries are skipped lazily. */
  readonly #byEnd = new WindowHeap<A, W>();
  #clock = Number.NEGATIVE_INFINITY;
  /** event_time of the previous push when it was accepted ahead of the clock by more than the skew. */
  #aheadTime: number | null = null;
  /** Stream-clock window index at the last sweep for forgettable accounts. */
  #sweptAt = Number.NEGATIVE_INFINITY;
  #openWindows = 0;

  constructor(accumulator: WindowAccumulator<A, W>, timing: Partial<WindowTiming> = {}) {
    this.#accumulator = accumulator;
    this.timing = Object.freeze(checkTiming({ ...DEFAULT_WINDOW_TIMING, ...timing }));
  }

  /** The stream clock (-Infinity until two events agree on a time). */
  get streamClock(): number {
    return this.#clock;
  }

  /** Accounts currently held in memory. */
  get accountCount(): number {
    return this.#accountCount;
  }

  /** Account-windows currently open. */
  get openWindowCount(): number {
    return this.#openWindows;
  }

  /** Event ids currently remembered for de-duplication. */
  get rememberedEventIds(): number {
    let count = 0;
    for (const ids of this.#seen.values()) count += ids.size;
    return count;
  }

  /**
   * Offers one valid event; returns its outcome and any windows that closed as a result. The
   * steps, in order: drop a duplicate, judge lateness, fold the event into its account-window,
   * close what the account's own watermark passed, move the stream clock, close what the stream
   * passed by the idle grace.
   */
  push(event: UsageEvent): PushResult<A, W> {
    const previousAhead = this.#aheadTime;
    this.#aheadTime = null;

    const seenIds = this.#seenIds(event.lab);
    if (seenIds.has(event.event_id)) return DUPLICATE as PushResult<A, W>;
    const labAccounts = this.#accountsOf(event.lab);
    const known = labAccounts.get(event.account_id);
    if (this.#isLate(known, event.event_time)) return LATE as PushResult<A, W>;
    const account = known ?? this.#openAccount(labAccounts, event);

    const window = this.#windowFor(account, event.event_time);
    this.#accumulator.add(window.acc, event);
    rememberId(window, event.event_id);
    seenIds.add(event.event_id);

    let closed = this.#closeByAccountWatermark(account, event.event_time, null);
    this.#followEventTime(event.event_time, previousAhead);
    closed = this.#closeByStreamWatermark(closed);
    if (closed === null) return ACCEPTED as PushResult<A, W>;
    if (closed.length > 1) sortForEmission(closed);
    return { outcome: 'accepted', closed };
  }

  /**
   * Late by its account (behind the account's latest by more than the lateness, or in a window
   * the account already closed), or late for everyone: the stream has closed its window for
   * every account (and it may have been scored), so even an account not seen before cannot
   * add to it.
   */
  #isLate(account: AccountState<A, W> | undefined, t: number): boolean {
    const { windowMs, latenessMs, idleGraceMs } = this.timing;
    if (account !== undefined && (t < account.latest - latenessMs || t < account.closedThrough)) return true;
    return t - floorMod(t, windowMs) + windowMs <= this.#clock - idleGraceMs;
  }

  #openAccount(labAccounts: Map<string, AccountState<A, W>>, event: UsageEvent): AccountState<A, W> {
    const account: AccountState<A, W> = {
      lab: event.lab,
      accountId: event.account_id,
      state: this.#accumulator.openAccount(event.lab, event.account_id),
      latest: Number.NEGATIVE_INFINITY,
      closedThrough: Number.NEGATIVE_INFINITY,
      windows: [],
    };
    labAccounts.set(event.account_id, account);
    this.#accountCount++;
    return account;
  }

  /** A newer event of the account moves its watermark: closes the account's windows it passed. */
  #closeByAccountWatermark(account: AccountState<A, W>, t: number, closed: ClosedWindow<A, W>[] | null): ClosedWindow<A, W>[] | null {
    if (t <= account.latest) return closed;
    account.latest = t;
    const watermark = t - this.timing.latenessMs;
    const windows = account.windows;
    while (windows.length > 0 && windows[0]!.end <= watermark) (closed ??= []).push(this.#close(windows[0]!));
    return closed;
  }

  /**
   * Moves the stream clock to an accepted event's time when the skew rule allows it: within
   * the skew of the clock, or corroborated by the event before it (see the time rules above).
   */
  #followEventTime(t: number, previousAhead: number | null): void {
    if (!(t > this.#clock)) return;
    const { maxClockSkewMs } = this.timing;
    // -Infinity + skew is -Infinity: before the clock starts every event is ahead.
    const corroborated = previousAhead !== null && Math.abs(t - previousAhead) <= maxClockSkewMs;
    if (t <= this.#clock + maxClockSkewMs || corroborated) {
      this.#clock = t;
      this.#forgetIdleAccounts();
    } else {
      this.#aheadTime = t;
    }
  }

  /** Closes every open window the stream clock passed by the idle grace, appending to `closed`. */
  #closeByStreamWatermark(closed: ClosedWindow<A, W>[] | null): ClosedWindow<A, W>[] | null {
    const streamWatermark = this.#clock - this.timing.idleGraceMs;
    let next = this.#byEnd.peek();
    while (next !== undefined && next.end <= streamWatermark) {
      this.#byEnd.pop();
      if (!next.closed) (closed ??= []).push(this.#close(next));
      next = this.#byEnd.peek();
    }
    return closed;
  }

  /**
   * Moves the stream clock to `time` without an event (never backwards), closing what it
   * passes by the idle grace. The aggregator service calls it for a partition that has read
   * everything in it while other partitions moved on: the stream as a whole has passed `time`,
   * so this partition's silent accounts must get their windows closed too.
   */
  advanceStreamClock(time: number): ClosedWindow<A, W>[] {
    if (!(time > this.#clock)) return [];
    this.#clock = time;
    this.#forgetIdleAccounts();
    const closed = this.#closeByStreamWatermark(null) ?? [];
    sortForEmission(closed);
    return closed;
  }

  /**
   * Everything the assembler holds, as plain JSON, one entry per account so a changelog can
   * write only the accounts that changed (`only`: just these accounts, those still held).
   * `encode` turns the accumulator's state into JSON.
   * `WindowAssembler.restore` continues exactly where this one stands.
   */
  snapshot<SA, SW>(encode: StateCodec<A, W, SA, SW>['encode'], only?: Iterable<{ lab: string; accountId: string }>): AssemblerSnapshot<SA, SW> {
    const accounts: AccountSnapshot<SA, SW>[] = [];
    const chosen = only === undefined ? this.#allAccounts()
      : [...only].flatMap((k) => this.#accounts.get(k.lab)?.get(k.accountId) ?? []);
    for (const a of chosen) {
      accounts.push({
        lab: a.lab, accountId: a.accountId, state: encode.account(a.state),
        latest: finiteOrNull(a.latest), closedThrough: finiteOrNull(a.closedThrough),
        windows: a.windows.map((w) => ({ start: w.start, acc: encode.window(w.acc), eventKeys: w.eventIds.map((id) => eventKey(a.lab, id)) })),
      });
    }
    return {
      version: 1,
      clock: finiteOrNull(this.#clock), aheadTime: this.#aheadTime, sweptAt: finiteOrNull(this.#sweptAt),
      accounts,
    };
  }

  /** An assembler continuing from `snapshot` (written by `snapshot` with the same timing). */
  static restore<A, W, SA, SW>(accumulator: WindowAccumulator<A, W>, timing: Partial<WindowTiming>,
    snapshot: AssemblerSnapshot<SA, SW>, decode: StateCodec<A, W, SA, SW>['decode']): WindowAssembler<A, W> {
    if (snapshot.version !== 1) throw new RangeError(`unknown window assembler snapshot version ${String(snapshot.version)}`);
    const assembler = new WindowAssembler(accumulator, timing);
    assembler.#clock = snapshot.clock ?? Number.NEGATIVE_INFINITY;
    assembler.#aheadTime = snapshot.aheadTime;
    assembler.#sweptAt = snapshot.sweptAt ?? Number.NEGATIVE_INFINITY;
    for (const s of snapshot.accounts) assembler.#restoreAccount(s, decode);
    return assembler;
  }

  #restoreAccount<SA, SW>(s: AccountSnapshot<SA, SW>, decode: StateCodec<A, W, SA, SW>['decode']): void {
    const { windowMs } = this.timing;
    const account: AccountState<A, W> = {
      lab: s.lab, accountId: s.accountId, state: decode.account(s.state),
      latest: s.latest ?? Number.NEGATIVE_INFINITY, closedThrough: s.closedThrough ?? Number.NEGATIVE_INFINITY, windows: [],
    };
    for (const w of s.windows) {
      const window: OpenWindow<A, W> = {
        account, start: w.start, end: w.start + windowMs, acc: decode.window(w.acc),
        eventIds: w.eventKeys.map((key) => eventIdOf(s.lab, key)), closed: false,
      };
      account.windows.push(window);
      this.#byEnd.push(window);
      this.#openWindows++;
      const seenIds = this.#seenIds(s.lab);
      for (const id of window.eventIds) seenIds.add(id);
    }
    const labAccounts = this.#accountsOf(s.lab);
    if (!labAccounts.has(s.accountId)) this.#accountCount++;
    labAccounts.set(s.accountId, account);
  }

  /** Closes every open window (end of input), in emission order. */
  flush(): ClosedWindow<A, W>[] {
    const closed: ClosedWindow<A, W>[] = [];
    let next = this.#byEnd.pop();
    while (next !== undefined) {
      if (!next.closed) closed.push(this.#close(next));
      next = this.#byEnd.pop();
    }
    sortForEmission(closed);
    return closed;
  }

  /** The account's open window holding time `t`, opened when this is its first event. */
  #windowFor(account: AccountState<A, W>, t: number): OpenWindow<A, W> {
    const { windowMs } = this.timing;
    const start = t - floorMod(t, windowMs);
    const windows = account.windows;
    let i = windows.length;
    // Most events fall in the account's newest window; search from the back.
    while (i > 0 && windows[i - 1]!.start >= start) {
      if (windows[i - 1]!.start === start) return windows[i - 1]!;
      i--;
    }
    const window: OpenWindow<A, W> = {
      account,
      start,
      end: start + windowMs,
      acc: this.#accumulator.openWindow(account.state, start, start + windowMs),
      eventIds: [],
      closed: false,
    };
    account.windows = withWindow(windows, i, window);
    this.#byEnd.push(window);
    this.#openWindows++;
    return window;
  }

  #close(window: OpenWindow<A, W>): ClosedWindow<A, W> {
    window.closed = true;
    this.#openWindows--;
    const account = window.account;
    const index = account.windows.indexOf(window);
    account.windows.splice(index, 1);
    if (window.end > account.closedThrough) account.closedThrough = window.end;
    const seenIds = this.#seenIds(account.lab);
    for (const id of window.eventIds) seenIds.delete(id);
    return {
      lab: account.lab,
      account_id: account.accountId,
      window_start: window.start,
      window_end: window.end,
      account: account.state,
      acc: window.acc,
    };
  }

  #accountsOf(lab: string): Map<string, AccountState<A, W>> {
    let accounts = this.#accounts.get(lab);
    if (accounts === undefined) {
      accounts = new Map();
      this.#accounts.set(lab, accounts);
    }
    return accounts;
  }

  *#allAccounts(): Iterable<AccountState<A, W>> {
    for (const labAccounts of this.#accounts.values()) yield* labAccounts.values();
  }

  #seenIds(lab: string): Set<string> {
    let ids = this.#seen.get(lab);
    if (ids === undefined) {
      ids = new Set();
      this.#seen.set(lab, ids);
    }
    return ids;
  }

  /** At most once per window length of stream time: an O(accounts) sweep, amortised O(1). */
  #forgetIdleAccounts(): void {
    const { windowMs, accountRetentionMs } = this.timing;
    const index = Math.floor(this.#clock / windowMs);
    if (index <= this.#sweptAt) return;
    this.#sweptAt = index;
    const horizon = this.#clock - accountRetentionMs;
    for (const labAccounts of this.#accounts.values()) {
      for (const [accountId, account] of labAccounts) {
        if (account.windows.length === 0 && account.latest < horizon) {
          labAccounts.delete(accountId);
          this.#accountCount--;
        }
      }
    }
  }
}

/** How the accumulator's per-account (A) and per-window (W) state becomes JSON (SA, SW) and back. */
export interface StateCodec<A, W, SA, SW> {
  encode: { account(a: A): SA; window(w: W): SW };
  decode: { account(s: SA): A; window(s: SW): W };
}

/** One account in an assembler snapshot: its accumulator state and its open windows. */
export interface AccountSnapshot<SA, SW> {
  lab: string;
  accountId: string;
  state: SA;
  /** null: -Infinity (JSON has no infinities). */
  latest: number | null;
  closedThrough: number | null;
  /** `eventKeys`: the window's events as dedup keys `<lab>\0<event_id>`. */
  windows: { start: number; acc: SW; eventKeys: string[] }[];
}

/** The assembler's whole state as plain JSON (see `WindowAssembler.snapshot`). */
export interface AssemblerSnapshot<SA, SW> {
  version: 1;
  clock: number | null;
  aheadTime: number | null;
  sweptAt: number | null;
  accounts: AccountSnapshot<SA, SW>[];
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The dedup key of an event in snapshots: `<lab>\0<event_id>`. */
function eventKey(lab: string, eventId: string): string {
  return `${lab}\u0000${eventId}`;
}

/** The event_id of a snapshot's dedup key (written by `eventKey` with the same lab). */
function eventIdOf(lab: string, key: string): string {
  if (!key.startsWith(`${lab}\u0000`)) throw new RangeError(`event key ${JSON.stringify(key)} is not of lab ${lab}`);
  return key.slice(lab.length + 1);
}

/**
 * Sorts windows closed together into emission order: by window end, then account key
 * `<lab>/<account_id>`, then lab. The stream clock closes every account's window of an hour in
 * one push, so the keys are built once per window here rather than twice per comparison
 * (n log n string concatenations at 10^5 accounts).
 */
function sortForEmission<A, W>(closed: ClosedWindow<A, W>[]): void {
  const keyed = closed.map((c) => ({ c, key: accountKey(c.lab, c.account_id) }));
  keyed.sort((a, b) => {
    if (a.c.window_end !== b.c.window_end) return a.c.window_end - b.c.window_end;
    if (a.key !== b.key) return a.key < b.key ? -1 : 1;
    return a.c.lab < b.c.lab ? -1 : a.c.lab > b.c.lab ? 1 : 0;
  });
  for (let i = 0; i < keyed.length; i++) closed[i] = keyed[i]!.c;
}

/**
 * Most account-windows hold a few events (a burst of new accounts: 1 to 5), but the first
 * `push` onto an array reserves 17 slots; up to this many ids the list is copied at its exact
 * size instead, which keeps a few-event window's list 3 to 4 times smaller.
 */
const SMALL_WINDOW_IDS = 8;

function rememberId<A, W>(window: OpenWindow<A, W>, id: string): void {
  const ids = window.eventIds;
  if (ids.length < SMALL_WINDOW_IDS) {
    const grown = new Array<string>(ids.length + 1);
    for (let i = 0; i < ids.length; i++) grown[i] = ids[i]!;
    grown[ids.length] = id;
    window.eventIds = grown;
  } else {
    ids.push(id);
  }
}

/** `windows` with `window` inserted at `i`, as a new array of exactly the size it needs (see SMALL_WINDOW_IDS). */
function withWindow<A, W>(windows: OpenWindow<A, W>[], i: number, window: OpenWindow<A, W>): OpenWindow<A, W>[] {
  const out = new Array<OpenWindow<A, W>>(windows.length + 1);
  for (let k = 0; k < i; k++) out[k] = windows[k]!;
  out[i] = window;
  for (let k = i; k < windows.length; k++) out[k + 1] = windows[k]!;
  return out;
}

/** t mod m in [0, m), also for times before the epoch. */
function floorMod(t: number, m: number): number {
  const r = t % m;
  return r < 0 ? r + m : r;
}

function checkTiming(timing: WindowTiming): WindowTiming {
  for (const [name, value] of Object.entries(timing)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`window timing ${name} must be a non-negative integer of milliseconds, got ${value}`);
    }
  }
  if (timing.windowMs === 0) throw new RangeError('window timing windowMs must be positive');
  return timing;
}

/** Binary min-heap of open windows by end. */
class WindowHeap<A, W> {
  readonly #items: OpenWindow<A, W>[] = [];

  peek(): OpenWindow<A, W> | undefined {
    return this.#items[0];
  }

  push(item: OpenWindow<A, W>): void {
    const items = this.#items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.end <= item.end) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  pop(): OpenWindow<A, W> | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && items[right]!.end < items[left]!.end ? right : left;
      if (items[child]!.end >= last.end) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
