// An alert sink onto an Avro topic (`replay --output topic:NAME`): the alert schema registered
// under the topic's subject, records keyed by subject id and timestamped with the window end,
// as the scorer writes distillation-alerts, so `alerts tail --topic NAME`, the dashboard and
// Python read them alike. Alerts are queued by `write` and sent by `flush`.
import type { DistillationAlert } from '@distillwatch/core';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { kafkaClient, Partitioners } from '@distillwatch/platform/kafka';
import { alertCodec, ensureAlertTopic } from '../alertFeed.ts';
import type { AlertSink } from './alertSink.ts';

/** `topic` without the prefix; creates it (3 partitions) when missing. */
export async function topicSink(config: PlatformConfig, topic: string, clientId: string): Promise<AlertSink> {
  const kafka = kafkaClient(config, { clientId });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureAlertTopic(admin, config, topic);
  } finally {
    await admin.disconnect();
  }
  const codec = await alertCodec(config, topic);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  let pending: DistillationAlert[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await producer.send({ topic: codec.topic, messages: batch.map((a) => ({ key: a.subject_id, value: codec.encode(a), timestamp: String(a.window_end) })) });
  };
  return {
    target: `topic ${prefixed(config, topic)}`,
    write: async (alerts) => { pending.push(...alerts); },
    flush,
    close: async () => { await flush(); await producer.disconnect(); },
  };
}
