// The internal topic `distillwatch.scorer.local-alerts` of a lab in a federation: where its scorer
// (`run all --federated`, `run scorer --federated`) writes its local alerts instead of
// distillation-alerts, so that the lab's bridge shows them as its local-alert mode says (the
// core's LabFeed: after the forum confirms them, or at once). One partition, so order is total:
// each scorer commit writes its alerts (header `kind: alert`, key = subject id) and then, when it
// scored further, how far (`kind: scored`): every window ending at or before `scoredThrough` is
// scored and its alerts are above it. A commit that trained models first says from which window
// the scorer has one (`kind: model`, `modelFrom`: the earliest model's trainedThrough), which
// the gate reads (core LocalAlertGate.localModelFrom). Written in the scorer's transaction, read committed, so
// the bridge never sees a marker without the alerts it covers. JSON: the topic never leaves the
// lab and has one writer and one reader of the same release. Kept (never compacted): a bridge
// that was down reads every alert it missed. Pure: it never opens a connection.
import type { DistillationAlert } from '@distillwatch/core';
import type { TopicSpec } from '@distillwatch/platform/topics';
import { KIND_HEADER, ForumMessageError } from './forumWire.ts';
import { parseObject } from './forumReplies.ts';

export type LocalAlertsMessage =
  | { kind: 'alert'; alert: DistillationAlert }
  | { kind: 'model'; modelFrom: number }
  | { kind: 'scored'; scoredThrough: number };

export function localAlertsTopicSpec(name: string): TopicSpec {
  return { name, partitions: 1, configs: { 'retention.ms': '-1' } };
}

/**
 * One scorer commit's messages: its alerts, the window its earliest new model first scored
 * (null: no new model), then the scored marker when it scored further (null: not).
 */
export function localAlertsMessages(alerts: readonly DistillationAlert[], scoredThrough: number | null, modelFrom: number | null = null): { key?: string; value: Buffer; partition: number; headers: Record<string, string>; timestamp?: string }[] {
  const out: { key?: string; value: Buffer; partition: number; headers: Record<string, string>; timestamp?: string }[] =
    alerts.map((a) => ({ key: a.subject_id, value: Buffer.from(JSON.stringify(a)), partition: 0, headers: { [KIND_HEADER]: 'alert' }, timestamp: String(a.window_end) }));
  if (modelFrom !== null) out.push({ value: Buffer.from(JSON.stringify({ modelFrom })), partition: 0, headers: { [KIND_HEADER]: 'model' } });
  if (scoredThrough === null) return out;
  return [...out, { value: Buffer.from(JSON.stringify({ scoredThrough })), partition: 0, headers: { [KIND_HEADER]: 'scored' } }];
}

/** Reads one message of the topic; anything else is a ForumMessageError naming the part at fault. */
export function parseLocalAlertsMessage(kind: string | undefined, value: Buffer | null): LocalAlertsMessage {
  const json = parseObject(value);
  if (kind === 'scored') {
    const { scoredThrough } = json as { scoredThrough?: unknown };
    if (!Number.isSafeInteger(scoredThrough)) throw new ForumMessageError('scoredThrough', 'expected an integer');
    return { kind: 'scored', scoredThrough: scoredThrough as number };
  }
  if (kind === 'model') {
    const { modelFrom } = json as { modelFrom?: unknown };
    if (!Number.isSafeInteger(modelFrom)) throw new ForumMessageError('modelFrom', 'expected an integer');
    return { kind: 'model', modelFrom: modelFrom as number };
  }
  if (kind !== 'alert') throw new ForumMessageError(KIND_HEADER, `expected alert, model or scored, got ${kind ?? 'none'}`);
  const alert = json as Partial<DistillationAlert>;
  if (typeof alert.alert_id !== 'string' || !Number.isSafeInteger(alert.window_end) || !Array.isArray(alert.accounts)) {
    throw new ForumMessageError('alert_id', 'expected an alert with alert_id, window_end and accounts');
  }
  return { kind: 'alert', alert: alert as DistillationAlert };
}
