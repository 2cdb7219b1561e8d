// `distillwatch replay` against the real broker and registry: the usage fixture is produced
// into Kafka, a middle slice of it is replayed, and the alerts equal `detect` over the same
// slice of the file, byte for byte: with other detector settings, with a saved model, and when
// written to a topic instead of a file. Fails when Kafka is not running.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseIsoInstant } from '@distillwatch/core';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { configEnv, integrationConfig, runNodeScript, type ProcessRun } from '@distillwatch/platform/harness';

const CLI = join(import.meta.dirname, '..', 'src', 'main.ts');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'small-seed3.ndjson.gz');
/** The fixture covers 2026-03-02; the slice leaves out its first 3 hours and last 2. */
const FROM = '2026-03-02T03:00:00Z';
const TO = Date.UTC(2026, 2, 2, 22);

function distillwatch(config: PlatformConfig, args: string[]): Promise<ProcessRun> {
  return runNodeScript(CLI, args, configEnv(config));
}

async function ok(config: PlatformConfig, args: string[]): Promise<ProcessRun> {
  const run = await distillwatch(config, args);
  if (run.status !== 0) throw new Error(`distillwatch ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run;
}

function eventTime(line: string): number {
  const t = (JSON.parse(line) as { event_time: number | string }).event_time;
  return typeof t === 'number' ? t : parseIsoInstant(t)!;
}

describe('replay', () => {
  let config: PlatformConfig;
  const dir = mkdtempSync(join(tmpdir(), 'dw-replay-'));
  const slice = join(dir, 'slice.ndjson');
  const settings = join(dir, 'settings.json');

  beforeAll(async () => {
    config = await integrationConfig('replay');
    await ok(config, ['produce', '--input', FIXTURE]);
    const lines = gunzipSync(readFileSync(FIXTURE)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
    const from = parseIsoInstant(FROM)!;
    const kept = lines.filter((l) => eventTime(l) >= from && eventTime(l) < TO);
    expect(kept.length).toBeGreaterThan(5000);
    expect(kept.length).toBeLessThan(lines.length);
    writeFileSync(slice, kept.join('\n') + '\n');
    // A data scientist's variation: half-hour windows, a shorter warm-up and a lower threshold,
    // so the slice has alerts enough to compare.
    writeFileSync(settings, JSON.stringify({ windows: { windowMs: 1_800_000 }, scorer: { warmupMs: 4 * 3_600_000, minScore: 0.52 } }));
  });

  it('equals detect over the same slice of the file, with other detector settings', async () => {
    await ok(config, ['detect', '--input', slice, '--output', join(dir, 'detect.ndjson'), '--config', settings]);
    const run = await ok(config, ['replay', '--from', FROM, '--to', String(TO), '--config', settings, '--output', join(dir, 'replay.ndjson')]);
    const expected = readFileSync(join(dir, 'detect.ndjson'), 'utf8');
    expect(expected.trimEnd().split('\n').length).toBeGreaterThanOrEqual(5);
    expect(readFileSync(join(dir, 'replay.ndjson'), 'utf8')).toBe(expected);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/replay: 2026-03-02T03:00:00.000Z \.\. 2026-03-02T22:00:00.000Z: \d+ records read, \d+ events in range/);
  });

  it('equals detect with the same saved model', async () => {
    const model = join(dir, 'model.json');
    await ok(config, ['detect', '--input', FIXTURE, '--output', join(dir, 'full.ndjson'), '--model-out', model]);
    await ok(config, ['detect', '--input', slice, '--output', join(dir, 'detect-model.ndjson'), '--model', model]);
    await ok(config, ['replay', '--from', FROM, '--to', String(TO), '--model', model, '--output', join(dir, 'replay-model.ndjson')]);
    const expected = readFileSync(join(dir, 'detect-model.ndjson'), 'utf8');
    expect(expected.trimEnd().split('\n').length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(join(dir, 'replay-model.ndjson'), 'utf8')).toBe(expected);
  });

  it('writes the same alerts to a topic as Avro', async () => {
    await ok(config, ['replay', '--from', FROM, '--to', String(TO), '--config', settings, '--output', 'topic:replayed-alerts']);
    const tail = await ok(config, ['alerts', 'tail', '--topic', 'replayed-alerts', '--from-beginning', '--exit-at-end', '--json']);
    const expected = readFileSync(join(dir, 'detect.ndjson'), 'utf8').trimEnd().split('\n');
    expect(tail.stdout.trimEnd().split('\n').sort()).toEqual([...expected].sort());
  });

  it('rejects a range that ends before it starts', async () => {
    const run = await distillwatch(config, ['replay', '--from', FROM, '--to', FROM, '--output', '-']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('distillwatch: --to (2026-03-02T03:00:00.000Z) must be after --from (2026-03-02T03:00:00.000Z)\n');
  });
});
