/**
 * The running summary of one account over one open event-time window: everything the
 * feature extractors need, in bounded memory whatever the traffic. Events are folded in by
 * `add` and forgotten; no prompt, no list of events, no per-request record is kept.
 *
 * State: one block of memory (a block of the aggregator's SketchStore, or the window's own
 * buffer) holding 26 doubles - the 21 running sums (counts, tokens, spend, elicitation flags,
 * Welford gap statistics, peak events per minute), the window's bounds and the last identity
 * hashes - and, after them, unsigned 32-bit words holding every sketch. Numbers kept as object
 * fields would be boxed, and every open window's object would be copied and marked by the
 * collector for the whole hour; in the block they are neither. The sketches:
 *   - per-minute counts of the last 4 minutes (peak rate; events of one account arrive nearly
 *     in order, and the allowed lateness is 2 minutes);
 *   - near-duplicate prompt clusters (SimHash, Hamming radius 3, 8 heavy-hitter slots) and a
 *     HyperLogLog (precision 6) of cluster representatives;
 *   - a HyperLogLog (precision 6) of template fingerprints and a bottom-16 sketch of them;
 *   - a HyperLogLog (precision 5) of topics, beside a 32-counter Space-Saving of topic names;
 *   - linear counters (64 bits) of API keys, network prefixes, user agents, payment cards;
 *   - events per UTC hour for the hours the window spans (at most its last 24).
 * plus the few strings an alert needs: up to 8 payment fingerprints and 8
 * 'ip_prefix|user_agent' pairs (the lexicographically smallest, so arrival order cannot change
 * them). With its account's fresh profile it takes about 0.8 KB in the aggregator's SketchStore
 * (test/features/accountMemory.test.ts holds it under 1 KB). `toState`/`restore` carry it through the aggregator's changelog.
 * Must never keep prompt text, read a clock or draw random numbers.
 */
import type { UsageEvent } from '../schemas.generated.ts';
import { BottomK } from '../sketches/bottomK.ts';
import { hash64To32, hashString32 } from '../sketches/hashing.ts';
import { HyperLogLog } from '../sketches/hyperLogLog.ts';
import { LinearCounter } from '../sketches/linearCounter.ts';
import { SimHashClusters } from '../sketches/simHashClusters.ts';
import { SpaceSaving } from '../sketches/spaceSaving.ts';
import type { SketchBlock, SketchStore } from './sketchStore.ts';
import { ACTIVITY_HOURS, HOUR_MS } from './accountProfile.ts';
import { promptFactsOf } from './promptAnalysis.ts';

/** Most topics listed in a record, and topic counters per window. */
export const TOPICS_LISTED = 32;
/** Most payment fingerprints and network-agent pairs listed in a record. */
export const IDENTITIES_LISTED = 8;
/** Status codes from this value up count as errors (429 rate limits included). */
export const ERROR_STATUS = 400;

const MINUTE_MS = 60_000;
const MINUTE_SLOTS = 4;
const NO_MINUTE = -0x80000000;

const CLUSTERS = new SimHashClusters(8, 3);
const CLUSTER_COUNT = new HyperLogLog(6);
const TEMPLATE_COUNT = new HyperLogLog(6);
const TOPIC_COUNT = new HyperLogLog(5);
const TEMPLATE_SKETCH = new BottomK(16);
/** The window's smallest prompt-identity hashes, compared with the account's history at close. */
export const PROMPT_SAMPLE = new BottomK(8);
const IDENTITY = new LinearCounter(64);

// Word offsets of each sketch in `AccountWindow.sketches`.
const MINUTE_STAMPS_AT = 0;
const MINUTE_COUNTS_AT = MINUTE_STAMPS_AT + MINUTE_SLOTS;
const CLUSTERS_AT = MINUTE_COUNTS_AT + MINUTE_SLOTS;
const CLUSTER_COUNT_AT = CLUSTERS_AT + CLUSTERS.words;
const TEMPLATE_COUNT_AT = CLUSTER_COUNT_AT + CLUSTER_COUNT.words;
const TOPIC_COUNT_AT = TEMPLATE_COUNT_AT + TEMPLATE_COUNT.words;
const TEMPLATE_SKETCH_AT = TOPIC_COUNT_AT + TOPIC_COUNT.words;
const PROMPT_SAMPLE_AT = TEMPLATE_SKETCH_AT + TEMPLATE_SKETCH.words;
const API_KEYS_AT = PROMPT_SAMPLE_AT + PROMPT_SAMPLE.words;
const PREFIXES_AT = API_KEYS_AT + IDENTITY.words;
const AGENTS_AT = PREFIXES_AT + IDENTITY.words;
const PAYMENTS_AT = AGENTS_AT + IDENTITY.words;
const HOURS_AT = PAYMENTS_AT + IDENTITY.words;

/** The block of a released window: none. */
const RELEASED = new Uint32Array(0);
const RELEASED_DOUBLES = new Float64Array(0);

// Topic of a prompt whose lab gave none: the top 5 bits of its SimHash, a locality-sensitive
// bucket (prompts that share most words share most bits), so 32 coarse "regions" of prompt space.
const DERIVED_TOPICS = Array.from({ length: 32 }, (_, i) => `sim:${i.toString(16).padStart(2, '0')}`);
/**
 * Hashes (as the profile remembers topics) of the derived SimHash regions: prompt-space buckets,
 * not subject domains, so a count of domains must leave them out.
 */
export const DERIVED_TOPIC_IDS: ReadonlySet<number> = new Set(DERIVED_TOPICS.map(hashString32));

/** An open window's summary as plain JSON, for the aggregator's changelog. */
export interface AccountWindowState {
  version: 1;
  windowStart: number;
  windowEnd: number;
  /** The running sums in SUM_FIELDS order; event times are null while there are no events. */
  sums: Array<number | null>;
  /** The sketch words (unsigned 32-bit). */
  sketches: number[];
  topics: { slots: Array<[string, number, number]>; replaced: boolean } | null;
  paymentFingerprints: string[];
  networkAgents: string[];
}

const SUM_FIELDS = [
  'events', 'inputTokens', 'outputTokens', 'spend', 'errors', 'firstEventTime', 'lastEventTime', 'hashedPrompts',
  'templatedPrompts', 'textPrompts', 'reasoningPrompts', 'logprobsRequests', 'topLogprobsSum', 'multiCompletionRequests',
  'highEffortRequests', 'maxTokensSum', 'maxTokensRequests', 'peakPerMinute', 'gaps', 'gapMean', 'gapM2',
] as const;

// Doubles at the start of the block, before the sketch words: the running sums in SUM_FIELDS
// order, then these.
const EVENTS = SUM_FIELDS.indexOf('events');
const INPUT_TOKENS = SUM_FIELDS.indexOf('inputTokens');
const OUTPUT_TOKENS = SUM_FIELDS.indexOf('outputTokens');
const SPEND = SUM_FIELDS.indexOf('spend');
const ERRORS = SUM_FIELDS.indexOf('errors');
const FIRST_EVENT_TIME = SUM_FIELDS.indexOf('firstEventTime');
const LAST_EVENT_TIME = SUM_FIELDS.indexOf('lastEventTime');
const HASHED_PROMPTS = SUM_FIELDS.indexOf('hashedPrompts');
const TEMPLATED_PROMPTS = SUM_FIELDS.indexOf('templatedPrompts');
const TEXT_PROMPTS = SUM_FIELDS.indexOf('textPrompts');
const REASONING_PROMPTS = SUM_FIELDS.indexOf('reasoningPrompts');
const LOGPROBS_REQUESTS = SUM_FIELDS.indexOf('logprobsRequests');
const TOP_LOGPROBS_SUM = SUM_FIELDS.indexOf('topLogprobsSum');
const MULTI_COMPLETION_REQUESTS = SUM_FIELDS.indexOf('multiCompletionRequests');
const HIGH_EFFORT_REQUESTS = SUM_FIELDS.indexOf('highEffortRequests');
const MAX_TOKENS_SUM = SUM_FIELDS.indexOf('maxTokensSum');
const MAX_TOKENS_REQUESTS = SUM_FIELDS.indexOf('maxTokensRequests');
const PEAK_PER_MINUTE = SUM_FIELDS.indexOf('peakPerMinute');
const GAPS = SUM_FIELDS.indexOf('gaps');
const GAP_MEAN = SUM_FIELDS.indexOf('gapMean');
const GAP_M2 = SUM_FIELDS.indexOf('gapM2');
const WINDOW_START = SUM_FIELDS.length;
const WINDOW_END = WINDOW_START + 1;
const LAST_TOPIC_ID = WINDOW_START + 2;
const LAST_PAYMENT_ID = WINDOW_START + 3;
const LAST_NETWORK_ID = WINDOW_START + 4;
const DOUBLES = WINDOW_START + 5;
/** Words of the block before its sketch words (two per double). */
const SKETCHES_AT = 2 * DOUBLES;

export class AccountWindow {
  private readonly firstHour: number;
  private readonly hourSlots: number;
  /** Where the block lives: its own buffer, or a block of a SketchStore page. */
  private readonly store: SketchStore | null;
  /** The block as words; this window's sketch words start at `at` (after its doubles). */
  private sketches: Uint32Array;
  private at: number;
  /** The same block as doubles; this window's start at `d` (SUM_FIELDS order, then WINDOW_START...). */
  private numbers: Float64Array;
  private d: number;
  private topics: SpaceSaving | null = null;
  private paymentFingerprints: string[] | null = null;
  private networkAgents: string[] | null = null;
  // The previous event's topic (an account's events mostly repeat it, so it is hashed once);
  // its hash, and those of the previous card and network pair (so the sorted lists are only
  // searched on change), are doubles of the block.
  private lastTopic: string | null = null;

  /**
   * `store`: where the sketch words go (the aggregator's, so that its windows share a few large
   * pages; see sketchStore.ts); without one the window allocates its own array.
   */
  constructor(windowStart: number, windowEnd: number, store: SketchStore | null = null) {
    if (!(windowEnd > windowStart)) throw new RangeError(`window end ${windowEnd} must be after its start ${windowStart}`);
    const lastHour = Math.floor((windowEnd - 1) / HOUR_MS);
    this.firstHour = Math.max(Math.floor(windowStart / HOUR_MS), lastHour - ACTIVITY_HOURS + 1);
    this.hourSlots = lastHour - this.firstHour + 1;
    this.store = store;
    const block = store === null ? ownBlock(this.blockWords) : store.allocate(this.blockWords);
    this.sketches = block.page;
    this.at = block.at + SKETCHES_AT;
    this.numbers = block.doubles;
    this.d = block.at / 2;
    const n = this.numbers;
    n[this.d + FIRST_EVENT_TIME] = Infinity;
    n[this.d + LAST_EVENT_TIME] = -Infinity;
    n[this.d + WINDOW_START] = windowStart;
    n[this.d + WINDOW_END] = windowEnd;
    n[this.d + LAST_PAYMENT_ID] = -1;
    n[this.d + LAST_NETWORK_ID] = -1;
    this.sketches.fill(NO_MINUTE >>> 0, this.at + MINUTE_STAMPS_AT, this.at + MINUTE_STAMPS_AT + MINUTE_SLOTS);
  }

  /** Sketch words of this window (what its state carries). */
  private get words(): number {
    return HOURS_AT + this.hourSlots;
  }

  /** Words of its block: the doubles, the sketch words, and one to make the count even. */
  private get blockWords(): number {
    const words = SKETCHES_AT + this.words;
    return words + (words % 2);
  }

  /** The doubles; a released window has none, and reading it is a bug. */
  private sums(): Float64Array {
    if (this.numbers === RELEASED_DOUBLES) throw new Error('AccountWindow used after release()');
    return this.numbers;
  }

  /** Epoch ms, inclusive. */
  get windowStart(): number { return this.sums()[this.d + WINDOW_START]!; }
  /** Epoch ms, exclusive. */
  get windowEnd(): number { return this.sums()[this.d + WINDOW_END]!; }

  // The running sums, read by the extractors and changed only by `add`.
  get events(): number { return this.sums()[this.d + EVENTS]!; }
  get inputTokens(): number { return this.sums()[this.d + INPUT_TOKENS]!; }
  get outputTokens(): number { return this.sums()[this.d + OUTPUT_TOKENS]!; }
  get spend(): number { return this.sums()[this.d + SPEND]!; }
  get errors(): number { return this.sums()[this.d + ERRORS]!; }
  get firstEventTime(): number { return this.sums()[this.d + FIRST_EVENT_TIME]!; }
  get lastEventTime(): number { return this.sums()[this.d + LAST_EVENT_TIME]!; }
  /** Prompts with a SimHash (text or `prompt_simhash`). */
  get hashedPrompts(): number { return this.sums()[this.d + HASHED_PROMPTS]!; }
  /** Prompts with a template fingerprint (text or `system_prompt_hash`). */
  get templatedPrompts(): number { return this.sums()[this.d + TEMPLATED_PROMPTS]!; }
  /** Prompts whose text was sent. */
  get textPrompts(): number { return this.sums()[this.d + TEXT_PROMPTS]!; }
  get reasoningPrompts(): number { return this.sums()[this.d + REASONING_PROMPTS]!; }
  get logprobsRequests(): number { return this.sums()[this.d + LOGPROBS_REQUESTS]!; }
  get topLogprobsSum(): number { return this.sums()[this.d + TOP_LOGPROBS_SUM]!; }
  get multiCompletionRequests(): number { return this.sums()[this.d + MULTI_COMPLETION_REQUESTS]!; }
  get highEffortRequests(): number { return this.sums()[this.d + HIGH_EFFORT_REQUESTS]!; }
  get maxTokensSum(): number { return this.sums()[this.d + MAX_TOKENS_SUM]!; }
  get maxTokensRequests(): number { return this.sums()[this.d + MAX_TOKENS_REQUESTS]!; }
  get peakPerMinute(): number { return this.sums()[this.d + PEAK_PER_MINUTE]!; }
  /** Welford statistics of the gaps between consecutive events (ms). */
  get gaps(): number { return this.sums()[this.d + GAPS]!; }
  get gapMean(): number { return this.sums()[this.d + GAP_MEAN]!; }
  get gapM2(): number { return this.sums()[this.d + GAP_M2]!; }

  /** The sketch words; a released window has none, and reading it is a bug. */
  private sketchWords(): Uint32Array {
    if (this.sketches === RELEASED) throw new Error('AccountWindow used after release()');
    return this.sketches;
  }

  /** Gives the sketch words back to the store once the window's record is made; the window is unusable afterwards. */
  release(): void {
    if (this.store !== null && this.sketches !== RELEASED) {
      this.store.free({ page: this.sketches, doubles: this.numbers, at: this.at - SKETCHES_AT }, this.blockWords);
    }
    this.sketches = RELEASED;
    this.numbers = RELEASED_DOUBLES;
    this.at = 0;
    this.d = 0;
  }

  /** The summary as plain JSON; `AccountWindow.restore` continues exactly where it stopped. */
  toState(): AccountWindowState {
    return {
      version: 1,
      windowStart: this.windowStart,
      windowEnd: this.windowEnd,
      sums: SUM_FIELDS.map((f) => (Number.isFinite(this[f]) ? this[f] : null)),
      sketches: Array.from(this.sketchWords().subarray(this.at, this.at + this.words)),
      topics: this.topics?.snapshot() ?? null,
      paymentFingerprints: [...(this.paymentFingerprints ?? [])],
      networkAgents: [...(this.networkAgents ?? [])],
    };
  }

  static restore(state: AccountWindowState, store: SketchStore | null = null): AccountWindow {
    if (state.version !== 1) throw new RangeError(`unknown AccountWindow state version ${String(state.version)}`);
    const w = new AccountWindow(state.windowStart, state.windowEnd, store);
    if (state.sums.length !== SUM_FIELDS.length || state.sketches.length !== w.words) {
      w.release();
      throw new RangeError('AccountWindow state does not match this build\'s layout');
    }
    SUM_FIELDS.forEach((f, i) => {
      const v = state.sums[i];
      w.numbers[w.d + i] = v ?? (f === 'firstEventTime' ? Infinity : f === 'lastEventTime' ? -Infinity : 0);
    });
    w.sketches.set(state.sketches, w.at);
    w.topics = state.topics === null ? null : SpaceSaving.restore(TOPICS_LISTED, state.topics);
    w.paymentFingerprints = state.paymentFingerprints.length > 0 ? [...state.paymentFingerprints] : null;
    w.networkAgents = state.networkAgents.length > 0 ? [...state.networkAgents] : null;
    return w;
  }

  /** Folds one valid, de-duplicated event of this account and window into the summary. */
  add(e: UsageEvent): void {
    const n = this.sums();
    const o = this.d;
    const t = e.event_time;
    plus(n, o + EVENTS, 1);
    plus(n, o + INPUT_TOKENS, e.input_tokens);
    plus(n, o + OUTPUT_TOKENS, e.output_tokens);
    plus(n, o + SPEND, e.cost_usd);
    if (e.status != null && e.status >= ERROR_STATUS) plus(n, o + ERRORS, 1);
    this.addTiming(t);

    if (e.logprobs === true || (e.top_logprobs ?? 0) > 0) plus(n, o + LOGPROBS_REQUESTS, 1);
    if (e.top_logprobs != null) plus(n, o + TOP_LOGPROBS_SUM, e.top_logprobs);
    if (e.n != null && e.n > 1) plus(n, o + MULTI_COMPLETION_REQUESTS, 1);
    if (e.reasoning_effort === 'high') plus(n, o + HIGH_EFFORT_REQUESTS, 1);
    if (e.max_tokens != null) {
      plus(n, o + MAX_TOKENS_SUM, e.max_tokens);
      plus(n, o + MAX_TOKENS_REQUESTS, 1);
    }

    const s = this.sketchWords();
    const facts = promptFactsOf(e);
    if (facts.hasSimHash) {
      plus(n, o + HASHED_PROMPTS, 1);
      const slot = CLUSTERS.add(s, this.at + CLUSTERS_AT, facts.simHashHi, facts.simHashLo);
      CLUSTER_COUNT.add(s, this.at + CLUSTER_COUNT_AT, hash64To32(CLUSTERS.representativeHi(s, this.at + CLUSTERS_AT, slot), CLUSTERS.representativeLo(s, this.at + CLUSTERS_AT, slot)));
      // SimHash bits are not uniform; their mix is, as a bottom-k sample needs.
      PROMPT_SAMPLE.add(s, this.at + PROMPT_SAMPLE_AT, hash64To32(facts.simHashHi, facts.simHashLo), 0);
    }
    if (facts.hasTemplate) {
      plus(n, o + TEMPLATED_PROMPTS, 1);
      TEMPLATE_COUNT.add(s, this.at + TEMPLATE_COUNT_AT, hash64To32(facts.templateHi, facts.templateLo));
      TEMPLATE_SKETCH.add(s, this.at + TEMPLATE_SKETCH_AT, facts.templateHi, facts.templateLo);
    }
    if (facts.hasText) {
      plus(n, o + TEXT_PROMPTS, 1);
      if (facts.asksForReasoning) plus(n, o + REASONING_PROMPTS, 1);
    }
    const topic = e.topic ?? (facts.hasSimHash ? DERIVED_TOPICS[facts.simHashHi >>> 27]! : null);
    if (topic !== null) this.addTopic(topic);
    this.addIdentity(e);
  }

  private addTiming(t: number): void {
    const n = this.sums();
    const o = this.d;
    if (n[o + EVENTS]! > 1) {
      const gap = Math.max(0, t - n[o + LAST_EVENT_TIME]!);
      plus(n, o + GAPS, 1);
      const d = gap - n[o + GAP_MEAN]!;
      plus(n, o + GAP_MEAN, d / n[o + GAPS]!);
      plus(n, o + GAP_M2, d * (gap - n[o + GAP_MEAN]!));
    }
    n[o + FIRST_EVENT_TIME] = Math.min(n[o + FIRST_EVENT_TIME]!, t);
    n[o + LAST_EVENT_TIME] = Math.max(n[o + LAST_EVENT_TIME]!, t);

    const s = this.sketchWords();
    const minute = Math.floor(t / MINUTE_MS);
    const slot = minute & (MINUTE_SLOTS - 1);
    const held = s[this.at + MINUTE_STAMPS_AT + slot]! | 0;
    if (held === minute) {
      s[this.at + MINUTE_COUNTS_AT + slot] = s[this.at + MINUTE_COUNTS_AT + slot]! + 1;
    } else if (minute > held) {
      s[this.at + MINUTE_STAMPS_AT + slot] = minute >>> 0;
      s[this.at + MINUTE_COUNTS_AT + slot] = 1;
    }
    // else: more than 4 minutes behind this account's newest event; too late to count in a peak.
    n[o + PEAK_PER_MINUTE] = Math.max(n[o + PEAK_PER_MINUTE]!, s[this.at + MINUTE_COUNTS_AT + slot]!);

    const hour = Math.floor(t / HOUR_MS) - this.firstHour;
    if (hour >= 0 && hour < this.hourSlots) s[this.at + HOURS_AT + hour] = s[this.at + HOURS_AT + hour]! + 1;
  }

  private addTopic(topic: string): void {
    const n = this.sums();
    const o = this.d;
    if (topic !== this.lastTopic) {
      this.lastTopic = topic;
      n[o + LAST_TOPIC_ID] = hashString32(topic);
    }
    (this.topics ??= new SpaceSaving(TOPICS_LISTED)).add(topic);
    TOPIC_COUNT.add(this.sketchWords(), this.at + TOPIC_COUNT_AT, n[o + LAST_TOPIC_ID]!);
  }

  private addIdentity(e: UsageEvent): void {
    const n = this.sums();
    const o = this.d;
    const s = this.sketchWords();
    if (e.api_key_id != null) IDENTITY.add(s, this.at + API_KEYS_AT, hashString32(e.api_key_id));
    const prefix = e.ip_prefix;
    const agent = e.user_agent;
    const prefixId = prefix != null ? hashString32(prefix) : 0;
    const agentId = agent != null ? hashString32(agent) : 0;
    if (prefix != null) IDENTITY.add(s, this.at + PREFIXES_AT, prefixId);
    if (agent != null) IDENTITY.add(s, this.at + AGENTS_AT, agentId);
    if (prefix != null && agent != null) {
      const networkId = hash64To32(prefixId, agentId);
      if (networkId !== n[o + LAST_NETWORK_ID]!) {
        n[o + LAST_NETWORK_ID] = networkId;
        this.networkAgents = insertSmallest(this.networkAgents, `${prefix}|${agent}`);
      }
    }
    const card = e.payment_fingerprint;
    if (card != null) {
      const cardId = hashString32(card);
      IDENTITY.add(s, this.at + PAYMENTS_AT, cardId);
      if (cardId !== n[o + LAST_PAYMENT_ID]!) {
        n[o + LAST_PAYMENT_ID] = cardId;
        this.paymentFingerprints = insertSmallest(this.paymentFingerprints, card);
      }
    }
  }

  /** Estimated distinct near-duplicate prompt clusters (≤ hashed prompts). */
  distinctPromptClusters(): number {
    const held = CLUSTERS.size(this.sketchWords(), this.at + CLUSTERS_AT);
    return Math.min(this.hashedPrompts, Math.max(held, CLUSTER_COUNT.estimate(this.sketchWords(), this.at + CLUSTER_COUNT_AT)));
  }

  /** Counts and inherited errors of the held prompt clusters (the heavy ones). */
  heldPromptClusters(): Array<{ count: number; error: number }> {
    const out: Array<{ count: number; error: number }> = [];
    for (let i = 0; i < CLUSTERS.size(this.sketchWords(), this.at + CLUSTERS_AT); i++) {
      out.push({ count: CLUSTERS.count(this.sketchWords(), this.at + CLUSTERS_AT, i), error: CLUSTERS.error(this.sketchWords(), this.at + CLUSTERS_AT, i) });
    }
    return out;
  }

  /** Estimated distinct template fingerprints (≤ templated prompts). */
  distinctTemplates(): number {
    return Math.min(this.templatedPrompts, TEMPLATE_COUNT.estimate(this.sketchWords(), this.at + TEMPLATE_COUNT_AT));
  }

  /** Bottom-16 of the template fingerprints, 16 hex digits each, ascending. */
  /** The window's smallest distinct prompt-identity hashes (at most PROMPT_SAMPLE.k), ascending. */
  promptSample(): number[] {
    const s = this.sketchWords();
    const out: number[] = [];
    for (let i = 0; i < PROMPT_SAMPLE.size(s, this.at + PROMPT_SAMPLE_AT); i++) out.push(s[this.at + PROMPT_SAMPLE_AT + 1 + 2 * i]!);
    return out;
  }

  templateSketch(): string[] {
    return TEMPLATE_SKETCH.hex(this.sketchWords(), this.at + TEMPLATE_SKETCH_AT);
  }

  /** Distinct topics: exact while at most 32, estimated beyond. */
  distinctTopics(): number {
    const topics = this.topics;
    if (topics === null) return 0;
    if (!topics.replaced) return topics.size;
    return Math.max(topics.size, Math.round(TOPIC_COUNT.estimate(this.sketchWords(), this.at + TOPIC_COUNT_AT)));
  }

  /** The most frequent topics, by count then name (at most 32). */
  topTopics(): Array<{ topic: string; count: number }> {
    return (this.topics?.top() ?? []).map((h) => ({ topic: h.key, count: h.count }));
  }

  /** Hashes of the held topics, most frequent first: what the profile remembers. */
  topicIds(): number[] {
    return (this.topics?.top() ?? []).map((h) => hashString32(h.key));
  }

  distinctApiKeys(): number {
    return Math.round(IDENTITY.estimate(this.sketchWords(), this.at + API_KEYS_AT));
  }

  distinctNetworkPrefixes(): number {
    return Math.round(IDENTITY.estimate(this.sketchWords(), this.at + PREFIXES_AT));
  }

  distinctUserAgents(): number {
    return Math.round(IDENTITY.estimate(this.sketchWords(), this.at + AGENTS_AT));
  }

  distinctPaymentMethods(): number {
    return Math.round(IDENTITY.estimate(this.sketchWords(), this.at + PAYMENTS_AT));
  }

  /** Up to 8 distinct payment fingerprints, sorted. */
  listedPaymentFingerprints(): string[] {
    return [...(this.paymentFingerprints ?? [])];
  }

  /** Up to 8 distinct 'ip_prefix|user_agent' pairs, sorted. */
  listedNetworkAgents(): string[] {
    return [...(this.networkAgents ?? [])];
  }

  /** Calls `visit(hourIndex, events)` for every UTC hour of the window with events. */
  forEachHour(visit: (hour: number, events: number) => void): void {
    for (let h = 0; h < this.hourSlots; h++) {
      const events = this.sketchWords()[this.at + HOURS_AT + h]!;
      if (events > 0) visit(this.firstHour + h, events);
    }
  }
}

/**
 * `list` (sorted, at most IDENTITIES_LISTED distinct strings, the smallest kept) with `value`
 * inserted, as a new array of exactly the size it needs: an account-window usually lists one
 * card and one network, and a growable array would reserve 17 slots for it.
 */
function insertSmallest(list: string[] | null, value: string): string[] {
  const held = list ?? [];
  let i = held.length;
  while (i > 0 && held[i - 1]! > value) i--;
  if (i > 0 && held[i - 1] === value) return held;
  if (i >= IDENTITIES_LISTED) return held;
  const size = Math.min(held.length + 1, IDENTITIES_LISTED);
  const out = new Array<string>(size);
  for (let k = 0; k < i; k++) out[k] = held[k]!;
  out[i] = value;
  for (let k = i + 1; k < size; k++) out[k] = held[k - 1]!;
  return out;
}

/** n[i] += v (strict indexing types a typed array's element as possibly undefined). */
function plus(n: Float64Array, i: number, v: number): void {
  n[i] = n[i]! + v;
}

/** A block of its own, for a window outside any store (tests, the fixture of accountMemory). */
function ownBlock(words: number): SketchBlock {
  const page = new Uint32Array(words);
  return { page, doubles: new Float64Array(page.buffer), at: 0 };
}
