import { describe, expect, it } from 'vitest';
import { distillwatchTopics } from '../src/topics.ts';

describe('distillwatchTopics', () => {
  it('lays out the contract topics with explicit partition counts', () => {
    expect(distillwatchTopics({ topicPrefix: '' }).map((t) => [t.name, t.partitions])).toEqual([
      ['usage-events', 6],
      ['usage-events.dlq', 1],
      ['account-features', 6],
      ['distillation-alerts', 3],
    ]);
  });

  it('keeps every record regardless of its (event-time) timestamp or the topic size', () => {
    for (const topic of distillwatchTopics({ topicPrefix: '' })) {
      expect(topic.configs).toEqual({ 'retention.ms': '-1', 'retention.bytes': '-1' });
    }
  });

  it('puts the environment prefix in front of every topic name', () => {
    expect(distillwatchTopics({ topicPrefix: 'ci-42.' }).map((t) => t.name)).toEqual([
      'ci-42.usage-events', 'ci-42.usage-events.dlq', 'ci-42.account-features', 'ci-42.distillation-alerts',
    ]);
  });
});
