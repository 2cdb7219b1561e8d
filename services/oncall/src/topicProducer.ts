// An idempotent producer onto one public topic, for the on-call tools that write a few records
// (`replay --output topic:NAME`, verdicts): the topic is created first when it is missing, with
// the layout of `infra up`. It must never alter an existing topic, and never write by itself.
import type { PlatformConfig } from '@distillwatch/platform/config';
import { kafkaClient, Partitioners, type Producer } from '@distillwatch/platform/kafka';
import { ensureAlertTopic } from './alertFeed.ts';

/** A connected producer for `topic` (without the prefix), created when missing; the caller disconnects it. */
export async function topicProducer(config: PlatformConfig, topic: string, clientId: string): Promise<Producer> {
  const kafka = kafkaClient(config, { clientId });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureAlertTopic(admin, config, topic);
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}
