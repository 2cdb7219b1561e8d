// Reading what `evaluate` scores: the simulator's labels (one JSON document) and the
// detector's alerts (NDJSON of DistillationAlert, CONTRACT.md section 3). Only the fields the
// metrics use are checked; a bad document or line is an InputError naming file, line and
// field. Archetype names are not checked against this simulator's: labels written by another
// traffic model carry their own. Pure: takes text, never opens files.
import type { AccountRef } from '@distillwatch/core';
import { LABELS_FORMAT, type Labels } from '@distillwatch/simulator';

/** Bad input the user must fix; `field` and `line` say where. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly retriable = false;
}

/** What the metrics need of an alert (or of a baseline rule's flag). */
export interface Flag {
  accounts: AccountRef[];
  /** When the flag was raised: an alert's window_end, a rule's trigger time (epoch ms). */
  time: number;
  score: number;
  /** An alert's id, or a rule's name and account. */
  id: string;
}

export function parseLabels(text: string, file: string): Labels {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not JSON: ${(err as Error).message}`);
  }
  const labels = doc as Partial<Labels>;
  if (typeof doc !== 'object' || doc === null || labels.format !== LABELS_FORMAT) {
    throw new InputError(`${file}: field 'format': expected "${LABELS_FORMAT}" (a labels file written by distillwatch simulate)`);
  }
  if (!Array.isArray(labels.accounts)) throw new InputError(`${file}: field 'accounts': expected an array`);
  if (!Array.isArray(labels.campaigns)) throw new InputError(`${file}: field 'campaigns': expected an array`);
  for (const field of ['start_time', 'end_time'] as const) {
    if (typeof labels[field] !== 'number' || !Number.isFinite(labels[field])) throw new InputError(`${file}: field '${field}': expected epoch milliseconds`);
  }
  labels.accounts.forEach((a, i) => {
    const where = `${file}: field 'accounts[${i}]`;
    if (typeof a !== 'object' || a === null) throw new InputError(`${where}': expected an object`);
    if (typeof a.lab !== 'string' || typeof a.account_id !== 'string') throw new InputError(`${where}.lab/account_id': expected strings`);
    if (a.kind !== 'benign' && a.kind !== 'campaign') throw new InputError(`${where}.kind': expected "benign" or "campaign"`);
    if (typeof a.archetype !== 'string' || a.archetype === '') throw new InputError(`${where}.archetype': expected a non-empty string`);
    if (typeof a.events !== 'number') throw new InputError(`${where}.events': expected a number`);
  });
  return labels as Labels;
}

/** One alert line (1-based line number), or null for a blank line. */
export function parseAlertLine(text: string, line: number, file: string): Flag | null {
  if (text.trim() === '') return null;
  const where = `${file}:${line}`;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new InputError(`${where}: invalid JSON`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new InputError(`${where}: not a JSON object`);
  const alert = doc as Record<string, unknown>;
  const accounts = alert['accounts'];
  if (!Array.isArray(accounts) || accounts.length === 0) throw new InputError(`${where}: field 'accounts': expected a non-empty array of {lab, account_id}`);
  for (const a of accounts) {
    const ref = a as Record<string, unknown>;
    if (typeof a !== 'object' || a === null || typeof ref['lab'] !== 'string' || typeof ref['account_id'] !== 'string') {
      throw new InputError(`${where}: field 'accounts': expected {lab, account_id} strings`);
    }
  }
  const windowEnd = alert['window_end'];
  if (typeof windowEnd !== 'number' || !Number.isFinite(windowEnd)) throw new InputError(`${where}: field 'window_end': expected epoch milliseconds`);
  const score = alert['score'];
  if (typeof score !== 'number' || !Number.isFinite(score)) throw new InputError(`${where}: field 'score': expected a number`);
  const id = typeof alert['alert_id'] === 'string' ? alert['alert_id'] : `line-${line}`;
  return {
    accounts: (accounts as AccountRef[]).map((a) => ({ lab: a.lab, account_id: a.account_id })),
    time: windowEnd,
    score,
    id,
  };
}
