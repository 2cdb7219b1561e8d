// Interop with the tools data scientists already have: what `distillwatch produce` writes is
// read back by Confluent's own Python client (confluent-kafka's DeserializingConsumer with its
// AvroDeserializer and SchemaRegistryClient) through scripts/interop/read_topic.py, against
// the real local broker and registry, and compared field by field with the input.
// Fails when Kafka, the registry or Python 3.9+ is missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseUsageEventLine, type UsageEvent } from '@distillwatch/core';
import { readSchemaFile } from '@distillwatch/platform/avro';
import { configEnv, integrationConfig } from '@distillwatch/platform/harness';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'services', 'cli', 'src', 'main.ts');
const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const READ_TOPIC = join(ROOT, 'scripts', 'interop', 'read_topic.py');

const LINES = [
  { event_id: 'py-1', event_time: 1_767_225_600_000, lab: 'lab-a', account_id: 'acct-1', model: 'frontier-1',
    input_tokens: 120, output_tokens: 3_400, cost_usd: 0.0425 },
  { event_id: 'py-2', event_time: '2026-01-01T00:00:01.5Z', lab: 'lab-b', account_id: 'acct/with/slashes', model: 'frontier-2',
    input_tokens: 0, output_tokens: 1, cost_usd: 0, api_key_id: 'k-1', endpoint: 'responses', temperature: 1.25,
    top_p: 0.9, max_tokens: 32_768, n: 8, logprobs: false, top_logprobs: 20, reasoning_effort: 'high',
    prompt_text: 'Derive every step: 𝔼[X²] − 𝔼[X]² ≥ 0, «proof»', prompt_simhash: 'FFFF0000aaaa5555', topic: 'statistics',
    system_prompt_hash: 'h-9', ip_prefix: '198.51.100.0/24', user_agent: 'curl/8.5', payment_fingerprint: 'pf-3',
    country: 'JP', status: 429 },
  { event_id: 'py-3', event_time: 1_767_225_700_123, lab: 'lab-a', account_id: 'acct-1', model: 'frontier-1',
    input_tokens: 2_147_483_647, output_tokens: 7, cost_usd: 123456.789012345, temperature: null, unknown_field: 'ignored' },
].map((l) => JSON.stringify(l));

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });
  if (result.error) throw result.error;
  return result;
}

describe('reading the topics from Python', () => {
  beforeAll(() => {
    // Idempotent: a no-op when .venv/ already matches scripts/python-requirements.txt.
    const setup = run('bash', ['scripts/setup-python.sh']);
    expect(setup.status, setup.stderr).toBe(0);
  });

  it('decodes what produce wrote, field by field, with confluent-kafka\'s AvroDeserializer', async () => {
    const config = await integrationConfig('python-interop');
    const prefix = config.topicPrefix;
    const env = configEnv(config);
    const dir = mkdtempSync(join(tmpdir(), 'distillwatch-python-'));
    const input = join(dir, 'usage.ndjson');
    writeFileSync(input, LINES.join('\n') + '\n');
    const produce = run(process.execPath, [CLI, 'produce', '--input', input], env);
    expect(produce.status, produce.stderr).toBe(0);

    const read = run(PYTHON, [READ_TOPIC, 'usage-events', '--meta', '--idle-timeout', '30'], env);
    expect(read.status, read.stderr).toBe(0);
    const records = read.stdout.trim().split('\n').map((l) => JSON.parse(l) as {
      topic: string; key: string; timestamp: number; value: Record<string, unknown>;
    });
    expect(records).toHaveLength(LINES.length);

    const fields = (JSON.parse(await readSchemaFile('usage-event.avsc')) as { fields: { name: keyof UsageEvent }[] }).fields.map((f) => f.name);
    for (const [index, line] of LINES.entries()) {
      const parsed = parseUsageEventLine(line, index + 1);
      if (parsed.kind !== 'event') throw new Error(`fixture line ${index + 1} is not a valid event`);
      const expected = parsed.event;
      const record = records.find((r) => r.value.event_id === expected.event_id);
      expect(record, `event ${expected.event_id}`).toBeDefined();
      expect(record!.topic).toBe(`${prefix}usage-events`);
      expect(record!.key).toBe(`${expected.lab}/${expected.account_id}`);
      expect(record!.timestamp).toBe(expected.event_time);
      expect(Object.keys(record!.value)).toEqual(fields);
      for (const field of fields) {
        expect(record!.value[field], `${expected.event_id}.${field}`).toStrictEqual(expected[field]);
      }
    }
  });
});
