// What the forum sends back to one lab, on `forum.alerts.<lab>` (the only forum topic the lab
// may read), and how the lab's bridge reads it. Three kinds of message, named by the `kind`
// header (JSON values, validated on arrival like every message between two parties):
//   alert         key = subject id: a forum alert across labs that involves the lab (accounts
//                 as pseudonyms); a message without the header is one too;
//   confirmation  key = `confirmation/<window_end>`: the lab's ForumConfirmation of one scored
//                 window, its own pseudonyms above the threshold and the forum's alerts on its
//                 single-lab subjects (nothing about another lab's customers);
//   scored        one to every partition, after the alerts and confirmations it covers: the
//                 forum has scored every window ending at or before `scoredThrough`, so a lab
//                 that read this on every partition has every reply of those windows.
// A restarted forum (it keeps no state) sends all three again; the bridge's LabFeed ignores
// what it already has. Pure: it never opens a connection.
import type { DistillationAlert, ForumConfirmation } from '@distillwatch/core';
import { forumTopicsOf, KIND_HEADER, parseForumAlert, ForumMessageError } from './forumWire.ts';

export type ForumReply =
  | { kind: 'alert'; alert: DistillationAlert }
  | { kind: 'confirmation'; confirmation: ForumConfirmation }
  | { kind: 'scored'; scoredThrough: number };

interface ReplyMessage { key?: string; value: string; partition?: number; headers: Record<string, string> }

/**
 * The messages of one forum release, per lab's alerts topic: each alert to every lab it involves,
 * each confirmation to its lab, then (when `scoredThrough` is new) a scored marker to every
 * partition of every lab's topic. Sent in one batch, in this order, by an idempotent producer
 * with one request in flight: a marker never overtakes what it covers on its partition.
 */
export function forumReplyMessages(
  alerts: readonly DistillationAlert[], confirmations: readonly ForumConfirmation[], scoredThrough: number | null,
  alertPartitions: ReadonlyMap<string, number>, labsOf: (alert: DistillationAlert) => string[],
): Map<string, ReplyMessage[]> {
  const byTopic = new Map<string, ReplyMessage[]>([...alertPartitions.keys()].map((lab) => [forumTopicsOf(lab).alerts, []]));
  const push = (lab: string, m: ReplyMessage) => byTopic.get(forumTopicsOf(lab).alerts)?.push(m);
  for (const a of alerts) for (const lab of labsOf(a)) push(lab, { key: a.subject_id, value: JSON.stringify(a), headers: { [KIND_HEADER]: 'alert' } });
  for (const c of confirmations) {
    push(c.lab, { key: `confirmation/${c.window_end}`, value: JSON.stringify({ window_end: c.window_end, accounts: c.accounts, alerts: c.alerts }), headers: { [KIND_HEADER]: 'confirmation' } });
  }
  if (scoredThrough !== null) {
    for (const [lab, partitions] of alertPartitions) {
      for (let partition = 0; partition < partitions; partition++) push(lab, { value: JSON.stringify({ scoredThrough }), partition, headers: { [KIND_HEADER]: 'scored' } });
    }
  }
  for (const [topic, messages] of byTopic) if (messages.length === 0) byTopic.delete(topic);
  return byTopic;
}

/** Reads a message of `forum.alerts.<lab>` as `lab`'s bridge receives it. */
export function parseForumReply(kind: string | undefined, value: Buffer | null, lab: string): ForumReply {
  if (kind === undefined || kind === 'alert') return { kind: 'alert', alert: parseForumAlert(value) };
  if (kind === 'scored') {
    const m = parseObject(value) as { scoredThrough?: unknown };
    if (!Number.isSafeInteger(m.scoredThrough)) throw new ForumMessageError('scoredThrough', 'expected an integer');
    return { kind: 'scored', scoredThrough: m.scoredThrough as number };
  }
  if (kind !== 'confirmation') throw new ForumMessageError(KIND_HEADER, `expected alert, confirmation or scored, got ${kind}`);
  const c = parseObject(value) as Partial<ForumConfirmation>;
  if (!Number.isSafeInteger(c.window_end)) throw new ForumMessageError('window_end', 'expected an integer');
  if (!Array.isArray(c.accounts) || !c.accounts.every((p) => typeof p === 'string')) throw new ForumMessageError('accounts', 'expected an array of pseudonyms');
  if (!Array.isArray(c.alerts)) throw new ForumMessageError('alerts', 'expected an array of alerts');
  const alerts = c.alerts.map((a) => parseForumAlert(Buffer.from(JSON.stringify(a))));
  return { kind: 'confirmation', confirmation: { lab, window_end: c.window_end!, accounts: c.accounts, alerts } };
}

/** A message value that must be a JSON object; otherwise a ForumMessageError. */
export function parseObject(value: Buffer | null): object {
  let json: unknown;
  try {
    json = JSON.parse(value?.toString('utf8') ?? '');
  } catch {
    throw new ForumMessageError('(value)', 'not JSON');
  }
  if (json === null || typeof json !== 'object') throw new ForumMessageError('(value)', 'expected an object');
  return json;
}
