// Bad input never stops the aggregator: undecodable records, records that decode but break the
// contract, and events too late to count go to usage-events.dlq with the reason and the source
// partition and offset, and processing continues.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageEvent } from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { integrationConfig } from '@distillwatch/platform/harness';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { ServiceProcess, cliEnv, readTopicToEnd, waitFor } from './streamHarness.ts';

const T0 = 1_772_409_600_000;
const event = (over: Partial<UsageEvent>): UsageEvent => ({
  event_id: 'e-1', event_time: T0, lab: 'lab-a', account_id: 'acct-1', api_key_id: null, model: 'm', endpoint: null,
  input_tokens: 10, output_tokens: 20, cost_usd: 0.01, temperature: null, top_p: null, max_tokens: null, n: null, logprobs: null,
  top_logprobs: null, reasoning_effort: null, prompt_text: null, prompt_simhash: null, topic: null, system_prompt_hash: null,
  ip_prefix: null, user_agent: null, payment_fingerprint: null, country: null, status: null, ...over,
});

describe('aggregator dead letters', () => {
  let config: PlatformConfig;
  let service: ServiceProcess;

  beforeAll(async () => {
    config = await integrationConfig('stream-dlq');
    service = new ServiceProcess('aggregator', ['aggregator'], cliEnv(config));
    await service.logged('partitions assigned');
  });
  afterAll(async () => { await ServiceProcess.killAll(); });

  it('dead-letters undecodable, malformed and late records with partition and offset, and goes on', async () => {
    const topic = `${config.topicPrefix}usage-events`;
    const codec = await AvroCodec.forTopic<UsageEvent>(createRegistryClient(config), topic, await readSchemaFile('usage-event.avsc'));
    const producer = kafkaClient(config, { clientId: 'dlq-test' }).producer();
    await producer.connect();
    const key = 'lab-a/acct-1';
    const send = async (value: Buffer) => {
      const [meta] = await producer.send({ topic, messages: [{ key, value, partition: 0 }] });
      return Number(meta!.baseOffset);
    };
    const garbage = await send(Buffer.from('not avro at all'));
    const negative = await send(codec.encode(event({ event_id: 'e-neg', input_tokens: -5 })));
    await send(codec.encode(event({ event_id: 'e-ok', event_time: T0 + 10 * 60_000 })));
    const late = await send(codec.encode(event({ event_id: 'e-late', event_time: T0 })));
    await producer.disconnect();

    const dlq = `${config.topicPrefix}usage-events.dlq`;
    let letters: Record<string, unknown>[] = [];
    await waitFor(async () => (letters = (await readTopicToEnd(config, dlq)).map((m) => JSON.parse(m.value!.toString('utf8')))).length >= 3, 60_000, 'three dead letters');
    expect(letters.map((l) => [l.reason, l.field ?? null, l.source, l.partition, l.offset, l.line])).toEqual([
      [expect.stringMatching(/^undecodable/), null, 'aggregator', 0, garbage, null],
      ['negative value', 'input_tokens', 'aggregator', 0, negative, null],
      ['late', 'event_time', 'aggregator', 0, late, null],
    ]);
    expect(String(letters[2]!.raw)).toContain('"event_id":"e-late"');
    await waitFor(async () => (await fetchMetric(service, 'distillwatch_aggregator_events_in_total')) === 4, 30_000, 'the aggregator to count 4 records');
    expect(await fetchMetric(service, 'distillwatch_aggregator_rejected_total')).toBe(2);
    expect(await fetchMetric(service, 'distillwatch_aggregator_late_total')).toBe(1);
    expect(await service.stop()).toBe(0);
  });
});

/** One unlabelled metric from the service's /metrics endpoint (its port is in its log). */
async function fetchMetric(service: ServiceProcess, name: string): Promise<number | null> {
  const url = /"url":"(http:\/\/[^"]+\/metrics)"/.exec(service.stderr)?.[1];
  if (!url) return null;
  const text = await (await fetch(url)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? null : Number(line.split(' ')[1]);
}
