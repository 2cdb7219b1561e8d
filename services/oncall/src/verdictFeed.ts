// Publishing on-call verdicts (CONTRACT.md section 5) to the `alert-verdicts` topic: Avro in the
// Confluent wire format, key subject_id, record timestamp verdict_time, one idempotent send per
// verdict. Shared by `distillwatch verdict` and the dashboard's buttons. It must never log or
// echo the verdict's note, and it never writes to any other topic.
import type { AlertVerdict, DistillationAlert } from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { topicProducer } from './topicProducer.ts';

export const VERDICTS_TOPIC = 'alert-verdicts';

/** The codec of the verdicts topic (registers the local schema if the subject has none yet). */
export async function verdictCodec(config: PlatformConfig): Promise<AvroCodec<AlertVerdict>> {
  return AvroCodec.forTopic<AlertVerdict>(createRegistryClient(config), prefixed(config, VERDICTS_TOPIC), await readSchemaFile('alert-verdict.avsc'));
}

/** What an analyst decides about one alert; the rest of the verdict comes from the alert. */
export interface VerdictDecision {
  verdict: AlertVerdict['verdict'];
  verdictTime: number;
  analyst: string | null;
  note: string | null;
}

/** The verdict on `alert`, covering the alert's subject and every account it names. */
export function verdictOn(alert: DistillationAlert, d: VerdictDecision): AlertVerdict {
  return {
    verdict_time: d.verdictTime, alert_id: alert.alert_id, subject_id: alert.subject_id,
    accounts: alert.accounts.map((a) => ({ lab: a.lab, account_id: a.account_id })),
    verdict: d.verdict, analyst: d.analyst, note: d.note, expires_at: null,
  };
}

/** Publishes one verdict; resolves with where it was written. */
export async function publishVerdict(config: PlatformConfig, verdict: AlertVerdict): Promise<{ topic: string; partition: number; offset: string }> {
  const codec = await verdictCodec(config);
  const producer = await topicProducer(config, VERDICTS_TOPIC, 'distillwatch-verdict');
  try {
    const [meta] = await producer.send({
      topic: codec.topic,
      messages: [{ key: verdict.subject_id, value: codec.encode(verdict), timestamp: String(verdict.verdict_time) }],
    });
    return { topic: codec.topic, partition: meta!.partition, offset: meta!.baseOffset ?? '?' };
  } finally {
    await producer.disconnect();
  }
}
