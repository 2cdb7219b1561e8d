// Test helper: reads topics from the beginning with one throw-away consumer group until each
// has its expected number of records, then keeps listening briefly so an unexpected extra
// record would show up in the counts. Never commits offsets.
import { randomUUID } from 'node:crypto';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { kafkaClient, type KafkaMessage } from '@distillwatch/platform/kafka';

const SETTLE_MS = 1500;

/** The records of each topic, by topic name, after `expected[topic]` of them have arrived. */
export async function readTopics(
  config: PlatformConfig,
  expected: Record<string, number>,
  timeoutMs = 60_000,
): Promise<Record<string, KafkaMessage[]>> {
  const kafka = kafkaClient(config, { clientId: 'distillwatch-test-reader' });
  const consumer = kafka.consumer({ groupId: `${config.topicPrefix}test-reader-${randomUUID()}` });
  const records: Record<string, KafkaMessage[]> = Object.fromEntries(Object.keys(expected).map((t) => [t, []]));
  const complete = () => Object.entries(expected).every(([topic, count]) => records[topic]!.length >= count);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: Object.keys(expected), fromBeginning: true });
    let enough: () => void = () => undefined;
    const gotEnough = new Promise<void>((resolve) => { enough = resolve; });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, message }) => {
        records[topic]!.push(message);
        if (complete()) enough();
      },
    });
    if (complete()) enough();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([gotEnough, deadline]);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  } finally {
    await consumer.disconnect();
  }
  return records;
}
