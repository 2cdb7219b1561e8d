// Stream benchmark hook: end-to-end throughput of `distillwatch run all` (one process) against a
// consume-only kafkajs loop over the same usage topic, measured in the same run, and the alert
// latency the scorer reports (aggregator commit that completed a window -> its alerts committed).
//
//   node bench/stream.ts --input events.ndjson [--config detector.json]     (prints JSON)
//
// Both start from a cold process and a fresh consumer group on a topic produced once under a
// fresh prefix on the broker of KAFKA_BROKERS (default: the local `infra up` one); `run all` is
// done when the scorer has completed every window the stream can close (its clock less the idle
// grace). The prefixed topics are left behind (delete them with kafka-topics if space matters).
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseUsageEventLine } from '../services/core/src/index.ts';
import { loadConfig, type PlatformConfig } from '../services/platform/src/config.ts';
import { kafkaClient } from '../services/platform/src/kafka.ts';
import { freePort } from '../services/platform/test/harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../services/cli/src/main.ts', import.meta.url));
const IDLE_GRACE_MS = 15 * 60_000;

export interface StreamFigures {
  events: number;
  consumeOnlyEventsPerS: number;
  runAllEventsPerS: number;
  /** runAll / consumeOnly: the issue asks >= 0.6. */
  ratio: number;
  alertLatencyP50S: number | null;
  alertLatencyP99S: number | null;
}


function env(config: PlatformConfig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, KAFKA_BROKERS: config.brokers.join(','), SCHEMA_REGISTRY_URL: config.schemaRegistryUrl, DISTILLWATCH_TOPIC_PREFIX: config.topicPrefix, ...extra };
}

function produce(config: PlatformConfig, input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'produce', '--input', input], { cwd: ROOT, env: env(config), stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`produce exited ${code}`))));
  });
}

/** Seconds for a bare kafkajs consumer (eachBatch, values touched) to read `events` records. */
async function consumeOnly(config: PlatformConfig, topic: string, events: number): Promise<number> {
  const consumer = kafkaClient(config, { clientId: 'distillwatch-bench-consume-only' }).consumer({ groupId: `${config.topicPrefix}bench-consume-only`, maxWaitTimeInMs: 100 });
  const started = performance.now();
  let seen = 0;
  let bytes = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => { done = resolve; });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) bytes += m.value?.length ?? 0;
      seen += batch.messages.length;
      if (seen >= events) done();
    },
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  if (bytes === 0) throw new Error('consume-only loop read no bytes');
  return seconds;
}

function metric(text: string, name: string, labels = ''): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Seconds for `run all` to read every event and complete every closable window; its last metrics. */
async function runAll(config: PlatformConfig, target: number, events: number, detectorConfig: string | undefined): Promise<{ seconds: number; metrics: string }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'run', 'all', ...(detectorConfig ? ['--config', detectorConfig] : [])], {
    cwd: ROOT, env: env(config, { DISTILLWATCH_METRICS_PORT: String(port), DISTILLWATCH_LOG_LEVEL: 'warn' }), stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (child.exitCode !== null) throw new Error(`run all exited ${child.exitCode}`);
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => '');
      const read = metric(text, 'distillwatch_aggregator_events_in_total') ?? 0;
      const complete = metric(text, 'distillwatch_scorer_complete_through_ms') ?? Number.NEGATIVE_INFINITY;
      const committed = metric(text, 'distillwatch_scorer_commits_total') ?? 0;
      if (read >= events && complete >= target && committed > 0) return { seconds: (performance.now() - started) / 1000, metrics: text };
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export async function measureStream(input: string, detectorConfig?: string): Promise<StreamFigures> {
  const config = { ...loadConfig(), topicPrefix: `bench-stream-${Date.now().toString(36)}.` };
  // The stream's last event time, read line by line (the log can be larger than one string).
  let clock = Number.NEGATIVE_INFINITY;
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
    const parsed = parseUsageEventLine(text, ++line);
    if (parsed.kind === 'event') clock = Math.max(clock, parsed.event.event_time);
  }
  await produce(config, input);
  const topic = `${config.topicPrefix}usage-events`;
  const admin = kafkaClient(config, { clientId: 'distillwatch-bench' }).admin();
  await admin.connect();
  const events = (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + Number(o.high), 0);
  await admin.disconnect();
  const raw = await consumeOnly(config, topic, events);
  const stream = await runAll(config, clock - IDLE_GRACE_MS, events, detectorConfig);
  return {
    events,
    consumeOnlyEventsPerS: Math.round(events / raw),
    runAllEventsPerS: Math.round(events / stream.seconds),
    ratio: Math.round((raw / stream.seconds) * 1000) / 1000,
    alertLatencyP50S: metric(stream.metrics, 'distillwatch_scorer_alert_latency_seconds', '{quantile="0.5"}'),
    alertLatencyP99S: metric(stream.metrics, 'distillwatch_scorer_alert_latency_seconds', '{quantile="0.99"}'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { input: { type: 'string' }, config: { type: 'string' } } });
  if (!values.input) {
    process.stderr.write('usage: node bench/stream.ts --input events.ndjson [--config detector.json]\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await measureStream(values.input, values.config), null, 2)}\n`);
}
