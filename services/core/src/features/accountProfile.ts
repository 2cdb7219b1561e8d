/**
 * The long memory of one account (lab, account_id), kept while the account is known: what a
 * single window cannot see. Fixed size whatever the traffic (91 numbers, allocated when the
 * account's first window closes; until then every profile shares one fresh state):
 *   - daily spend, a 30-slot ring keyed by UTC day index (for `spend_usd_30d`);
 *   - events per UTC hour, a 24-slot ring keyed by hour index (active hours, diurnal shape);
 *   - the 16 topics seen last, as (topic hash, hour last seen) pairs, each packed into one double
 *     (hour · 2^32 + hash, exact below 2^53), so a window can tell new topics from revisited
 *     ones and count the topics of the last day or week (up to 16);
 *   - the vocabulary of its week: the 256-bit bitmap of sampled prompt words
 *     (`vocabularySample.ts`, one 32-bit word per number), how many words were sampled, and the
 *     UTC day the week began; a window 7 days or more after that day begins a new week (a
 *     tumbling week per account: a ring of days would cost 7 bitmaps);
 *   - the first event time ever seen (account age).
 *
 * It changes only through `recordWindow`, called by `extractFeatures` once per closed window,
 * in window order: so a window's features depend on its own events and on the windows closed
 * before it, never on how far later events had got when it closed (offline = streaming).
 * A ring slot older than the ring's span is zeroed when the ring moves past it; a window
 * older than the ring's span is ignored by it. Never reads a clock.
 */
import type { AccountWindow } from './accountWindow.ts';
import { VOCABULARY } from './vocabularySample.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const SPEND_DAYS = 30;
export const ACTIVITY_HOURS = 24;
export const TOPIC_MEMORY = 16;
/** Prompt-identity hashes remembered: the account's smallest ever (a bottom-k sample). */
export const PROMPT_MEMORY = 8;
/** How many hours a topic counts as recently seen by default (hour-granular). */
export const TOPIC_MEMORY_HOURS = 24;
const TWO_POW_32 = 4294967296;

const SPEND_AT = 0;
const HOURS_AT = SPEND_AT + SPEND_DAYS;
const TOPICS_AT = HOURS_AT + ACTIVITY_HOURS;
const PROMPTS_AT = TOPICS_AT + TOPIC_MEMORY;
const VOCABULARY_AT = PROMPTS_AT + PROMPT_MEMORY;
const SAMPLED_WORDS_AT = VOCABULARY_AT + VOCABULARY.words;
const WEEK_START_AT = SAMPLED_WORDS_AT + 1;
const STATE_SIZE = WEEK_START_AT + 1;
/** Days a vocabulary week lasts. */
const VOCABULARY_DAYS = 7;
/** A free prompt entry (real entries are unsigned 32-bit hashes). */
const NO_PROMPT = -1;
// Scalars live in the same array (unboxed doubles) rather than as fields (boxed per object).
const HEAD_DAY_AT = STATE_SIZE;
const HEAD_HOUR_AT = STATE_SIZE + 1;
const FIRST_SEEN_AT = STATE_SIZE + 2;
/** A free topic entry (any real entry, hour ≥ 0, is larger). */
const NO_TOPIC = -1;
/** Scratch bitmap of a week's vocabulary, read by `weekVocabulary` (no allocation per window). */
const weekBits = new Uint32Array(VOCABULARY.words);

/** A profile as plain JSON, for the aggregator's changelog. */
export interface AccountProfileState {
  /** Version 2 adds the week's vocabulary; version 1 states are refused. */
  version: 2;
  lab: string;
  accountId: string;
  /** headDay, headHour and firstSeen are null while no window was recorded. */
  headDay: number | null;
  headHour: number | null;
  firstSeen: number | null;
  state: number[];
}

/**
 * The state of a profile that has recorded no window, shared by every such profile and never
 * written: a burst of new accounts holds only open windows, and 91 doubles each (~780 bytes)
 * would be a third of their memory. A profile gets its own copy when it records its first window.
 */
const FRESH_STATE: readonly number[] = (() => {
  const state = Array.from({ length: STATE_SIZE + 3 }, () => 0);
  state.fill(NO_TOPIC, TOPICS_AT, TOPICS_AT + TOPIC_MEMORY);
  state.fill(NO_PROMPT, PROMPTS_AT, PROMPTS_AT + PROMPT_MEMORY);
  state[HEAD_DAY_AT] = -Infinity;
  state[HEAD_HOUR_AT] = -Infinity;
  state[FIRST_SEEN_AT] = Infinity;
  return Object.freeze(state);
})();

export class AccountProfile {
  readonly lab: string;
  readonly accountId: string;
  // A plain array of doubles: a typed array would cost ~200 bytes of headers per account.
  // FRESH_STATE until the first write (`ownState`); add new slots to FRESH_STATE's layout.
  private state: number[] = FRESH_STATE as number[];

  constructor(lab: string, accountId: string) {
    this.lab = lab;
    this.accountId = accountId;
  }

  /** Before any write: gives the profile its own state (see FRESH_STATE). */
  private ownState(): void {
    if (this.state === FRESH_STATE) this.state = [...FRESH_STATE];
  }

  /** Day index of the newest spend slot (-Infinity: none yet; indices before 1970 are negative). */
  private get headDay(): number { return this.state[HEAD_DAY_AT]!; }
  private set headDay(day: number) { this.state[HEAD_DAY_AT] = day; }
  /** Hour index of the newest activity slot (-Infinity: none yet). */
  private get headHour(): number { return this.state[HEAD_HOUR_AT]!; }
  private set headHour(hour: number) { this.state[HEAD_HOUR_AT] = hour; }
  /** Earliest event time recorded, epoch ms (Infinity: none yet). */
  get firstSeen(): number { return this.state[FIRST_SEEN_AT]!; }
  private set firstSeen(t: number) { this.state[FIRST_SEEN_AT] = t; }

  /** The profile as plain JSON; `AccountProfile.restore` gives an identical profile. */
  toState(): AccountProfileState {
    return {
      version: 2, lab: this.lab, accountId: this.accountId, headDay: finiteOrNull(this.headDay),
      headHour: finiteOrNull(this.headHour), firstSeen: finiteOrNull(this.firstSeen), state: this.state.slice(0, STATE_SIZE),
    };
  }

  static restore(s: AccountProfileState): AccountProfile {
    if (s.version !== 2) throw new RangeError(`unknown AccountProfile state version ${String(s.version)}`);
    if (s.state.length !== STATE_SIZE) throw new RangeError(`AccountProfile state has ${s.state.length} numbers, expected ${STATE_SIZE}`);
    const p = new AccountProfile(s.lab, s.accountId);
    p.ownState();
    p.headDay = s.headDay ?? -Infinity;
    p.headHour = s.headHour ?? -Infinity;
    p.firstSeen = s.firstSeen ?? Infinity;
    for (let i = 0; i < STATE_SIZE; i++) p.state[i] = s.state[i]!;
    return p;
  }

  /** Folds a closed window into the profile: spend, hourly activity, topics, first seen. */
  recordWindow(window: AccountWindow): void {
    if (window.events === 0) return;
    this.ownState();
    this.firstSeen = Math.min(this.firstSeen, window.firstEventTime);
    const day = Math.floor((window.windowEnd - 1) / DAY_MS);
    this.headDay = advanceRing(this.state, SPEND_AT, SPEND_DAYS, this.headDay, day);
    if (day > this.headDay - SPEND_DAYS) this.state[SPEND_AT + slotOf(day, SPEND_DAYS)]! += window.spend;
    window.forEachHour((hour, events) => {
      this.headHour = advanceRing(this.state, HOURS_AT, ACTIVITY_HOURS, this.headHour, hour);
      if (hour > this.headHour - ACTIVITY_HOURS) this.state[HOURS_AT + slotOf(hour, ACTIVITY_HOURS)]! += events;
    });
    // Topic entries pack a non-negative hour; windows before 1970 all count as hour 0.
    const lastHour = Math.max(0, Math.floor((window.windowEnd - 1) / HOUR_MS));
    for (const topic of window.topicIds()) this.rememberTopic(topic, lastHour);
    this.rememberPrompts(window.promptSample());
    this.rememberVocabulary(window, day);
  }

  /**
   * Distinct sampled words (linear-counting estimate) and words sampled, of this window and of
   * the account's earlier windows of its vocabulary week (none when the window, ending on UTC
   * day `day`, begins a new week). Call before the window is recorded.
   */
  weekVocabulary(window: AccountWindow): { distinct: number; sampled: number } {
    const carried = this.weekCarriesInto(Math.floor((window.windowEnd - 1) / DAY_MS));
    for (let i = 0; i < VOCABULARY.words; i++) {
      weekBits[i] = (window.vocabularyWord(i) | (carried ? this.state[VOCABULARY_AT + i]! : 0)) >>> 0;
    }
    const sampled = window.sampledWords + (carried ? this.state[SAMPLED_WORDS_AT]! : 0);
    return { distinct: VOCABULARY.estimate(weekBits, 0), sampled };
  }

  /** Whether the vocabulary held belongs to the week of a window ending on UTC day `day`. */
  private weekCarriesInto(day: number): boolean {
    return this.state[SAMPLED_WORDS_AT]! > 0 && day < this.state[WEEK_START_AT]! + VOCABULARY_DAYS;
  }

  private rememberVocabulary(window: AccountWindow, day: number): void {
    if (window.sampledWords === 0) return;
    if (!this.weekCarriesInto(day)) {
      this.state.fill(0, VOCABULARY_AT, SAMPLED_WORDS_AT + 1);
      this.state[WEEK_START_AT] = day;
    }
    for (let i = 0; i < VOCABULARY.words; i++) {
      this.state[VOCABULARY_AT + i] = (this.state[VOCABULARY_AT + i]! | window.vocabularyWord(i)) >>> 0;
    }
    this.state[SAMPLED_WORDS_AT]! += window.sampledWords;
  }

  /**
   * Share of the window's sampled prompts that the account sent before. The profile holds the
   * PROMPT_MEMORY smallest prompt hashes it ever saw, so any sampled hash at or below the
   * largest of them was seen before exactly when it is held (Cohen & Kaplan's bottom-k
   * argument): the estimate is exact on the sample and never depends on arrival order. 0 when
   * no sampled hash is comparable. Call before the window is recorded.
   */
  promptRepeatShare(sample: readonly number[]): number {
    const held = this.heldPrompts();
    const limit = held.length === PROMPT_MEMORY ? held[held.length - 1]! : Infinity;
    let comparable = 0;
    let repeated = 0;
    for (const h of sample) {
      if (h > limit) break;
      comparable++;
      if (held.includes(h)) repeated++;
    }
    return comparable === 0 ? 0 : repeated / comparable;
  }

  private heldPrompts(): number[] {
    const out: number[] = [];
    for (let i = 0; i < PROMPT_MEMORY; i++) {
      const h = this.state[PROMPTS_AT + i]!;
      if (h !== NO_PROMPT) out.push(h);
    }
    return out;
  }

  /** Keeps the PROMPT_MEMORY smallest distinct hashes of the history and the sample, ascending. */
  private rememberPrompts(sample: readonly number[]): void {
    if (sample.length === 0) return;
    const merged = [...new Set([...this.heldPrompts(), ...sample])].sort((a, b) => a - b).slice(0, PROMPT_MEMORY);
    for (let i = 0; i < PROMPT_MEMORY; i++) this.state[PROMPTS_AT + i] = merged[i] ?? NO_PROMPT;
  }

  /** Spend over the 30 UTC days ending with the day that holds `windowEnd - 1`. */
  spend30d(windowEnd: number): number {
    const day = Math.floor((windowEnd - 1) / DAY_MS);
    let sum = 0;
    for (let d = Math.max(day - SPEND_DAYS + 1, this.headDay - SPEND_DAYS + 1); d <= Math.min(day, this.headDay); d++) {
      sum += this.state[SPEND_AT + slotOf(d, SPEND_DAYS)]!;
    }
    return sum;
  }

  /** Events in each of the 24 UTC hours ending with the hour that holds `windowEnd - 1`, oldest first. */
  hourlyEvents(windowEnd: number): number[] {
    const hour = Math.floor((windowEnd - 1) / HOUR_MS);
    const out: number[] = [];
    for (let h = hour - ACTIVITY_HOURS + 1; h <= hour; h++) {
      const held = h <= this.headHour && h > this.headHour - ACTIVITY_HOURS;
      out.push(held ? this.state[HOURS_AT + slotOf(h, ACTIVITY_HOURS)]! : 0);
    }
    return out;
  }

  /**
   * Topic hashes seen in earlier windows whose last hour lies in the `hours` UTC hours (default
   * 24) before the hour that holds `windowStart`, or in that hour itself.
   */
  recentTopics(windowStart: number, hours = TOPIC_MEMORY_HOURS): number[] {
    const hour = Math.max(0, Math.floor(windowStart / HOUR_MS));
    const out: number[] = [];
    for (let i = 0; i < TOPIC_MEMORY; i++) {
      const entry = this.state[TOPICS_AT + i]!;
      if (entry === NO_TOPIC) continue;
      const seen = Math.floor(entry / TWO_POW_32);
      if (seen >= hour - hours && seen <= hour) out.push(entry - seen * TWO_POW_32);
    }
    return out;
  }

  private rememberTopic(topic: number, hour: number): void {
    // The held entry for this topic, else the stalest entry (lowest index on ties).
    let slot = 0;
    for (let i = 0; i < TOPIC_MEMORY; i++) {
      const entry = this.state[TOPICS_AT + i]!;
      if (entry !== NO_TOPIC && entry - Math.floor(entry / TWO_POW_32) * TWO_POW_32 === topic) {
        slot = i;
        break;
      }
      if (entry < this.state[TOPICS_AT + slot]!) slot = i;
    }
    const held = this.state[TOPICS_AT + slot]!;
    const heldHour = held === NO_TOPIC ? -1 : Math.floor(held / TWO_POW_32);
    const heldTopic = held === NO_TOPIC ? -1 : held - heldHour * TWO_POW_32;
    // Never let an older window push out what a newer one remembered.
    if (heldTopic !== topic && heldHour > hour) return;
    this.state[TOPICS_AT + slot] = Math.max(hour, heldTopic === topic ? heldHour : -1) * TWO_POW_32 + topic;
  }
}

/** Moves a ring's head forward to `index`, zeroing the slots it passes; returns the new head. */
function advanceRing(state: number[], at: number, size: number, head: number, index: number): number {
  if (index <= head) return head;
  const from = Math.max(head + 1, index - size + 1);
  for (let i = from; i <= index; i++) state[at + slotOf(i, size)] = 0;
  return index;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Ring slot of a day or hour index (also before 1970). */
function slotOf(index: number, size: number): number {
  return ((index % size) + size) % size;
}
