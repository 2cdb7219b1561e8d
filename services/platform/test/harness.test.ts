import { describe, expect, it } from 'vitest';
import { locateInfra, uniqueTopicPrefix } from './harness.ts';

describe('integration-test harness', () => {
  it('fails, never skips, when the configured broker does not answer, and says how to start one', async () => {
    await expect(locateInfra({ KAFKA_BROKERS: '127.0.0.1:1', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1/apis/ccompat/v7' }))
      .rejects.toThrow(/no Kafka broker answers at 127\.0\.0\.1:1 and no schema registry answers .*Start it with `pnpm distillwatch infra up`/);
  });

  it('gives every test its own topic prefix, valid in Kafka topic names', () => {
    const prefixes = new Set(Array.from({ length: 50 }, () => uniqueTopicPrefix('Produce & DLQ')));
    expect(prefixes.size).toBe(50);
    for (const prefix of prefixes) expect(prefix).toMatch(/^it-produce-dlq-[a-z0-9]+-[0-9a-f]{6}\.$/);
  });
});
