// The store reader on the real broker: a followed topic is read as it is written (the progress
// topic, the models), a restore-only one (a changelog) only from its restore on, so a process
// never reads back what other processes write to the partitions they own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { integrationConfig } from '@distillwatch/platform/harness';
import { kafkaClient, type Admin, type Producer } from '@distillwatch/platform/kafka';
import { ensureTopics } from '@distillwatch/platform/topics';
import { Logger } from '../src/log.ts';
import { StoreReader } from '../src/storeReader.ts';

describe('StoreReader', () => {
  let config: PlatformConfig;
  let admin: Admin;
  let producer: Producer;
  let reader: StoreReader | null = null;
  const topic = (name: string) => `${config.topicPrefix}${name}`;

  beforeAll(async () => {
    config = await integrationConfig('store-reader');
    const kafka = kafkaClient(config, { clientId: 'distillwatch-test-store-reader' });
    admin = kafka.admin();
    await admin.connect();
    const compacted = { 'cleanup.policy': 'compact' };
    await ensureTopics(admin, [
      { name: topic('changelog'), partitions: 2, configs: compacted },
      { name: topic('followed'), partitions: 1, configs: compacted },
    ]);
    producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: topic('changelog'), messages: [
      { key: 'a', value: 'a1', partition: 0 }, { key: 'b', value: 'b1', partition: 1 }, { key: 'a', value: 'a2', partition: 0 },
    ] });
    await producer.send({ topic: topic('followed'), messages: [{ key: 'clock', value: '1', partition: 0 }] });
    reader = await StoreReader.start(kafka, admin, [topic('changelog'), topic('followed')], `${config.topicPrefix}reader.`, new Logger('warn'), [topic('changelog')]);
  });

  afterAll(async () => {
    await reader?.stop();
    await producer?.disconnect();
    await admin?.disconnect();
  });

  it('follows a followed topic as it is written, and reads a restore-only one only from its restore on', async () => {
    const r = reader!;
    await expect.poll(() => r.current(topic('followed'), 0).get('clock')?.toString(), { timeout: 60_000 }).toBe('1');
    await producer.send({ topic: topic('followed'), messages: [{ key: 'clock', value: '2', partition: 0 }] });
    await expect.poll(() => r.current(topic('followed'), 0).get('clock')?.toString(), { timeout: 60_000 }).toBe('2');
    // Both topics were fetched meanwhile; nothing of the changelog was read.
    expect(r.current(topic('changelog'), 0).size).toBe(0);
    expect(r.current(topic('changelog'), 1).size).toBe(0);

    const restored = await r.restore(topic('changelog'), 0);
    expect(Object.fromEntries([...restored].map(([k, v]) => [k, v.toString()]))).toEqual({ a: 'a2' });
    expect(r.current(topic('changelog'), 1).size).toBe(0);
  });
});
