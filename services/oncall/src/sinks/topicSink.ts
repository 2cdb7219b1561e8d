// An alert sink onto an Avro topic (`replay --output topic:NAME`): the alert schema registered
// under the topic's subject, records keyed by subject id and timestamped with the window end,
// as the scorer writes distillation-alerts, so `alerts tail --topic NAME`, the dashboard and
// Python read them alike. Alerts are queued by `write` and sent by `flush`.
import type { DistillationAlert } from '@distillwatch/core';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { alertCodec } from '../alertFeed.ts';
import { topicProducer } from '../topicProducer.ts';
import type { AlertSink } from './alertSink.ts';

/** `topic` without the prefix; creates it (3 partitions) when missing. */
export async function topicSink(config: PlatformConfig, topic: string, clientId: string): Promise<AlertSink> {
  const codec = await alertCodec(config, topic);
  const producer = await topicProducer(config, topic, clientId);
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
