// The Confluent wire format of avro.ts, checked against @confluentinc/schemaregistry's own
// serializer and deserializer over its in-memory mock registry (unit tests only; the
// integration tests use the real registry).
import { describe, expect, it } from 'vitest';
import {
  AvroDeserializer, AvroSerializer, MockClient, SerdeType, SubjectNameStrategyType,
} from '@confluentinc/schemaregistry';
import {
  AvroCodec, frame, readSchemaFile, RecordEncodingError, unframe, UndecodableRecordError, WIRE_HEADER_BYTES,
} from '../src/avro.ts';
import { valueSubject } from '../src/registry.ts';

const TOPIC = 'usage-events';

function mockRegistry(): MockClient {
  return new MockClient({ baseURLs: ['mock://registry'] });
}

// A usage event as the core's parser hands it over: optional fields absent are null.
const event = {
  event_id: 'e-1', event_time: 1_767_225_600_123, lab: 'lab-a', account_id: 'acct-7',
  api_key_id: null, model: 'frontier-1', endpoint: 'chat', input_tokens: 812, output_tokens: 2_048,
  cost_usd: 0.0371, temperature: 0.7, top_p: null, max_tokens: 4_096, n: null, logprobs: true,
  top_logprobs: 5, reasoning_effort: 'high', prompt_text: 'Explain step by step: Ωmega ≠ 1', prompt_simhash: null,
  topic: 'math', system_prompt_hash: null, ip_prefix: '203.0.113.0/24', user_agent: 'python-requests/2.32',
  payment_fingerprint: 'pf-9', country: 'NL', status: 200,
};
type UsageEvent = typeof event;

describe('Confluent wire framing', () => {
  it('puts magic byte 0 and the big-endian schema id before the Avro body', () => {
    const framed = frame(0x01020304, Buffer.from([0xaa, 0xbb]));
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 0xaa, 0xbb]);
    expect(unframe(framed)).toEqual({ schemaId: 0x01020304, body: Buffer.from([0xaa, 0xbb]) });
  });

  it('refuses bytes that are not Confluent-framed', () => {
    expect(() => unframe(Buffer.from([0, 0, 1]))).toThrow(UndecodableRecordError);
    expect(() => unframe(Buffer.from('{"json":true}'))).toThrow(/magic byte/);
  });
});

describe('AvroCodec', () => {
  it('registers the value schema under <topic>-value with BACKWARD compatibility', async () => {
    const registry = mockRegistry();
    const codec = await AvroCodec.forTopic<UsageEvent>(registry, TOPIC, await readSchemaFile('usage-event.avsc'));
    expect(valueSubject(TOPIC)).toBe('usage-events-value');
    expect(await registry.getAllSubjects()).toEqual(['usage-events-value']);
    expect((await registry.getConfig('usage-events-value')).compatibility).toBe('BACKWARD');
    const again = await AvroCodec.forTopic<UsageEvent>(registry, TOPIC, await readSchemaFile('usage-event.avsc'));
    expect(again.schemaId).toBe(codec.schemaId);
  });

  it('round-trips a usage event field for field', async () => {
    const codec = await AvroCodec.forTopic<UsageEvent>(mockRegistry(), TOPIC, await readSchemaFile('usage-event.avsc'));
    const bytes = codec.encode(event);
    expect(bytes[0]).toBe(0);
    expect(bytes.readUInt32BE(1)).toBe(codec.schemaId);
    expect({ ...(await codec.decode(bytes)) }).toEqual(event);
  });

  it('writes bytes that Confluent\'s own AvroDeserializer reads', async () => {
    const registry = mockRegistry();
    const codec = await AvroCodec.forTopic<UsageEvent>(registry, TOPIC, await readSchemaFile('usage-event.avsc'));
    const confluent = new AvroDeserializer(registry, SerdeType.VALUE, { subjectNameStrategyType: SubjectNameStrategyType.TOPIC });
    expect({ ...(await confluent.deserialize(TOPIC, codec.encode(event))) }).toEqual(event);
  });

  it('reads bytes that Confluent\'s own AvroSerializer writes', async () => {
    const registry = mockRegistry();
    const codec = await AvroCodec.forTopic<UsageEvent>(registry, TOPIC, await readSchemaFile('usage-event.avsc'));
    const confluent = new AvroSerializer(registry, SerdeType.VALUE, {
      useSchemaId: codec.schemaId, autoRegisterSchemas: false, subjectNameStrategyType: SubjectNameStrategyType.TOPIC,
    });
    const bytes = await confluent.serialize(TOPIC, event);
    expect(bytes.subarray(0, WIRE_HEADER_BYTES)).toEqual(codec.encode(event).subarray(0, WIRE_HEADER_BYTES));
    expect({ ...(await codec.decode(bytes)) }).toEqual(event);
  });

  it('decodes records written with an older schema version, filling new fields with their defaults', async () => {
    const registry = mockRegistry();
    const current = JSON.parse(await readSchemaFile('usage-event.avsc')) as { fields: { name: string }[] };
    const older = { ...current, fields: current.fields.filter((f) => f.name !== 'country' && f.name !== 'status') };
    const oldCodec = await AvroCodec.forTopic<Omit<UsageEvent, 'country' | 'status'>>(registry, TOPIC, JSON.stringify(older));
    const { country: _country, status: _status, ...oldEvent } = event;
    const oldBytes = oldCodec.encode(oldEvent);

    const codec = await AvroCodec.forTopic<UsageEvent>(registry, TOPIC, JSON.stringify(current));
    expect(codec.schemaId).not.toBe(oldCodec.schemaId);
    expect({ ...(await codec.decode(oldBytes)) }).toEqual({ ...event, country: null, status: null });
  });

  it('names the field when a value does not fit the schema', async () => {
    const codec = await AvroCodec.forTopic<UsageEvent>(mockRegistry(), TOPIC, await readSchemaFile('usage-event.avsc'));
    const tooMany = { ...event, input_tokens: 2 ** 31 };
    expect(() => codec.encode(tooMany)).toThrow(RecordEncodingError);
    expect(() => codec.encode(tooMany)).toThrow(/field 'input_tokens'/);
  });

  it('reports a record naming an unknown schema id, or with a truncated body, as undecodable', async () => {
    const codec = await AvroCodec.forTopic<UsageEvent>(mockRegistry(), TOPIC, await readSchemaFile('usage-event.avsc'));
    const bytes = codec.encode(event);
    await expect(codec.decode(bytes.subarray(0, bytes.length - 3))).rejects.toThrow(UndecodableRecordError);
    await expect(codec.decode(frame(codec.schemaId + 1000, Buffer.from([0])))).rejects.toThrow(/schema id/);
  });
});
