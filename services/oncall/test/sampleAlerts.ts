// Alerts for tests, shaped exactly as the scorer writes them, and a way to put them on the topic.
import type { DistillationAlert } from '@distillwatch/core';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { alertCodec, ensureAlertTopic } from '../src/alertFeed.ts';

export function sampleAlert(over: Partial<DistillationAlert> = {}): DistillationAlert {
  return {
    alert_id: 'alert-6824d6e258bdebe4', window_start: 1_772_452_800_000, window_end: 1_772_456_400_000,
    subject_kind: 'campaign', subject_id: 'campaign-e9a6425b1adaffe8',
    accounts: [{ lab: 'lab-a', account_id: 'acct_35a441ee3727' }, { lab: 'lab-b', account_id: 'acct_7b6afd458ebf' }],
    score: 0.714528, threshold: 0.59, severity: 'high',
    reasons: [
      { feature: 'high_effort_share', value: 0.997655, baseline: 0, percentile: 100, contribution: 0.23359 },
      { feature: 'reasoning_share', value: 0.997655, baseline: 0.048368, percentile: 99.96, contribution: 0.123614 },
      { feature: 'rich_output_log', value: 9.703261, baseline: 6.083125, percentile: 96.875, contribution: 0.108504 },
      { feature: 'topic_divergence', value: 0.025426, baseline: 0.744777, percentile: 3.125, contribution: 0.099153 },
    ],
    spend_usd_window: 224.876772, spend_usd_30d: 472.8153, spend_usd_30d_all_labs: 5_472.8153,
    kyc_tier: 'review', model_version: 'iforest-v1-s42-20260302T130000Z',
    ...over,
  };
}

/** Writes `alerts` to the config's alerts topic (created if missing) as the scorer does: Avro, keyed by subject. */
export async function produceAlerts(config: PlatformConfig, alerts: readonly DistillationAlert[], clientId: string): Promise<void> {
  const kafka = kafkaClient(config, { clientId });
  const admin = kafka.admin();
  await admin.connect();
  await ensureAlertTopic(admin, config);
  await admin.disconnect();
  const codec = await alertCodec(config);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: codec.topic, messages: alerts.map((a) => ({ key: a.subject_id, value: codec.encode(a) })) });
  await producer.disconnect();
}

