/**
 * Validation of one NDJSON usage-event line (CONTRACT.md section 2).
 *
 * Turns a line of text into a normalised `UsageEvent` (event_time as epoch ms, every optional
 * field present and `null` when absent, unknown fields dropped, `prompt_simhash` lower-cased),
 * a blank, or a `Rejection` that names the reason and the field at fault, ready for the
 * dead-letter output. It must never throw on bad input, never read a clock and never keep
 * state: every line is judged on its own, so `detect`, `produce` and the services agree.
 */
import type { UsageEvent } from '../schemas.generated.ts';
import { cutRaw, RAW_LIMIT } from './raw.ts';

export { RAW_LIMIT };

/** Why a line was not turned into an event; serialises as a dead-letter record. */
export interface Rejection {
  /** 1-based line number, blank lines counted. */
  line: number;
  /** Short stable reason, e.g. `invalid JSON`, `missing field`, `wrong type`. */
  reason: string;
  /** The field at fault, when one is. */
  field?: string;
  /** The line itself, cut to at most RAW_LIMIT characters. */
  raw: string;
}

export type ParseResult =
  | { kind: 'event'; event: UsageEvent }
  | { kind: 'blank' }
  | { kind: 'rejected'; rejection: Rejection };

/** The Kafka key of an account's events, and the account's identity: `<lab>/<account_id>`. */
export function accountKey(lab: string, accountId: string): string {
  return `${lab}/${accountId}`;
}

const BLANK: ParseResult = Object.freeze({ kind: 'blank' });

// Avro `int` is a signed 32-bit integer; larger values could not be produced to the topic.
const INT_MAX = 2_147_483_647;
const INT_MIN = -2_147_483_648;
// The range of a JavaScript Date; anything beyond is not a time.
const TIME_LIMIT_MS = 8.64e15;
const SIMHASH_PATTERN = /^[0-9a-fA-F]{16}$/;

/** Internal signal carrying the first fault found; never escapes this parser or the verdict parser. */
export class Fault {
  readonly reason: string;
  readonly field: string | undefined;
  constructor(reason: string, field?: string) {
    this.reason = reason;
    this.field = field;
  }
}

/**
 * Parses line number `line` (1-based) of an NDJSON usage log. The first fault found, in
 * schema field order, is the one reported.
 */
export function parseUsageEventLine(text: string, line: number): ParseResult {
  if (isBlank(text)) return BLANK;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return reject(line, text, new Fault('invalid JSON'));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject(line, text, new Fault('not an object'));
  }
  const result = toUsageEvent(value as Record<string, unknown>);
  if (result instanceof Fault) return reject(line, text, result);
  return { kind: 'event', event: result };
}

/**
 * Validates a decoded record (e.g. an Avro value of a usage-events topic) exactly as
 * `parseUsageEventLine(JSON.stringify(record), line)` would, without the text round trip: a
 * number JSON cannot write (NaN, ±Infinity) counts as null and -0 as 0, and a property that is
 * `undefined` as absent. Meant for records of strings, numbers, booleans and nulls.
 * `text` gives the record's JSON text, computed only when a rejection needs it.
 */
export function parseUsageEventRecord(record: Readonly<Record<string, unknown>>, line: number, text: () => string): Exclude<ParseResult, { kind: 'blank' }> {
  const result = toUsageEvent(jsonSafe(record) ? record : asJsonWouldGiveBack(record));
  if (result instanceof Fault) return { kind: 'rejected', rejection: rejection(line, text(), result) };
  return { kind: 'event', event: result };
}

/** Whether every number of `record` survives a JSON round trip (no NaN, ±Infinity or -0). */
function jsonSafe(record: Readonly<Record<string, unknown>>): boolean {
  for (const v of Object.values(record)) {
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return false;
  }
  return true;
}

/** The own enumerable fields of `record` with numbers as a JSON round trip gives them back. */
function asJsonWouldGiveBack(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    o[key] = typeof v !== 'number' ? v : !Number.isFinite(v) ? null : v === 0 ? 0 : v;
  }
  return o;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // JSON whitespace only: space, tab, LF, CR.
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

function reject(line: number, text: string, fault: Fault): ParseResult {
  return { kind: 'rejected', rejection: rejection(line, text, fault) };
}

function rejection(line: number, text: string, fault: Fault): Rejection {
  return fault.field === undefined
    ? { line, reason: fault.reason, raw: cutRaw(text) }
    : { line, reason: fault.reason, field: fault.field, raw: cutRaw(text) };
}

function toUsageEvent(o: Record<string, unknown>): UsageEvent | Fault {
  try {
    // Object literal in schema field order: one hidden class for every event, and the order
    // the Avro encoder and NDJSON writers expect.
    return {
      event_id: requiredId(o, 'event_id'),
      event_time: eventTime(o),
      lab: requiredId(o, 'lab'),
      account_id: requiredId(o, 'account_id'),
      api_key_id: optionalString(o, 'api_key_id'),
      model: requiredString(o, 'model'),
      endpoint: optionalString(o, 'endpoint'),
      input_tokens: tokenCount(o, 'input_tokens'),
      output_tokens: tokenCount(o, 'output_tokens'),
      cost_usd: cost(o),
      temperature: optionalFinite(o, 'temperature'),
      top_p: optionalFinite(o, 'top_p'),
      max_tokens: optionalCount(o, 'max_tokens'),
      n: optionalCount(o, 'n'),
      logprobs: optionalBoolean(o, 'logprobs'),
      top_logprobs: optionalCount(o, 'top_logprobs'),
      reasoning_effort: optionalString(o, 'reasoning_effort'),
      prompt_text: optionalString(o, 'prompt_text'),
      prompt_simhash: simhash(o),
      topic: optionalString(o, 'topic'),
      system_prompt_hash: optionalString(o, 'system_prompt_hash'),
      ip_prefix: optionalString(o, 'ip_prefix'),
      user_agent: optionalString(o, 'user_agent'),
      payment_fingerprint: optionalString(o, 'payment_fingerprint'),
      country: optionalString(o, 'country'),
      status: optionalCount(o, 'status'),
    };
  } catch (e) {
    if (e instanceof Fault) return e;
    throw e;
  }
}

function present(o: Record<string, unknown>, field: string): unknown {
  const v = o[field];
  if (v === undefined || v === null) throw new Fault('missing field', field);
  return v;
}

function requiredString(o: Record<string, unknown>, field: string): string {
  const v = present(o, field);
  if (typeof v !== 'string') throw new Fault('wrong type', field);
  return v;
}

/** Identity fields: an empty id would silently merge unrelated events or accounts. */
function requiredId(o: Record<string, unknown>, field: string): string {
  const v = requiredString(o, field);
  if (v.length === 0) throw new Fault('empty value', field);
  return v;
}

function optionalString(o: Record<string, unknown>, field: string): string | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Fault('wrong type', field);
  return v;
}

function optionalBoolean(o: Record<string, unknown>, field: string): boolean | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw new Fault('wrong type', field);
  return v;
}

function finiteNumber(v: unknown, field: string): number {
  if (typeof v !== 'number') throw new Fault('wrong type', field);
  // JSON has no NaN or Infinity literals, but 1e999 parses to Infinity.
  if (!Number.isFinite(v)) throw new Fault('not finite', field);
  return v;
}

function optionalFinite(o: Record<string, unknown>, field: string): number | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  return finiteNumber(v, field);
}

/** A non-negative Avro `int`. */
function count(v: unknown, field: string): number {
  const x = finiteNumber(v, field);
  if (!Number.isInteger(x)) throw new Fault('not an integer', field);
  if (x < 0) throw new Fault('negative value', field);
  if (x > INT_MAX) throw new Fault('out of range', field);
  return x;
}

function tokenCount(o: Record<string, unknown>, field: string): number {
  return count(present(o, field), field);
}

function optionalCount(o: Record<string, unknown>, field: string): number | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  return count(v, field);
}

function cost(o: Record<string, unknown>): number {
  const x = finiteNumber(present(o, 'cost_usd'), 'cost_usd');
  if (x < 0) throw new Fault('negative value', 'cost_usd');
  // -0 would print as 0 but compare oddly in sums; normalise it.
  return x === 0 ? 0 : x;
}

function simhash(o: Record<string, unknown>): string | null {
  const v = optionalString(o, 'prompt_simhash');
  if (v === null) return null;
  if (!SIMHASH_PATTERN.test(v)) throw new Fault('invalid format', 'prompt_simhash');
  return v.toLowerCase();
}

function eventTime(o: Record<string, unknown>): number {
  const v = present(o, 'event_time');
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Fault('not finite', 'event_time');
    if (!Number.isInteger(v)) throw new Fault('not an integer', 'event_time');
    if (Math.abs(v) > TIME_LIMIT_MS) throw new Fault('out of range', 'event_time');
    return v === 0 ? 0 : v;
  }
  if (typeof v === 'string') {
    const ms = parseIsoInstant(v);
    if (ms === null) throw new Fault('unparseable event_time', 'event_time');
    return ms;
  }
  throw new Fault('wrong type', 'event_time');
}

// Calendar date, `T`, time to at least minutes, optional seconds and fraction, then a zone:
// `Z` or an offset (+HH:MM, +HHMM or +HH). A time without a zone is ambiguous and rejected.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** Epoch ms of an ISO-8601 instant with a zone, or null. Fractions below 1 ms are truncated. */
export function parseIsoInstant(text: string): number | null {
  const m = ISO_INSTANT.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offHours = Number(m[10]);
    const offMinutes = m[11] === undefined ? 0 : Number(m[11]);
    if (offHours > 23 || offMinutes > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const days = daysFromCivil(year, month, day);
  const ms = ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + millis;
  return ms === 0 ? 0 : ms;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
 * Used instead of Date.UTC, which maps years 0-99 to 1900-1999.
 */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
