import type { Admin } from '../src/kafka/index.ts';
import { describe, expect, it } from 'vitest';
import { distillwatchTopics, ensureTopics, type TopicSpec } from '../src/topics.ts';

/** An admin whose metadata calls fail with `failures` first, then report `leader` for every partition. */
function fakeAdmin(failures: Error[], leader = 0): { admin: Admin; created: string[][]; metadataCalls: () => number } {
  const topics = new Map<string, number>([['existing', 2]]);
  const created: string[][] = [];
  let calls = 0;
  const admin = {
    listTopics: async () => [...topics.keys()],
    createTopics: async ({ topics: specs }: { topics: { topic: string; numPartitions: number }[] }) => {
      created.push(specs.map((t) => t.topic));
      for (const t of specs) topics.set(t.topic, t.numPartitions);
      return true;
    },
    fetchTopicMetadata: async ({ topics: names }: { topics: string[] }) => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return { topics: names.map((name) => ({ name, partitions: Array.from({ length: topics.get(name) ?? 0 }, (_, partitionId) => ({ partitionId, leader })) })) };
    },
  };
  return { admin: admin as unknown as Admin, created, metadataCalls: () => calls };
}

const retriable = (message: string) => Object.assign(new Error(message), { retriable: true });
const specs: TopicSpec[] = [{ name: 'existing', partitions: 2, configs: {} }, { name: 'fresh', partitions: 3, configs: {} }];

describe('distillwatchTopics', () => {
  it('lays out the contract topics with explicit partition counts', () => {
    expect(distillwatchTopics({ topicPrefix: '' }).map((t) => [t.name, t.partitions])).toEqual([
      ['usage-events', 6],
      ['usage-events.dlq', 1],
      ['account-features', 6],
      ['distillation-alerts', 3],
      ['alert-verdicts', 3],
    ]);
  });

  it('keeps every record regardless of its (event-time) timestamp or the topic size', () => {
    for (const topic of distillwatchTopics({ topicPrefix: '' })) {
      expect(topic.configs).toEqual({ 'retention.ms': '-1', 'retention.bytes': '-1' });
    }
  });

  it('puts the environment prefix in front of every topic name', () => {
    expect(distillwatchTopics({ topicPrefix: 'ci-42.' }).map((t) => t.name)).toEqual([
      'ci-42.usage-events', 'ci-42.usage-events.dlq', 'ci-42.account-features', 'ci-42.distillation-alerts', 'ci-42.alert-verdicts',
    ]);
  });
});

describe('ensureTopics', () => {
  it('creates what is missing once, then waits out a broker that does not host its partitions yet', async () => {
    const { admin, created, metadataCalls } = fakeAdmin([retriable('This server does not host this topic-partition'), retriable('There is no leader for this topic-partition')]);
    const result = await ensureTopics(admin, specs, { retryDelayMs: 1 });
    expect(result).toEqual({ created: ['fresh'], existing: ['existing'] });
    expect(created).toEqual([['fresh']]);
    expect(metadataCalls()).toBe(3);
  });

  it('fails at once on an error that is not retriable', async () => {
    const { admin } = fakeAdmin([new Error('Topic authorization failed')]);
    await expect(ensureTopics(admin, specs, { retryDelayMs: 1 })).rejects.toThrow('Topic authorization failed');
  });

  it('gives up after its timeout, naming the topics still without a leader', async () => {
    const { admin } = fakeAdmin([], -1);
    await expect(ensureTopics(admin, specs, { timeoutMs: 30, retryDelayMs: 5 })).rejects.toThrow('topics without a leader after 30 ms: existing, fresh');
  });
});

