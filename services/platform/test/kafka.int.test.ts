// kafkajs 2.2.4 against the project's Kafka 4 broker: topics as `infra up` creates them, a
// consumer group, old and future record timestamps, and transactions with sendOffsets (the
// exactly-once path of the services). Runs against the broker of ./harness.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformConfig } from '../src/config.ts';
import { ConfigResourceTypes, kafkaClient, Partitioners, type Admin, type Consumer, type Kafka, type KafkaMessage } from '../src/kafka/index.ts';
import { distillwatchTopics, ensureTopics } from '../src/topics.ts';
import { integrationConfig } from './harness.ts';

let config: PlatformConfig;
let kafka: Kafka;
let admin: Admin;
const consumers: Consumer[] = [];

beforeAll(async () => {
  config = await integrationConfig('kafka');
  kafka = kafkaClient(config, { clientId: 'kafka-int-test' });
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.disconnect()));
  await admin?.disconnect();
});

/** Subscribes a new consumer group and resolves with the first `count` messages it is handed. */
async function consumeFromGroup(topic: string, groupId: string, count: number, readUncommitted = false): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId, readUncommitted });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received: KafkaMessage[] = [];
  return new Promise((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message);
        if (received.length === count) resolve(received);
      },
    });
  });
}

describe('ensureTopics', () => {
  it('creates the distillwatch topics with their partition counts and no time-based deletion', async () => {
    const specs = distillwatchTopics(config);
    const first = await ensureTopics(admin, specs);
    expect(first.created.sort()).toEqual(specs.map((s) => s.name).sort());

    const metadata = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
    const partitions = Object.fromEntries(metadata.topics.map((t) => [t.name.slice(config.topicPrefix.length), t.partitions.length]));
    expect(partitions).toEqual({ 'usage-events': 6, 'usage-events.dlq': 1, 'account-features': 6, 'distillation-alerts': 3, 'alert-verdicts': 3 });

    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: `${config.topicPrefix}usage-events`, configNames: ['retention.ms', 'retention.bytes'] }],
    });
    const entries = Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    expect(entries).toEqual({ 'retention.ms': '-1', 'retention.bytes': '-1' });
  });

  it('leaves existing topics alone when called again', async () => {
    const specs = distillwatchTopics(config);
    const again = await ensureTopics(admin, specs);
    expect(again).toEqual({ created: [], existing: specs.map((s) => s.name) });
  });
});

describe('kafkajs 2.2.4 on this broker', () => {
  it('reads back through a consumer group what a producer wrote, keeping past and future event-time timestamps', async () => {
    const topic = `${config.topicPrefix}roundtrip`;
    await ensureTopics(admin, [{ name: topic, partitions: 3, configs: { 'retention.ms': '-1' } }]);
    // Java-compatible murmur2 partitioning, as every producer of the project uses.
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const past = Date.UTC(2001, 0, 1);
    const future = Date.now() + 365 * 24 * 3600 * 1000;
    await producer.send({
      topic,
      messages: [
        { key: 'lab-a/acct-1', value: 'old', timestamp: String(past) },
        { key: 'lab-b/acct-2', value: 'ahead', timestamp: String(future) },
      ],
    });
    await producer.disconnect();

    const received = await consumeFromGroup(topic, `${config.topicPrefix}roundtrip-group`, 2);
    const byValue = Object.fromEntries(received.map((m) => [m.value!.toString(), m.timestamp]));
    expect(byValue).toEqual({ old: String(past), ahead: String(future) });
  });

  it('commits a transaction with its consumer offsets, and hides an aborted one from read-committed consumers', async () => {
    const input = `${config.topicPrefix}tx-in`;
    const output = `${config.topicPrefix}tx-out`;
    const groupId = `${config.topicPrefix}tx-group`;
    await ensureTopics(admin, [
      { name: input, partitions: 1, configs: {} },
      { name: output, partitions: 1, configs: {} },
    ]);

    const producer = kafka.producer({ transactionalId: `${config.topicPrefix}tx-producer`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const aborted = await producer.transaction();
    await aborted.send({ topic: output, messages: [{ value: 'aborted' }] });
    await aborted.abort();

    const committed = await producer.transaction();
    await committed.send({ topic: output, messages: [{ value: 'committed' }] });
    await committed.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '42' }] }] });
    await committed.commit();
    await producer.disconnect();

    // The broker writes the transaction's markers after the commit returns, so the committed
    // offset becomes visible a moment later (longer on a broker still loading __consumer_offsets).
    let offsets = await admin.fetchOffsets({ groupId, topics: [input] });
    for (let wait = 0; wait < 150 && offsets[0]!.partitions[0]?.offset !== '42'; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      offsets = await admin.fetchOffsets({ groupId, topics: [input] });
    }
    expect(offsets[0]!.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '42' })]);

    const seen = await consumeFromGroup(output, `${config.topicPrefix}tx-reader`, 1);
    expect(seen.map((m) => m.value!.toString())).toEqual(['committed']);
  });
});
