// What travels on the forum cluster, and how: the topic names of one lab there, and the three
// kinds of message (JSON, validated on arrival: the sender is another party, and the forum
// cluster has no schema registry of its own).
//   forum.records.<lab>   key = the account's pseudonym: one forum record per account-window
//                         (header `kind: record`), and the bridge's progress markers (`kind:
//                         progress`, one to every partition, after the records they cover);
//   forum.alerts.<lab>    key = subject id: the forum's alerts that involve the lab (accounts as
//                         pseudonyms);
//   forum.verdicts.<lab>  key = alert id: the lab's verdicts on forum alerts (no note, no analyst),
//                         read by the forum (parseForumVerdict);
//   forum.dlq             the forum's dead letters (late or unreadable records).
// Pure: it never opens a connection; it must never put anything but these shapes on the wire.
import { parseForumRecord, type DistillationAlert, type ForumRecord, type ForumVerdict } from '@distillwatch/core';
import { FieldError } from '@distillwatch/core/errors';

export interface ForumTopicNames { records: string; alerts: string; verdicts: string }

/** The forum cluster's topics of one lab (the same names `infra up --federation` creates). */
export function forumTopicsOf(lab: string): ForumTopicNames {
  return { records: `forum.records.${lab}`, alerts: `forum.alerts.${lab}`, verdicts: `forum.verdicts.${lab}` };
}

/** The forum's dead-letter topic. */
export const FORUM_DLQ_TOPIC = 'forum.dlq';

/** Header naming the kind of a message on a records topic. */
export const KIND_HEADER = 'kind';

/**
 * A bridge's progress, sent to every partition of its records topic after the records it covers:
 * every account-window of the lab ending at or before `completeThrough` has been sent (null: none
 * yet); `caughtUp`: the lab has nothing unread and its stream clock stands still (a quiet lab).
 */
export interface ProgressMarker { completeThrough: number | null; caughtUp: boolean }

/** A message on a records topic that cannot be read; `field` names the part at fault. */
export class ForumMessageError extends FieldError {
  override readonly name = 'ForumMessageError';
}

export type ForumMessage = { kind: 'record'; record: ForumRecord } | { kind: 'progress'; marker: ProgressMarker };

export function recordMessage(record: ForumRecord): { key: string; value: string; headers: Record<string, string> } {
  return { key: record.acct, value: JSON.stringify(record), headers: { [KIND_HEADER]: 'record' } };
}

export function progressMessage(marker: ProgressMarker, partition: number): { value: string; partition: number; headers: Record<string, string> } {
  return { value: JSON.stringify(marker), partition, headers: { [KIND_HEADER]: 'progress' } };
}

/** Reads a records-topic message sent by `lab`'s bridge; a record naming another lab is refused. */
export function parseForumMessage(kind: string | undefined, value: Buffer | null, lab: string): ForumMessage {
  const json = parseJson(value);
  if (kind === 'progress') {
    const m = json as Partial<ProgressMarker> | null;
    if (m === null || typeof m !== 'object' || typeof m.caughtUp !== 'boolean') throw new ForumMessageError('caughtUp', 'expected a boolean');
    if (m.completeThrough !== null && !Number.isSafeInteger(m.completeThrough)) throw new ForumMessageError('completeThrough', 'expected an integer or null');
    return { kind: 'progress', marker: { completeThrough: m.completeThrough ?? null, caughtUp: m.caughtUp } };
  }
  if (kind !== 'record') throw new ForumMessageError(KIND_HEADER, `expected record or progress, got ${kind ?? 'none'}`);
  const record = parseForumRecord(json);
  // ACLs let only the lab write its topic; a record claiming another lab is a bug or a forgery.
  if (record.lab !== lab) throw new ForumMessageError('lab', `a record of ${record.lab} on the topic of ${lab}`);
  return { kind: 'record', record };
}

/** A forum alert as the bridge reads it (what it needs is checked; the forum is trusted for the rest). */
export function parseForumAlert(value: Buffer | null): DistillationAlert {
  const a = parseJson(value) as Partial<DistillationAlert> | null;
  if (a === null || typeof a !== 'object') throw new ForumMessageError('(alert)', 'expected an object');
  if (typeof a.alert_id !== 'string' || a.alert_id === '') throw new ForumMessageError('alert_id', 'expected a non-empty string');
  if (!Number.isSafeInteger(a.window_end)) throw new ForumMessageError('window_end', 'expected an integer');
  if (!Array.isArray(a.accounts) || !a.accounts.every((x) => typeof x?.lab === 'string' && typeof x?.account_id === 'string')) {
    throw new ForumMessageError('accounts', 'expected an array of {lab, account_id}');
  }
  return a as DistillationAlert;
}

export function verdictMessage(verdict: ForumVerdict): { key: string; value: string } {
  return { key: verdict.alert_id, value: JSON.stringify(verdict) };
}

const VERDICT_VALUES: readonly string[] = ['benign', 'distillation', 'unsure'];

/** Reads a verdict sent by `lab`'s bridge: the decision only; a verdict naming another lab is refused. */
export function parseForumVerdict(value: Buffer | null, lab: string): ForumVerdict {
  const v = parseJson(value) as Partial<ForumVerdict> | null;
  if (v === null || typeof v !== 'object') throw new ForumMessageError('(verdict)', 'expected an object');
  if (typeof v.alert_id !== 'string' || v.alert_id === '') throw new ForumMessageError('alert_id', 'expected a non-empty string');
  if (v.lab !== lab) throw new ForumMessageError('lab', `a verdict of ${String(v.lab)} on the topic of ${lab}`);
  if (typeof v.verdict !== 'string' || !VERDICT_VALUES.includes(v.verdict)) throw new ForumMessageError('verdict', `expected one of ${VERDICT_VALUES.join(', ')}`);
  if (!Number.isSafeInteger(v.verdict_time)) throw new ForumMessageError('verdict_time', 'expected an integer');
  // Only these four fields go on: whatever else a sender added stays out of the forum.
  return { alert_id: v.alert_id, lab, verdict: v.verdict, verdict_time: v.verdict_time! };
}

function parseJson(value: Buffer | null): unknown {
  if (value === null) throw new ForumMessageError('(value)', 'empty');
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    throw new ForumMessageError('(value)', 'not JSON');
  }
}
