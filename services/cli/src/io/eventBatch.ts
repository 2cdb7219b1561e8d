// The compact form in which a parse worker of `detect --threads` hands a batch of parsed lines
// back to the main thread. Structured-cloning thousands of event objects costs the receiving
// thread about as much as parsing them, so events travel as columns instead: numbers in one
// Float64Array, strings as numbers of the worker's string table (stringTable.ts: each distinct
// value sent once per run, not once per batch), event ids as a list of their own (each is
// unique), prompt facts as numbers, the prompt text not at all. Blank and rejected lines keep
// their place; rejections are rare and travel as they are. `decodeLine` rebuilds exactly the
// event `parseUsageEventLine` gave in the worker, minus the prompt text, plus its prompt facts.
// Must never change a value on the way: the output of `detect` is byte-identical for every N.
import { PROMPT_FACTS, type ParseResult, type PreparedEvent, type PromptFacts, type Rejection } from '@distillwatch/core/parsing';
import { SentStrings, type ReceivedStrings } from './stringTable.ts';

/** What the worker sends for one batch (all typed arrays transferable). */
export interface EncodedBatch {
  /** Per line: BLANK, EVENT or REJECTED. */
  kinds: Uint8Array<ArrayBuffer>;
  /** NUMBERS_PER_EVENT per event; NaN stands for null (validated numbers are finite). */
  numbers: Float64Array<ArrayBuffer>;
  /** STRINGS_PER_EVENT per event: a number of the worker's string table, or -1 for null. */
  refs: Int32Array<ArrayBuffer>;
  /** The values this batch numbered first, in the order of their numbers. */
  addedStrings: string[];
  /** The worker started its string table afresh with this batch. */
  freshTable: boolean;
  /** One per event. */
  eventIds: string[];
  /** The rejected lines' records, in line order, numbered from 1 within the batch. */
  rejections: Rejection[];
}

const BLANK = 0;
const EVENT = 1;
const REJECTED = 2;

// Numeric slots of an event; logprobs is 0/1 (NaN for null); the facts' flags are bits.
const EVENT_TIME = 0, INPUT_TOKENS = 1, OUTPUT_TOKENS = 2, COST_USD = 3, TEMPERATURE = 4, TOP_P = 5, MAX_TOKENS = 6, N = 7,
  LOGPROBS = 8, TOP_LOGPROBS = 9, STATUS = 10, SIM_HI = 11, SIM_LO = 12, TEMPLATE_HI = 13, TEMPLATE_LO = 14, FACT_FLAGS = 15;
const NUMBERS_PER_EVENT = 16;
const HAS_SIMHASH = 1, HAS_TEMPLATE = 2, HAS_TEXT = 4, ASKS_FOR_REASONING = 8;
/** The prompt's vocabulary sample (PromptFacts.vocabulary, below 2^35) rides above the four flags: exact in a double. */
const VOCABULARY_UNIT = 16;

// String slots of an event: slot k holds field STRING_FIELDS[k] (the event id travels apart).
const LAB = 0, ACCOUNT_ID = 1, API_KEY_ID = 2, MODEL = 3, ENDPOINT = 4, REASONING_EFFORT = 5, PROMPT_SIMHASH = 6,
  TOPIC = 7, SYSTEM_PROMPT_HASH = 8, IP_PREFIX = 9, USER_AGENT = 10, PAYMENT_FINGERPRINT = 11, COUNTRY = 12;
const STRING_FIELDS = [
  'lab', 'account_id', 'api_key_id', 'model', 'endpoint', 'reasoning_effort', 'prompt_simhash',
  'topic', 'system_prompt_hash', 'ip_prefix', 'user_agent', 'payment_fingerprint', 'country',
] as const satisfies readonly (keyof PreparedEvent)[];
const STRINGS_PER_EVENT = STRING_FIELDS.length;

/** The string table of a worker's batches (one per worker, kept for the whole run). */
export function workerStrings(limit?: number): SentStrings {
  return new SentStrings(STRINGS_PER_EVENT, limit);
}

/** Builds one EncodedBatch in the worker, line by line, numbering strings in the worker's table. */
export class BatchEncoder {
  private readonly kinds: Uint8Array;
  private readonly numbers: Float64Array;
  private readonly refs: Int32Array;
  private readonly table: SentStrings;
  private readonly eventIds: string[] = [];
  private readonly rejections: Rejection[] = [];
  private lines = 0;
  private events = 0;

  constructor(maxLines: number, table: SentStrings) {
    this.kinds = new Uint8Array(maxLines);
    this.numbers = new Float64Array(maxLines * NUMBERS_PER_EVENT);
    this.refs = new Int32Array(maxLines * STRINGS_PER_EVENT);
    this.table = table;
    table.beginBatch();
  }

  add(parsed: ParseResult, facts: PromptFacts | null): void {
    const line = this.lines++;
    if (parsed.kind === 'blank') { this.kinds[line] = BLANK; return; }
    if (parsed.kind === 'rejected') { this.kinds[line] = REJECTED; this.rejections.push(parsed.rejection); return; }
    this.kinds[line] = EVENT;
    const e = parsed.event;
    const f = facts!;
    const n = this.numbers;
    const at = this.events * NUMBERS_PER_EVENT;
    n[at + EVENT_TIME] = e.event_time;
    n[at + INPUT_TOKENS] = e.input_tokens;
    n[at + OUTPUT_TOKENS] = e.output_tokens;
    n[at + COST_USD] = e.cost_usd;
    n[at + TEMPERATURE] = e.temperature ?? NaN;
    n[at + TOP_P] = e.top_p ?? NaN;
    n[at + MAX_TOKENS] = e.max_tokens ?? NaN;
    n[at + N] = e.n ?? NaN;
    n[at + LOGPROBS] = e.logprobs == null ? NaN : e.logprobs ? 1 : 0;
    n[at + TOP_LOGPROBS] = e.top_logprobs ?? NaN;
    n[at + STATUS] = e.status ?? NaN;
    n[at + SIM_HI] = f.simHashHi;
    n[at + SIM_LO] = f.simHashLo;
    n[at + TEMPLATE_HI] = f.templateHi;
    n[at + TEMPLATE_LO] = f.templateLo;
    n[at + FACT_FLAGS] = ((f.hasSimHash ? HAS_SIMHASH : 0) | (f.hasTemplate ? HAS_TEMPLATE : 0) | (f.hasText ? HAS_TEXT : 0) | (f.asksForReasoning ? ASKS_FOR_REASONING : 0))
      + f.vocabulary * VOCABULARY_UNIT;
    const r = this.refs;
    const s = this.events * STRINGS_PER_EVENT;
    this.eventIds.push(e.event_id);
    // One property per line, not e[STRING_FIELDS[slot]] in a loop: a keyed load whose key
    // changes at every turn is megamorphic, and cost more than the table look-up itself.
    const t = this.table;
    r[s + LAB] = t.ref(LAB, e.lab);
    r[s + ACCOUNT_ID] = t.ref(ACCOUNT_ID, e.account_id);
    r[s + API_KEY_ID] = t.ref(API_KEY_ID, e.api_key_id);
    r[s + MODEL] = t.ref(MODEL, e.model);
    r[s + ENDPOINT] = t.ref(ENDPOINT, e.endpoint);
    r[s + REASONING_EFFORT] = t.ref(REASONING_EFFORT, e.reasoning_effort);
    r[s + PROMPT_SIMHASH] = t.ref(PROMPT_SIMHASH, e.prompt_simhash);
    r[s + TOPIC] = t.ref(TOPIC, e.topic);
    r[s + SYSTEM_PROMPT_HASH] = t.ref(SYSTEM_PROMPT_HASH, e.system_prompt_hash);
    r[s + IP_PREFIX] = t.ref(IP_PREFIX, e.ip_prefix);
    r[s + USER_AGENT] = t.ref(USER_AGENT, e.user_agent);
    r[s + PAYMENT_FINGERPRINT] = t.ref(PAYMENT_FINGERPRINT, e.payment_fingerprint);
    r[s + COUNTRY] = t.ref(COUNTRY, e.country);
    this.events++;
  }

  /** The batch, trimmed to what was added (fresh buffers, safe to transfer). */
  finish(): EncodedBatch {
    const { added, fresh } = this.table.endBatch();
    return {
      kinds: this.kinds.slice(0, this.lines),
      numbers: this.numbers.slice(0, this.events * NUMBERS_PER_EVENT),
      refs: this.refs.slice(0, this.events * STRINGS_PER_EVENT),
      addedStrings: added,
      freshTable: fresh,
      eventIds: this.eventIds,
      rejections: this.rejections,
    };
  }
}

/**
 * Reads an EncodedBatch back, line by line and in order, on the main thread. `table`: the
 * strings of the worker that encoded it; batches of one worker are decoded in the order it
 * encoded them.
 */
export class BatchDecoder {
  private readonly batch: EncodedBatch;
  /** Added to the batch's own line numbers (its first line is 1). */
  private readonly lineBase: number;
  private readonly strings: readonly string[];
  private event = 0;
  private rejection = 0;

  constructor(batch: EncodedBatch, lineBase: number, table: ReceivedStrings) {
    this.batch = batch;
    this.lineBase = lineBase;
    table.receive(batch.addedStrings, batch.freshTable);
    this.strings = table.strings;
  }

  get lines(): number { return this.batch.kinds.length; }

  /** Line `i` (0-based within the batch, taken in order) as `parseUsageEventLine` judged it. */
  next(i: number): ParseResult {
    const kind = this.batch.kinds[i];
    if (kind === BLANK) return BLANK_RESULT;
    if (kind === REJECTED) {
      const r = this.batch.rejections[this.rejection++]!;
      // Numbered within the batch in the worker; `line` is the record's first key, so
      // reassigning it keeps the key order of the dead-letter JSON.
      r.line += this.lineBase;
      return { kind: 'rejected', rejection: r };
    }
    return { kind: 'event', event: this.decodeEvent(this.event++) };
  }

  private decodeEvent(k: number): PreparedEvent {
    const n = this.batch.numbers;
    const at = k * NUMBERS_PER_EVENT;
    const r = this.batch.refs;
    const s = k * STRINGS_PER_EVENT;
    const strings = this.strings;
    const flags = n[at + FACT_FLAGS]!;
    const facts: PromptFacts = {
      hasSimHash: (flags & HAS_SIMHASH) !== 0, simHashHi: n[at + SIM_HI]!, simHashLo: n[at + SIM_LO]!,
      hasTemplate: (flags & HAS_TEMPLATE) !== 0, templateHi: n[at + TEMPLATE_HI]!, templateLo: n[at + TEMPLATE_LO]!,
      hasText: (flags & HAS_TEXT) !== 0, asksForReasoning: (flags & ASKS_FOR_REASONING) !== 0,
      vocabulary: Math.floor(flags / VOCABULARY_UNIT),
    };
    const logprobs = n[at + LOGPROBS]!;
    // Schema field order, as parseUsageEventLine builds it; the prompt text stays in the worker.
    return {
      event_id: this.batch.eventIds[k]!,
      event_time: n[at + EVENT_TIME]!,
      lab: strings[r[s + LAB]!]!,
      account_id: strings[r[s + ACCOUNT_ID]!]!,
      api_key_id: orNullString(strings, r[s + API_KEY_ID]!),
      model: strings[r[s + MODEL]!]!,
      endpoint: orNullString(strings, r[s + ENDPOINT]!),
      input_tokens: n[at + INPUT_TOKENS]!,
      output_tokens: n[at + OUTPUT_TOKENS]!,
      cost_usd: n[at + COST_USD]!,
      temperature: orNull(n[at + TEMPERATURE]!),
      top_p: orNull(n[at + TOP_P]!),
      max_tokens: orNull(n[at + MAX_TOKENS]!),
      n: orNull(n[at + N]!),
      logprobs: logprobs !== logprobs ? null : logprobs === 1,
      top_logprobs: orNull(n[at + TOP_LOGPROBS]!),
      reasoning_effort: orNullString(strings, r[s + REASONING_EFFORT]!),
      prompt_text: null,
      prompt_simhash: orNullString(strings, r[s + PROMPT_SIMHASH]!),
      topic: orNullString(strings, r[s + TOPIC]!),
      system_prompt_hash: orNullString(strings, r[s + SYSTEM_PROMPT_HASH]!),
      ip_prefix: orNullString(strings, r[s + IP_PREFIX]!),
      user_agent: orNullString(strings, r[s + USER_AGENT]!),
      payment_fingerprint: orNullString(strings, r[s + PAYMENT_FINGERPRINT]!),
      country: orNullString(strings, r[s + COUNTRY]!),
      status: orNull(n[at + STATUS]!),
      [PROMPT_FACTS]: facts,
    };
  }
}

const BLANK_RESULT: ParseResult = Object.freeze({ kind: 'blank' });

function orNull(x: number): number | null {
  return x !== x ? null : x;
}

function orNullString(strings: readonly string[], i: number): string | null {
  return i < 0 ? null : strings[i]!;
}
