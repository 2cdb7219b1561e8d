// AvroCodec and the registry helpers against the real local registry (`pnpm distillwatch infra
// up`): subjects, BACKWARD compatibility and reading older schema versions, as Apicurio's
// Confluent-compatible API really answers them. Fails when the registry is not running.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AvroCodec, readSchemaFile } from '../src/avro.ts';
import { createRegistryClient, registerValueSchema, SchemaRegistryError, valueSubject } from '../src/registry.ts';
import { integrationConfig } from './harness.ts';

const config = await integrationConfig('avro');
const registry = createRegistryClient(config);

/** A topic name no other test uses, so its subject starts empty. */
function freshTopic(): string {
  return `${config.topicPrefix}${randomUUID().slice(0, 8)}.usage-events`;
}

async function usageSchema(): Promise<{ fields: { name: string }[] } & Record<string, unknown>> {
  return JSON.parse(await readSchemaFile('usage-event.avsc')) as { fields: { name: string }[] } & Record<string, unknown>;
}

const event = {
  event_id: 'e-1', event_time: 1_767_225_600_000, lab: 'lab-a', account_id: 'acct-1', api_key_id: null,
  model: 'frontier-1', endpoint: null, input_tokens: 10, output_tokens: 20, cost_usd: 0.5, temperature: null,
  top_p: null, max_tokens: null, n: null, logprobs: null, top_logprobs: null, reasoning_effort: null,
  prompt_text: 'hi', prompt_simhash: null, topic: null, system_prompt_hash: null, ip_prefix: null,
  user_agent: null, payment_fingerprint: null, country: 'DE', status: 200,
};

describe('Avro over the real schema registry', () => {
  it('registers <topic>-value with BACKWARD compatibility, idempotently', async () => {
    const topic = freshTopic();
    const schema = JSON.stringify(await usageSchema());
    const first = await registerValueSchema(registry, topic, schema);
    const second = await registerValueSchema(createRegistryClient(config), topic, schema);
    expect(second).toBe(first);
    expect(await registry.getAllVersions(valueSubject(topic))).toEqual([1]);
    expect((await registry.getConfig(valueSubject(topic))).compatibilityLevel).toBe('BACKWARD');
  });

  it('decodes records written with an older schema version by fetching the writer schema by id', async () => {
    const topic = freshTopic();
    const current = await usageSchema();
    const older = { ...current, fields: current.fields.filter((f) => f.name !== 'country' && f.name !== 'status') };
    const oldCodec = await AvroCodec.forTopic(registry, topic, JSON.stringify(older));
    const { country: _c, status: _s, ...oldEvent } = event;
    const oldBytes = oldCodec.encode(oldEvent);

    // A fresh client: nothing cached, the writer schema must come from the registry.
    const codec = await AvroCodec.forTopic<typeof event>(createRegistryClient(config), topic, JSON.stringify(current));
    expect(codec.schemaId).not.toBe(oldCodec.schemaId);
    expect({ ...(await codec.decode(oldBytes)) }).toEqual({ ...event, country: null, status: null });
    expect({ ...(await codec.decode(codec.encode(event))) }).toEqual(event);
  });

  it('refuses a new version that cannot read the old data, with a non-retriable error', async () => {
    const topic = freshTopic();
    const current = await usageSchema();
    await registerValueSchema(registry, topic, JSON.stringify(current));
    // A new required field without a default cannot be filled in from old records.
    const incompatible = { ...current, fields: [...current.fields, { name: 'tenant', type: 'string' }] };
    const attempt = registerValueSchema(registry, topic, JSON.stringify(incompatible));
    await expect(attempt).rejects.toThrow(SchemaRegistryError);
    await expect(attempt).rejects.toMatchObject({ retriable: false, status: 409 });
  });
});
