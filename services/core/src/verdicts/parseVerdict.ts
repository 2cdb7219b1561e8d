/**
 * Validation of one on-call verdict (CONTRACT.md section 5): an NDJSON line of a `--verdicts`
 * file, or a record decoded from the `alert-verdicts` topic.
 *
 * Returns a normalised `AlertVerdict` (verdict_time and expires_at as epoch ms, optional fields
 * present and `null` when absent, unknown fields dropped), a blank, or a `VerdictRejection` that
 * names the line, the reason and the field at fault. It must never throw on bad input, never
 * read a clock and never look at the `note` beyond its type: the note is free text that must not
 * travel into alerts or logs.
 */
import { VerdictKind_SYMBOLS, type AccountRef, type AlertVerdict, type VerdictKind } from '../schemas.generated.ts';
import { Fault, parseIsoInstant } from '../events/parse.ts';

/** Why a verdict line or record was refused. */
export interface VerdictRejection {
  /** 1-based line number, blank lines counted (for topic records: the caller's own numbering). */
  line: number;
  /** Short stable reason: `invalid JSON`, `not an object`, `missing field`, `wrong type`, `empty value`, `unparseable time`, `unknown verdict`. */
  reason: string;
  field?: string;
}

export type VerdictParseResult =
  | { kind: 'verdict'; verdict: AlertVerdict }
  | { kind: 'blank' }
  | { kind: 'rejected'; rejection: VerdictRejection };

/** Parses line number `line` (1-based) of an NDJSON verdict file. */
export function parseVerdictLine(text: string, line: number): VerdictParseResult {
  if (text.trim() === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'rejected', rejection: { line, reason: 'invalid JSON' } };
  }
  return parseVerdictRecord(value, line);
}

/** Validates a decoded verdict (a parsed JSON value or an Avro record of `alert-verdicts`). */
export function parseVerdictRecord(value: unknown, line: number): Exclude<VerdictParseResult, { kind: 'blank' }> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'rejected', rejection: { line, reason: 'not an object' } };
  }
  const verdict = toVerdict(value as Record<string, unknown>);
  if (verdict instanceof Fault) {
    return { kind: 'rejected', rejection: verdict.field === undefined ? { line, reason: verdict.reason } : { line, reason: verdict.reason, field: verdict.field } };
  }
  return { kind: 'verdict', verdict };
}

function toVerdict(o: Record<string, unknown>): AlertVerdict | Fault {
  const verdictTime = instant(o, 'verdict_time', true);
  if (verdictTime instanceof Fault) return verdictTime;
  const alertId = optionalText(o, 'alert_id');
  if (alertId instanceof Fault) return alertId;
  const subjectId = requiredText(o, 'subject_id');
  if (subjectId instanceof Fault) return subjectId;
  const accounts = accountList(o.accounts);
  if (accounts instanceof Fault) return accounts;
  const verdict = verdictKind(o.verdict);
  if (verdict instanceof Fault) return verdict;
  const analyst = optionalText(o, 'analyst');
  if (analyst instanceof Fault) return analyst;
  const note = optionalText(o, 'note');
  if (note instanceof Fault) return note;
  const expiresAt = instant(o, 'expires_at', false);
  if (expiresAt instanceof Fault) return expiresAt;
  return {
    verdict_time: verdictTime!, alert_id: alertId, subject_id: subjectId, accounts, verdict,
    analyst, note, expires_at: expiresAt,
  };
}

function instant(o: Record<string, unknown>, field: string, required: boolean): number | null | Fault {
  const v = o[field];
  if (v === undefined || v === null) return required ? new Fault('missing field', field) : null;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : new Fault('not an integer', field);
  if (typeof v === 'string') return parseIsoInstant(v) ?? new Fault('unparseable time', field);
  return new Fault('wrong type', field);
}

function requiredText(o: Record<string, unknown>, field: string): string | Fault {
  const v = o[field];
  if (v === undefined || v === null) return new Fault('missing field', field);
  if (typeof v !== 'string') return new Fault('wrong type', field);
  return v === '' ? new Fault('empty value', field) : v;
}

function optionalText(o: Record<string, unknown>, field: string): string | null | Fault {
  const v = o[field];
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : new Fault('wrong type', field);
}

function accountList(v: unknown): AccountRef[] | Fault {
  if (v === undefined || v === null) return new Fault('missing field', 'accounts');
  if (!Array.isArray(v)) return new Fault('wrong type', 'accounts');
  const out: AccountRef[] = [];
  for (let i = 0; i < v.length; i++) {
    const a = v[i] as Record<string, unknown> | null;
    const field = `accounts[${i}]`;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) return new Fault('wrong type', field);
    const lab = requiredText(a, 'lab');
    if (lab instanceof Fault) return new Fault(lab.reason, `${field}.lab`);
    const accountId = requiredText(a, 'account_id');
    if (accountId instanceof Fault) return new Fault(accountId.reason, `${field}.account_id`);
    out.push({ lab, account_id: accountId });
  }
  return out;
}

function verdictKind(v: unknown): VerdictKind | Fault {
  if (v === undefined || v === null) return new Fault('missing field', 'verdict');
  if (typeof v !== 'string') return new Fault('wrong type', 'verdict');
  return (VerdictKind_SYMBOLS as readonly string[]).includes(v) ? (v as VerdictKind) : new Fault('unknown verdict', 'verdict');
}
