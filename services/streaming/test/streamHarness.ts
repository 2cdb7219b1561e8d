// Test helpers for the streaming services: read a topic to its end (read_committed, as users
// see it), start `distillwatch run` as a child process and stop it (SIGTERM) or kill it
// (SIGKILL), and wait for a condition with a deadline. Every child is tracked so a test can
// never leave one running.
import { expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { KafkaMessage } from '@distillwatch/platform/kafka';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { configEnv, integrationConfig } from '@distillwatch/platform/harness';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { parseUsageEventLine, type AccountFeatures, type DistillationAlert } from '@distillwatch/core';

export const CLI = join(import.meta.dirname, '..', '..', 'cli', 'src', 'main.ts');

/** Every committed record of `topic`, read from the beginning up to the end offsets at the call. */
export async function readTopicToEnd(config: PlatformConfig, topic: string, timeoutMs = 60_000): Promise<KafkaMessage[]> {
  const kafka = kafkaClient(config, { clientId: 'distillwatch-test-reader' });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `${config.topicPrefix}test-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const positions = new Map<number, number>();
  const records: KafkaMessage[] = [];
  const done = () => [...ends].every(([p, end]) => end === 0 || (positions.get(p) ?? 0) >= end);
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => { finish = resolve; });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    positions.set(payload.partition, Math.max(positions.get(payload.partition) ?? 0, Number(payload.lastOffset) + 1));
    if (done()) finish();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommit: false, eachMessage: async ({ message }) => { records.push(message); } });
    if (done()) finish();
    const timer = new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`reading ${topic}: not at its end after ${timeoutMs} ms`)), timeoutMs).unref());
    await Promise.race([finished, timer]);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** The alerts on the topic, decoded, as NDJSON lines in `detect`'s order (window_end, alert_id). */
export async function readAlerts(config: PlatformConfig): Promise<DistillationAlert[]> {
  const topic = `${config.topicPrefix}distillation-alerts`;
  const codec = await AvroCodec.forTopic<DistillationAlert>(createRegistryClient(config), topic, await readSchemaFile('distillation-alert.avsc'));
  const alerts = await Promise.all((await readTopicToEnd(config, topic)).map((m) => codec.decode(m.value!)));
  return alerts.sort((a, b) => a.window_end - b.window_end || (a.alert_id < b.alert_id ? -1 : a.alert_id > b.alert_id ? 1 : 0));
}

export function cliEnv(config: PlatformConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...configEnv(config),
    DISTILLWATCH_METRICS_PORT: '0', DISTILLWATCH_IDLE_CHECK_MS: '300', DISTILLWATCH_COMMIT_INTERVAL_MS: '200', DISTILLWATCH_SESSION_TIMEOUT_MS: '8000', ...extra,
  };
}

/** A `distillwatch run` child process, with its stderr kept for diagnostics. */
export class ServiceProcess {
  readonly child: ChildProcess;
  readonly name: string;
  stderr = '';
  readonly exited: Promise<number | null>;
  static readonly all = new Set<ServiceProcess>();

  constructor(name: string, args: string[], env: Record<string, string>) {
    this.name = name;
    this.child = spawn(process.execPath, [CLI, 'run', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString('utf8'); if (this.stderr.length > 2_000_000) this.stderr = this.stderr.slice(-1_000_000); });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => { ServiceProcess.all.delete(this); resolve(code); }));
    ServiceProcess.all.add(this);
  }

  /** Resolves once the log shows `msg` (JSON log field), or rejects at the deadline. */
  async logged(msg: string, timeoutMs = 60_000): Promise<void> {
    try {
      await waitFor(() => this.stderr.includes(`"msg":"${msg}"`), timeoutMs, `${this.name} to log "${msg}"`);
    } catch (err) {
      throw new Error(`${(err as Error).message}; its stderr ends:\n${this.stderr.slice(-3000)}`);
    }
  }

  kill(): Promise<number | null> {
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM and wait for the drain; SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try { return await this.exited; } finally { clearTimeout(timer); }
  }

  static async killAll(): Promise<void> {
    await Promise.all([...ServiceProcess.all].map((p) => p.kill()));
  }
}

/**
 * Polls `condition` until it holds. A condition that throws (a broker answering "not the
 * leader" while a new topic elects its leader) counts as not yet; the last error is reported
 * at the deadline. `what` may be a function, to say at the deadline how far it got.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string | (() => string), everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A simulated usage stream, what `detect` makes of it, and where the stream can close windows. */
export interface ScenarioFixture {
  dir: string;
  events: string;
  config: string;
  /** `detect`'s alerts over the whole file. */
  offline: DistillationAlert[];
  /** `detect --features-out`'s account-windows over the whole file. */
  offlineFeatures: AccountFeatures[];
  /** The stream closes every window ending at or before this: its clock less the idle grace. */
  closableThrough: number;
  /** The offline alerts of windows the stream closes: what the topic must hold, exactly. */
  expected: DistillationAlert[];
}

/** Detector settings that raise enough alerts on the small scenario to compare many of them. */
export const TEST_DETECTOR_CONFIG = { scorer: { minScore: 0.5, warmupMs: 6 * 3_600_000, confirmation: { windows: 1 } } };

export function cli(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out); else reject(new Error(`distillwatch ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** Simulates the scenario and runs `detect` over it (same detector settings as the services get). */
export async function scenarioFixture(scenario: string, seed: number): Promise<ScenarioFixture> {
  const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'distillwatch-stream-'));
  const events = join(dir, 'events.ndjson');
  const config = join(dir, 'detector.json');
  writeFileSync(config, JSON.stringify(TEST_DETECTOR_CONFIG));
  await cli(['simulate', '--scenario', scenario, '--seed', String(seed), '--out', events]);
  const alertsFile = join(dir, 'offline.ndjson');
  const featuresFile = join(dir, 'offline.features.ndjson');
  await cli(['detect', '--input', events, '--output', alertsFile, '--features-out', featuresFile, '--config', config]);
  const offline = readFileSync(alertsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as DistillationAlert);
  const offlineFeatures = readFileSync(featuresFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AccountFeatures);
  let clock = Number.NEGATIVE_INFINITY;
  readFileSync(events, 'utf8').split('\n').forEach((line, i) => {
    const parsed = parseUsageEventLine(line, i + 1);
    if (parsed.kind === 'event' && parsed.event.event_time > clock) clock = parsed.event.event_time;
  });
  const closableThrough = clock - 15 * 60_000;
  return { dir, events, config, offline, offlineFeatures, closableThrough, expected: offline.filter((a) => a.window_end <= closableThrough) };
}

/** Splits the events file into `parts` files of consecutive lines (produced one after another). */
export async function splitEvents(fixture: ScenarioFixture, parts: number): Promise<string[]> {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const lines = readFileSync(fixture.events, 'utf8').split('\n').filter(Boolean);
  const size = Math.ceil(lines.length / parts);
  return Array.from({ length: parts }, (_, i) => {
    const file = join(fixture.dir, `part-${i}.ndjson`);
    writeFileSync(file, lines.slice(i * size, (i + 1) * size).join('\n') + '\n');
    return file;
  });
}

/**
 * What most stream tests start from: a broker prefix of their own, a simulated scenario with its
 * offline alerts, and its events cut into `parts` files to produce one after another.
 */
export async function splitScenario(prefix: string, scenario: string, seed: number, parts: number):
  Promise<{ config: PlatformConfig; fixture: ScenarioFixture; parts: string[] }> {
  const config = await integrationConfig(prefix);
  const fixture = await scenarioFixture(scenario, seed);
  return { config, fixture, parts: await splitEvents(fixture, parts) };
}

/** `distillwatch produce` of one file under the test's prefix. */
export async function produceFile(config: PlatformConfig, file: string): Promise<void> {
  await cli(['produce', '--input', file], cliEnv(config));
}

/** Waits until the alerts topic holds at least `count` alerts, then a little longer (extras would show). */
/**
 * Starts `run all` (named `name`) on the fixture's config, waits for its scorer to restore its
 * state and for the fixture's alert count on the topic, stops it (exit 0 expected) and returns
 * the alerts read.
 */
export async function alertsOfRestartedRunAll(config: PlatformConfig, fixture: ScenarioFixture, name: string, timeoutMs: number): Promise<DistillationAlert[]> {
  const service = new ServiceProcess(name, ['all', '--config', fixture.config], cliEnv(config));
  try {
    await service.logged('scorer state restored');
    return await alertsOnceComplete(config, fixture.expected.length, timeoutMs);
  } finally {
    expect(await service.stop()).toBe(0);
  }
}

export async function alertsOnceComplete(config: PlatformConfig, count: number, timeoutMs: number): Promise<DistillationAlert[]> {
  let alerts: DistillationAlert[] = [];
  await waitFor(async () => (alerts = await readAlerts(config)).length >= count, timeoutMs, () => `${count} alerts on the topic (have ${alerts.length})`, 2000);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await waitFor(async () => { alerts = await readAlerts(config); return true; }, 30_000, 'a final read of the alerts');
  return alerts;
}

/** Alerts as comparable lines. */
export const lines = (alerts: readonly DistillationAlert[]) => alerts.map((a) => JSON.stringify(a));

/** A timestamped progress line on stderr, so a slow or stuck integration test shows where it is. */
export function step(what: string): void {
  process.stderr.write(`${new Date().toISOString()} ${what}\n`);
}

/** Every account-window on the account-features topic, in (window_end, lab, account_id) order. */
export async function streamedFeatures(config: PlatformConfig): Promise<AccountFeatures[]> {
  const topic = `${config.topicPrefix}account-features`;
  const codec = await AvroCodec.forTopic<AccountFeatures>(createRegistryClient(config), topic, await readSchemaFile('account-features.avsc'));
  const records = await Promise.all((await readTopicToEnd(config, topic)).map((m) => codec.decode(m.value!)));
  return byWindowAndAccount(records);
}

export function byWindowAndAccount(records: readonly AccountFeatures[]): AccountFeatures[] {
  const key = (r: AccountFeatures) => `${String(r.window_end).padStart(16, '0')}|${r.lab}|${r.account_id}`;
  return [...records].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
