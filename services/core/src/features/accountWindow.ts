/**
 * The running summary of one account over one open event-time window: everything the
 * feature extractors need, in bounded memory whatever the traffic. Events are folded in by
 * `add` and forgotten; no prompt, no list of events, no per-request record is kept.
 *
 * State: 22 running sums (counts, tokens, spend, elicitation flags, Welford gap statistics,
 * peak events per minute) and one block of unsigned 32-bit words holding every sketch (a block
 * of the aggregator's SketchStore, or the window's own Uint32Array):
 *   - per-minute counts of the last 4 minutes (peak rate; events of one account arrive nearly
 *     in order, and the allowed lateness is 2 minutes);
 *   - near-duplicate prompt clusters (SimHash, Hamming radius 3, 8 heavy-hitter slots) and a
 *     HyperLogLog (precision 6) of cluster representatives;
 *   - a HyperLogLog (precision 6) of template fingerprints and a bottom-16 sketch of them;
 *   - a HyperLogLog (precision 5) of topics, beside a 32-counter Space-Saving of topic names;
 *   - linear counters (64 bits) of API keys, network prefixes, user agents, payment cards;
 *   - a 256-bit linear-counting bitmap of the prompts' sampled words (`vocabularySample.ts`);
 *   - events per UTC hour for the hours the window spans (at most its last 24).
 * plus the few strings an alert needs: up to 8 payment fingerprints and 8
 * 'ip_prefix|user_agent' pairs (the lexicographically smallest, so arrival order cannot change
 * them). With its account's fresh profile it takes about 0.9 KB in the aggregator's SketchStore
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
import type { SketchStore } from './sketchStore.ts';
import { ACTIVITY_HOURS, HOUR_MS } from './accountProfile.ts';
import { promptFactsOf } from './promptAnalysis.ts';
import { addVocabularySample, VOCABULARY, vocabularyWords } from './vocabularySample.ts';

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
const VOCABULARY_AT = PAYMENTS_AT + IDENTITY.words;
const HOURS_AT = VOCABULARY_AT + VOCABULARY.words;

/** The sketch words of a released window: none. */
const RELEASED = new Uint32Array(0);

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
  /** Version 2 adds the vocabulary bitmap and its word count; version 1 states are refused. */
  version: 2;
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
  'templatedPrompts', 'textPrompts', 'sampledWords', 'reasoningPrompts', 'logprobsRequests', 'topLogprobsSum', 'multiCompletionRequests',
  'highEffortRequests', 'maxTokensSum', 'maxTokensRequests', 'peakPerMinute', 'gaps', 'gapMean', 'gapM2',
] as const;

export class AccountWindow {
  /** Epoch ms, inclusive. */
  readonly windowStart: number;
  /** Epoch ms, exclusive. */
  readonly windowEnd: number;

  // Running sums, read by the extractors and changed only by `add`.
  events = 0;
  inputTokens = 0;
  outputTokens = 0;
  spend = 0;
  errors = 0;
  firstEventTime = Infinity;
  lastEventTime = -Infinity;
  /** Prompts with a SimHash (text or `prompt_simhash`). */
  hashedPrompts = 0;
  /** Prompts with a template fingerprint (text or `system_prompt_hash`). */
  templatedPrompts = 0;
  /** Prompts whose text was sent. */
  textPrompts = 0;
  /** Words sampled from the prompts' text into the vocabulary bitmap (`vocabularySample.ts`). */
  sampledWords = 0;
  reasoningPrompts = 0;
  logprobsRequests = 0;
  topLogprobsSum = 0;
  multiCompletionRequests = 0;
  highEffortRequests = 0;
  maxTokensSum = 0;
  maxTokensRequests = 0;
  peakPerMinute = 0;
  /** Welford statistics of the gaps between consecutive events (ms). */
  gaps = 0;
  gapMean = 0;
  gapM2 = 0;

  private readonly firstHour: number;
  private readonly hourSlots: number;
  /** Where the sketch words live: its own array, or a block of a SketchStore page from `at`. */
  private readonly store: SketchStore | null;
  private sketches: Uint32Array;
  private at: number;
  private topics: SpaceSaving | null = null;
  private paymentFingerprints: string[] | null = null;
  private networkAgents: string[] | null = null;
  // The previous event's topic (an account's events mostly repeat it, so it is hashed once),
  // and hashes of its card and network pair (so the sorted lists are only searched on change).
  private lastTopic: string | null = null;
  private lastTopicId = 0;
  private lastPaymentId = -1;
  private lastNetworkId = -1;

  /**
   * `store`: where the sketch words go (the aggregator's, so that its windows share a few large
   * pages; see sketchStore.ts); without one the window allocates its own array.
   */
  constructor(windowStart: number, windowEnd: number, store: SketchStore | null = null) {
    if (!(windowEnd > windowStart)) throw new RangeError(`window end ${windowEnd} must be after its start ${windowStart}`);
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    const lastHour = Math.floor((windowEnd - 1) / HOUR_MS);
    this.firstHour = Math.max(Math.floor(windowStart / HOUR_MS), lastHour - ACTIVITY_HOURS + 1);
    this.hourSlots = lastHour - this.firstHour + 1;
    this.store = store;
    if (store === null) {
      this.sketches = new Uint32Array(this.words);
      this.at = 0;
    } else {
      const block = store.allocate(this.words);
      this.sketches = block.page;
      this.at = block.at;
    }
    this.sketches.fill(NO_MINUTE >>> 0, this.at + MINUTE_STAMPS_AT, this.at + MINUTE_STAMPS_AT + MINUTE_SLOTS);
  }

  /** Sketch words of this window. */
  private get words(): number {
    return HOURS_AT + this.hourSlots;
  }

  /** The sketch words; a released window has none, and reading it is a bug. */
  private sketchWords(): Uint32Array {
    if (this.sketches === RELEASED) throw new Error('AccountWindow used after release()');
    return this.sketches;
  }

  /** Gives the sketch words back to the store once the window's record is made; the window is unusable afterwards. */
  release(): void {
    if (this.store !== null && this.sketches !== RELEASED) this.store.free({ page: this.sketches, at: this.at }, this.words);
    this.sketches = RELEASED;
    this.at = 0;
  }

  /** The summary as plain JSON; `AccountWindow.restore` continues exactly where it stopped. */
  toState(): AccountWindowState {
    return {
      version: 2,
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
    if (state.version !== 2) throw new RangeError(`unknown AccountWindow state version ${String(state.version)}`);
    const w = new AccountWindow(state.windowStart, state.windowEnd, store);
    if (state.sums.length !== SUM_FIELDS.length || state.sketches.length !== w.words) {
      w.release();
      throw new RangeError('AccountWindow state does not match this build\'s layout');
    }
    SUM_FIELDS.forEach((f, i) => {
      const v = state.sums[i];
      w[f] = v ?? (f === 'firstEventTime' ? Infinity : f === 'lastEventTime' ? -Infinity : 0);
    });
    w.sketches.set(state.sketches, w.at);
    w.topics = state.topics === null ? null : SpaceSaving.restore(TOPICS_LISTED, state.topics);
    w.paymentFingerprints = state.paymentFingerprints.length > 0 ? [...state.paymentFingerprints] : null;
    w.networkAgents = state.networkAgents.length > 0 ? [...state.networkAgents] : null;
    return w;
  }

  /** Folds one valid, de-duplicated event of this account and window into the summary. */
  add(e: UsageEvent): void {
    const t = e.event_time;
    this.events++;
    this.inputTokens += e.input_tokens;
    this.outputTokens += e.output_tokens;
    this.spend += e.cost_usd;
    if (e.status != null && e.status >= ERROR_STATUS) this.errors++;
    this.addTiming(t);

    if (e.logprobs === true || (e.top_logprobs ?? 0) > 0) this.logprobsRequests++;
    if (e.top_logprobs != null) this.topLogprobsSum += e.top_logprobs;
    if (e.n != null && e.n > 1) this.multiCompletionRequests++;
    if (e.reasoning_effort === 'high') this.highEffortRequests++;
    if (e.max_tokens != null) {
      this.maxTokensSum += e.max_tokens;
      this.maxTokensRequests++;
    }

    const s = this.sketchWords();
    const facts = promptFactsOf(e);
    if (facts.hasSimHash) {
      this.hashedPrompts++;
      const slot = CLUSTERS.add(s, this.at + CLUSTERS_AT, facts.simHashHi, facts.simHashLo);
      CLUSTER_COUNT.add(s, this.at + CLUSTER_COUNT_AT, hash64To32(CLUSTERS.representativeHi(s, this.at + CLUSTERS_AT, slot), CLUSTERS.representativeLo(s, this.at + CLUSTERS_AT, slot)));
      // SimHash bits are not uniform; their mix is, as a bottom-k sample needs.
      PROMPT_SAMPLE.add(s, this.at + PROMPT_SAMPLE_AT, hash64To32(facts.simHashHi, facts.simHashLo), 0);
    }
    if (facts.hasTemplate) {
      this.templatedPrompts++;
      TEMPLATE_COUNT.add(s, this.at + TEMPLATE_COUNT_AT, hash64To32(facts.templateHi, facts.templateLo));
      TEMPLATE_SKETCH.add(s, this.at + TEMPLATE_SKETCH_AT, facts.templateHi, facts.templateLo);
    }
    if (facts.hasText) {
      this.textPrompts++;
      if (facts.asksForReasoning) this.reasoningPrompts++;
      this.sampledWords += vocabularyWords(facts.vocabulary);
      addVocabularySample(s, this.at + VOCABULARY_AT, facts.vocabulary);
    }
    const topic = e.topic ?? (facts.hasSimHash ? DERIVED_TOPICS[facts.simHashHi >>> 27]! : null);
    if (topic !== null) this.addTopic(topic);
    this.addIdentity(e);
  }

  private addTiming(t: number): void {
    if (this.events > 1) {
      const gap = Math.max(0, t - this.lastEventTime);
      this.gaps++;
      const d = gap - this.gapMean;
      this.gapMean += d / this.gaps;
      this.gapM2 += d * (gap - this.gapMean);
    }
    this.firstEventTime = Math.min(this.firstEventTime, t);
    this.lastEventTime = Math.max(this.lastEventTime, t);

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
    this.peakPerMinute = Math.max(this.peakPerMinute, s[this.at + MINUTE_COUNTS_AT + slot]!);

    const hour = Math.floor(t / HOUR_MS) - this.firstHour;
    if (hour >= 0 && hour < this.hourSlots) s[this.at + HOURS_AT + hour] = s[this.at + HOURS_AT + hour]! + 1;
  }

  private addTopic(topic: string): void {
    if (topic !== this.lastTopic) {
      this.lastTopic = topic;
      this.lastTopicId = hashString32(topic);
    }
    (this.topics ??= new SpaceSaving(TOPICS_LISTED)).add(topic);
    TOPIC_COUNT.add(this.sketchWords(), this.at + TOPIC_COUNT_AT, this.lastTopicId);
  }

  private addIdentity(e: UsageEvent): void {
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
      if (networkId !== this.lastNetworkId) {
        this.lastNetworkId = networkId;
        this.networkAgents = insertSmallest(this.networkAgents, `${prefix}|${agent}`);
      }
    }
    const card = e.payment_fingerprint;
    if (card != null) {
      const cardId = hashString32(card);
      IDENTITY.add(s, this.at + PAYMENTS_AT, cardId);
      if (cardId !== this.lastPaymentId) {
        this.lastPaymentId = cardId;
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

  /** Word `i` (0..VOCABULARY.words - 1) of the window's vocabulary bitmap. */
  vocabularyWord(i: number): number {
    return this.sketchWords()[this.at + VOCABULARY_AT + i]!;
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
