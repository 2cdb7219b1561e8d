// `distillwatch produce` end to end against the real local broker and registry (`pnpm
// distillwatch infra up`): what lands on usage-events (key, timestamp, every field) and on
// usage-events.dlq (exactly the bad lines, with line numbers and reasons). Each test uses its
// own topic prefix, so runs never see each other's records. Fails when Kafka is not running.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseUsageEventLine, type UsageEvent } from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { configEnv, integrationConfig } from '@distillwatch/platform/harness';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { readTopics } from './topic-reader.ts';

const CLI = join(import.meta.dirname, '..', 'src', 'main.ts');

const valid = (over: Record<string, unknown>) => JSON.stringify({
  event_id: 'e-1', event_time: 1_767_225_600_000, lab: 'lab-a', account_id: 'acct-1', model: 'frontier-1',
  input_tokens: 100, output_tokens: 200, cost_usd: 0.0125, ...over,
});

/** Line N of the fixture is FIXTURE[N-1]; `bad` lines carry the dead letter they must produce. */
const FIXTURE: { text: string; bad?: { reason: string; field?: string } }[] = [
  { text: valid({}) },
  { text: '{"event_id": "e-2", "lab": ', bad: { reason: 'invalid JSON' } },
  { text: valid({ event_id: 'e-3', model: undefined }), bad: { reason: 'missing field', field: 'model' } },
  { text: valid({ event_id: 'e-4', input_tokens: -5 }), bad: { reason: 'negative value', field: 'input_tokens' } },
  { text: valid({ event_id: 'e-5', output_tokens: 12.5 }), bad: { reason: 'not an integer', field: 'output_tokens' } },
  { text: valid({ event_id: 'e-6', event_time: 'yesterday at noon' }), bad: { reason: 'unparseable event_time', field: 'event_time' } },
  { text: valid({ event_id: 'e-7', lab: 'lab-b', account_id: 'acct-9', event_time: '2026-01-05T10:00:00.250+02:00' }) },
  { text: valid({ event_id: 'e-8', account_id: 'acct-2', shard: 17, extra: { nested: true } }) },
  { text: '' },
  { text: valid({
    event_id: 'e-10', account_id: 'acct-3', api_key_id: 'key-1', endpoint: 'chat', temperature: 0.7, top_p: 0.95,
    max_tokens: 8192, n: 4, logprobs: true, top_logprobs: 5, reasoning_effort: 'high',
    prompt_text: 'Explain, step by step, why ∑ 1/n² = π²/6 — 完整推理', prompt_simhash: '0123456789ABCDEF', topic: 'math',
    system_prompt_hash: 'sys-1', ip_prefix: '203.0.113.0/24', user_agent: 'python-httpx/0.27', payment_fingerprint: 'pf-1',
    country: 'SG', status: 200, cost_usd: 1.234567890123,
  }) },
  // A duplicate (same lab and event_id as line 1) is shipped: dropping it is the detector's job.
  { text: valid({}) },
  { text: '[1, 2, 3]', bad: { reason: 'not an object' } },
];

function writeFixture(name: string, gzip = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'distillwatch-produce-'));
  const path = join(dir, name);
  const content = FIXTURE.map((l) => l.text).join('\n') + '\n';
  writeFileSync(path, gzip ? gzipSync(content) : content);
  return path;
}

function runProduce(args: string[], env: Record<string, string>, input?: string) {
  const result = spawnSync(process.execPath, [CLI, 'produce', ...args], {
    env: { ...process.env, ...env }, input, encoding: 'utf8', timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const expectedEvents = (): { line: number; event: UsageEvent }[] =>
  FIXTURE.flatMap((l, i) => {
    const parsed = parseUsageEventLine(l.text, i + 1);
    return parsed.kind === 'event' ? [{ line: i + 1, event: parsed.event }] : [];
  });

const expectedDeadLetters = () =>
  FIXTURE.flatMap((l, i) => (l.bad === undefined ? [] : [{
    line: i + 1, reason: l.bad.reason, ...(l.bad.field === undefined ? {} : { field: l.bad.field }), raw: l.text, source: 'produce',
  }]));

/** Produces the fixture under a fresh prefix, then reads back both topics and decodes them. */
async function produceAndReadBack(args: (path: string) => string[], gzip = false, stdin = false) {
  const config = await integrationConfig('produce');
  const path = writeFixture(gzip ? 'usage.ndjson.gz' : 'usage.ndjson', gzip);
  const run = runProduce(args(path), configEnv(config), stdin ? FIXTURE.map((l) => l.text).join('\n') : undefined);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(run.status).toBe(0);
  const events = expectedEvents();
  const deadLetters = expectedDeadLetters();
  const usageTopic = `${config.topicPrefix}usage-events`;
  const dlqTopic = `${config.topicPrefix}usage-events.dlq`;
  const read = await readTopics(config, { [usageTopic]: events.length, [dlqTopic]: deadLetters.length });
  const records = read[usageTopic]!;
  const dlq = read[dlqTopic]!;
  const codec = await AvroCodec.forTopic<UsageEvent>(createRegistryClient(config), usageTopic, await readSchemaFile('usage-event.avsc'));
  const decoded = await Promise.all(records.map(async (r) => ({
    key: r.key?.toString('utf8'), timestamp: Number(r.timestamp), value: { ...(await codec.decode(r.value!)) },
  })));
  return { run, path, events, deadLetters, decoded, dlq: dlq.map((r) => JSON.parse(r.value!.toString('utf8')) as unknown) };
}

const byEventAndOrder = <T extends { value: UsageEvent }>(a: T, b: T) =>
  a.value.event_id.localeCompare(b.value.event_id) || a.value.event_time - b.value.event_time;

describe('distillwatch produce', () => {
  it('ships every valid line as Avro keyed <lab>/<account_id> and timestamped with event_time, and dead-letters the bad lines', async () => {
    const { run, path, events, deadLetters, decoded, dlq } = await produceAndReadBack((p) => ['--input', p]);

    expect(decoded).toHaveLength(events.length);
    const want = events.map(({ event }) => ({ key: `${event.lab}/${event.account_id}`, timestamp: event.event_time, value: event }));
    expect([...decoded].sort(byEventAndOrder)).toEqual([...want].sort(byEventAndOrder));
    // The ISO time with an offset became epoch ms, in the value and the record timestamp.
    expect(decoded.find((d) => d.value.event_id === 'e-7')?.timestamp).toBe(Date.UTC(2026, 0, 5, 8, 0, 0, 250));

    expect([...dlq].sort((a, b) => (a as { line: number }).line - (b as { line: number }).line)).toEqual(deadLetters);

    expect(run.stdout).toBe('');
    for (const letter of deadLetters) {
      const where = letter.field === undefined ? '' : `field '${letter.field}': `;
      expect(run.stderr).toContain(`${path}:${letter.line}: ${where}${letter.reason}\n`);
    }
    expect(run.stderr).toMatch(new RegExp(`read ${FIXTURE.length} lines: ${events.length} events produced to it-produce-[0-9a-z-]+\\.usage-events, ${deadLetters.length} rejected .*, 1 blank`));
  });

  it('reads gzipped NDJSON and stdin the same way', async () => {
    const gz = await produceAndReadBack((p) => ['--input', p], true);
    expect(gz.decoded.map((d) => d.value).sort((a, b) => a.event_id.localeCompare(b.event_id)))
      .toEqual(gz.events.map((e) => e.event).sort((a, b) => a.event_id.localeCompare(b.event_id)));
    expect(gz.dlq).toHaveLength(gz.deadLetters.length);

    const stdin = await produceAndReadBack(() => ['--input', '-'], false, true);
    expect(stdin.decoded).toHaveLength(stdin.events.length);
    expect(stdin.run.stderr).toContain(`<stdin>:2: invalid JSON\n`);
  });

  it('reports the first 20 bad lines one by one and only counts the rest, all of them dead-lettered', async () => {
    const config = await integrationConfig('produce-many-bad');
    const dir = mkdtempSync(join(tmpdir(), 'distillwatch-produce-'));
    const path = join(dir, 'bad.ndjson');
    writeFileSync(path, [valid({}), ...Array.from({ length: 25 }, (_, i) => valid({ event_id: `bad-${i}`, cost_usd: -1 }))].join('\n'));
    const run = runProduce(['--input', path], configEnv(config));
    expect(run.status).toBe(0);
    const reported = run.stderr.split('\n').filter((l) => l.startsWith(`${path}:`) && l.includes("field 'cost_usd': negative value"));
    expect(reported).toHaveLength(20);
    expect(reported[0]).toBe(`${path}:2: field 'cost_usd': negative value`);
    expect(run.stderr).toContain(`${path}: ... 5 more rejected lines not shown (all are in ${config.topicPrefix}usage-events.dlq)\n`);
    const dlqTopic = `${config.topicPrefix}usage-events.dlq`;
    const read = await readTopics(config, { [dlqTopic]: 25 });
    expect(read[dlqTopic]!.map((r) => (JSON.parse(r.value!.toString()) as { line: number }).line))
      .toEqual(Array.from({ length: 25 }, (_, i) => i + 2));
  });

  it('fails with one line when a .gz input is not gzip', async () => {
    const config = await integrationConfig('produce-bad-gzip');
    const path = writeFixture('usage.ndjson.gz', false);
    const run = runProduce(['--input', path], configEnv(config));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^distillwatch: cannot read input '${path.replace(/[.]/g, '\\.')}': not valid gzip \\(incorrect header check\\)$`, 'm'));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('fails with one line naming the broker address when Kafka is unreachable', async () => {
    const config = await integrationConfig('produce-unreachable');
    const run = runProduce(['--input', writeFixture('usage.ndjson')], { ...configEnv(config), KAFKA_BROKERS: '127.0.0.1:1' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'distillwatch: cannot reach Kafka at 127.0.0.1:1 (ECONNREFUSED); start it with `pnpm distillwatch infra up` or set KAFKA_BROKERS',
    ]);
  });

  it('fails with one line naming the registry when the schema registry is unreachable', async () => {
    const config = await integrationConfig('produce-no-registry');
    const run = runProduce(['--input', writeFixture('usage.ndjson')], { ...configEnv(config), SCHEMA_REGISTRY_URL: 'http://127.0.0.1:2/apis/ccompat/v7' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^distillwatch: schema registry at http:\/\/127\.0\.0\.1:2\/apis\/ccompat\/v7 is unreachable \(ECONNREFUSED\).*`pnpm distillwatch infra up`$/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('fails with one line naming the file when the input does not exist', () => {
    const run = runProduce(['--input', 'no/such/usage.ndjson'], {});
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`distillwatch: cannot read input 'no/such/usage.ndjson': no such file\n`);
  });
});
