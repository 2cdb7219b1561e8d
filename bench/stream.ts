// Stream benchmark hook: end-to-end throughput of `distillwatch run all` (one process) against a
// consume-only kafkajs loop over the same usage topic, measured in the same run, then the alert
// latency under a steady load at half the measured `run all` throughput: `run all` is started
// on an empty topic and `produce --rate` replays the same file into it. Latency is what the
// scorer reports: wall time from the aggregator commit that completed a window to the commit of
// that window's alerts on the alerts topic.
//
//   node bench/stream.ts --input events.ndjson [--config detector.json] [--processes N] [--rate R]   (prints JSON)
//
// `--rate R` runs only the latency phase, the file replayed at R events/s (on a loaded machine,
// a load chosen from an earlier run, without the throughput phases before it).
// `--processes 2` runs two `run all` processes in both phases: their aggregators share the usage
// partitions in one consumer group, and one of them owns the scorer (the other is its standby),
// which is how `run all` uses a second core.
//
// Each phase starts from a cold process and a fresh consumer group on topics under a fresh
// prefix on the broker of KAFKA_BROKERS (default: the local `infra up` one); `run all` is done
// when the scorer has completed every window the stream can close (its clock less the idle
// grace). Every topic under the fresh prefix is deleted at the end (about 1.5 GB a run).
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseUsageEventLine } from '../services/core/src/index.ts';
import { loadConfig, type PlatformConfig } from '../services/platform/src/config.ts';
import { kafkaClient } from '../services/platform/src/kafka/index.ts';
import { configEnv, freePort } from '../services/platform/test/harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../services/cli/src/main.ts', import.meta.url));
const IDLE_GRACE_MS = 15 * 60_000;

/** Share of the measured `run all` throughput the latency phase produces at. */
export const LATENCY_LOAD_SHARE = 0.5;

export interface StreamFigures {
  events: number;
  /** `run all` processes sharing the partitions. */
  processes: number;
  consumeOnlyEventsPerS: number;
  runAllEventsPerS: number;
  /**
   * CPU seconds (user + system) of the `run all` processes of that phase, from a cold start: the
   * work the stream costs, which a loaded machine stretches far less than the wall time.
   */
  runAllCpuSeconds: number;
  /** runAll / consumeOnly: the issue asks >= 0.6. */
  ratio: number;
  /** Latency while `run all` catches up on the whole topic at full speed. */
  catchUpAlertLatencyP50S: number | null;
  catchUpAlertLatencyP99S: number | null;
  /** The steady load of the latency phase: asked for, and achieved by `produce --rate`. */
  latencyLoadEventsPerS: number;
  latencyLoadAchievedEventsPerS: number;
  /** Windows whose latency was measured in the latency phase. */
  latencyWindows: number | null;
  alertLatencyP50S: number | null;
  alertLatencyP99S: number | null;
}


function env(config: PlatformConfig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...configEnv(config), ...extra };
}

function produce(config: PlatformConfig, input: string, rate?: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = [CLI, 'produce', '--input', input, ...(rate === undefined ? [] : ['--rate', String(rate)])];
    // Its progress lines are kept out of the bench's output, and its last words shown on failure.
    const child = spawn(process.execPath, args, { cwd: ROOT, env: env(config), stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { tail = (tail + chunk).slice(-2000); });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`produce exited ${code}:\n${tail}`))));
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

/** `run all` processes, each with its metrics endpoint. */
class RunAll {
  private readonly children: { child: ChildProcess; port: number }[];

  private constructor(children: { child: ChildProcess; port: number }[]) {
    this.children = children;
  }

  static async start(config: PlatformConfig, detectorConfig: string | undefined, processes: number): Promise<RunAll> {
    const children = [];
    for (let i = 0; i < processes; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, [CLI, 'run', 'all', ...(detectorConfig ? ['--config', detectorConfig] : [])], {
        cwd: ROOT, env: env(config, { DISTILLWATCH_METRICS_PORT: String(port), DISTILLWATCH_LOG_LEVEL: process.env.DISTILLWATCH_LOG_LEVEL ?? 'warn' }), stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push({ child, port });
    }
    return new RunAll(children);
  }

  /** Polls every process's /metrics every 100 ms until `done` holds for their texts; returns them. */
  async until(done: (metrics: string[]) => boolean): Promise<string[]> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const exited = this.children.find(({ child }) => child.exitCode !== null);
      if (exited) throw new Error(`run all exited ${exited.child.exitCode}`);
      const texts = await Promise.all(this.children.map(({ port }) => fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => '')));
      if (texts.every((t) => t !== '') && done(texts)) return texts;
    }
  }

  /**
   * The processes' peak resident memory so far (Linux `VmHWM`, summed over the processes): the
   * operating system's count, worker threads included, as `detect`'s peak is read (bench/peakRss.ts).
   */
  peakRssBytes(): number {
    let bytes = 0;
    for (const { child } of this.children) {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      if (kb === undefined) throw new Error(`no VmHWM for run all (pid ${child.pid})`);
      bytes += Number(kb) * 1024;
    }
    return bytes;
  }

  /** CPU seconds (user + system) the processes have used so far (Linux `/proc/<pid>/stat`, in clock ticks of 1/100 s). */
  cpuSeconds(): number {
    let ticks = 0;
    for (const { child } of this.children) {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map(async ({ child }) => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }));
  }
}

/** Sum of a metric over the processes (a process that has not declared it counts 0). */
const total = (texts: string[], name: string): number => texts.reduce((sum, t) => sum + (metric(t, name) ?? 0), 0);

/** The scorer owner's metrics: the process that has committed scores (its standby has not). */
const scorerOf = (texts: string[]): string => texts.find((t) => (metric(t, 'distillwatch_scorer_commits_total') ?? 0) > 0) ?? texts[0]!;

/** Whether the processes have read `events` events and completed every window up to `target`. */
function finished(texts: string[], events: number, target: number): boolean {
  const scorer = scorerOf(texts);
  const complete = metric(scorer, 'distillwatch_scorer_complete_through_ms') ?? Number.NEGATIVE_INFINITY;
  const committed = metric(scorer, 'distillwatch_scorer_commits_total') ?? 0;
  return total(texts, 'distillwatch_aggregator_events_in_total') >= events && complete >= target && committed > 0;
}

function latency(texts: string[], quantile: number): number | null {
  return metric(scorerOf(texts), 'distillwatch_scorer_alert_latency_seconds', `{quantile="${quantile}"}`);
}

/** Seconds (wall and CPU) for `run all` to read every event and complete every closable window; its last metrics. */
async function runAll(config: PlatformConfig, target: number, events: number, options: StreamOptions): Promise<{ seconds: number; cpuSeconds: number; metrics: string[] }> {
  const started = performance.now();
  const service = await RunAll.start(config, options.detectorConfig, options.processes);
  try {
    const metrics = await service.until((texts) => finished(texts, events, target));
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: service.cpuSeconds(), metrics };
  } finally {
    await service.stop();
  }
}

/**
 * `run all` started on empty topics (ready once the aggregator and the scorer have restored
 * their state, i.e. own their partitions), then the file replayed at `rate` events/s; the
 * metrics once every closable window is complete, and the rate `produce` achieved.
 */
async function underSteadyLoad(config: PlatformConfig, input: string, rate: number, target: number, events: number, options: StreamOptions): Promise<{ metrics: string[]; achievedEventsPerS: number }> {
  const service = await RunAll.start(config, options.detectorConfig, options.processes);
  try {
    const restored = (text: string, name: string): boolean => text.split('\n').some((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    // Ready once some process restored the scorer and each restored the usage partitions it got.
    await service.until((texts) => texts.every((t) => restored(t, 'distillwatch_aggregator_restore_seconds')) && texts.some((t) => restored(t, 'distillwatch_scorer_restore_seconds')));
    const started = performance.now();
    await produce(config, input, rate);
    const achievedEventsPerS = Math.round(events / ((performance.now() - started) / 1000));
    const metrics = await service.until((texts) => finished(texts, events, target));
    return { metrics, achievedEventsPerS };
  } finally {
    await service.stop();
  }
}

export interface StreamOptions {
  detectorConfig?: string | undefined;
  /** `run all` processes sharing the partitions (default 1). */
  processes: number;
}

export async function measureStream(input: string, options: StreamOptions = { processes: 1 }): Promise<StreamFigures> {
  const config = { ...loadConfig(), topicPrefix: `bench-stream-${Date.now().toString(36)}.` };
  const { target } = await streamEnd(input);
  try {
    return await measure(config, input, target, options);
  } finally {
    await deleteTopicsUnder(config);
  }
}

/**
 * Only the throughput phase with `processes` `run all` processes sharing the partitions (issue
 * 15: "or two processes share the partitions; measure both"): events/s from a cold start until
 * every closable window is complete.
 */
export async function measureStreamThroughput(input: string, processes: number): Promise<number> {
  const config = { ...loadConfig(), topicPrefix: `bench-stream-${Date.now().toString(36)}.p${processes}.` };
  const { target } = await streamEnd(input);
  try {
    const { events } = await producedTopic(config, input);
    process.stderr.write(`bench: stream: run all (${processes} processes) over the whole topic\n`);
    const stream = await runAll(config, target, events, { processes });
    return Math.round(events / stream.seconds);
  } finally {
    await deleteTopicsUnder(config);
  }
}

/** Only the latency phase, at `rate` events/s: the figures of `underSteadyLoad`. */
export async function measureLatencyAt(input: string, rate: number, options: StreamOptions): Promise<Pick<StreamFigures, 'latencyLoadEventsPerS' | 'latencyLoadAchievedEventsPerS' | 'latencyWindows' | 'alertLatencyP50S' | 'alertLatencyP99S'>> {
  const config = { ...loadConfig(), topicPrefix: `bench-stream-${Date.now().toString(36)}.paced.` };
  const { target, events } = await streamEnd(input);
  try {
    const paced = await underSteadyLoad(config, input, rate, target, events, options);
    return {
      latencyLoadEventsPerS: rate, latencyLoadAchievedEventsPerS: paced.achievedEventsPerS,
      latencyWindows: metric(scorerOf(paced.metrics), 'distillwatch_scorer_windows_closed_total'),
      alertLatencyP50S: latency(paced.metrics, 0.5), alertLatencyP99S: latency(paced.metrics, 0.99),
    };
  } finally {
    await deleteTopicsUnder(config);
  }
}

/**
 * The window every closable window ends at or before (the log's last event time less the idle
 * grace), and the valid events in the log (what produce writes), read line by line (the log can
 * be larger than one string).
 */
async function streamEnd(input: string): Promise<{ target: number; events: number }> {
  let clock = Number.NEGATIVE_INFINITY;
  let line = 0;
  let events = 0;
  for await (const text of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
    const parsed = parseUsageEventLine(text, ++line);
    if (parsed.kind === 'event') { clock = Math.max(clock, parsed.event.event_time); events++; }
  }
  return { target: clock - IDLE_GRACE_MS, events };
}

async function measure(config: PlatformConfig, input: string, target: number, options: StreamOptions): Promise<StreamFigures> {
  process.stderr.write('bench: stream: producing the usage topic\n');
  const { topic, events } = await producedTopic(config, input);
  process.stderr.write(`bench: stream: consume-only loop over ${events} records\n`);
  const raw = await consumeOnly(config, topic, events);
  process.stderr.write(`bench: stream: run all (${options.processes} process${options.processes === 1 ? '' : 'es'}) over the whole topic\n`);
  const stream = await runAll(config, target, events, options);
  const runAllEventsPerS = Math.round(events / stream.seconds);
  const load = Math.max(1, Math.round(runAllEventsPerS * LATENCY_LOAD_SHARE));
  process.stderr.write(`bench: stream: alert latency with the file replayed at ${load} events/s\n`);
  const paced = await underSteadyLoad({ ...config, topicPrefix: `${config.topicPrefix}paced.` }, input, load, target, events, options);
  return {
    events,
    processes: options.processes,
    consumeOnlyEventsPerS: Math.round(events / raw),
    runAllEventsPerS,
    runAllCpuSeconds: stream.cpuSeconds,
    ratio: Math.round((raw / stream.seconds) * 1000) / 1000,
    catchUpAlertLatencyP50S: latency(stream.metrics, 0.5),
    catchUpAlertLatencyP99S: latency(stream.metrics, 0.99),
    latencyLoadEventsPerS: load,
    latencyLoadAchievedEventsPerS: paced.achievedEventsPerS,
    latencyWindows: metric(scorerOf(paced.metrics), 'distillwatch_scorer_windows_closed_total'),
    alertLatencyP50S: latency(paced.metrics, 0.5),
    alertLatencyP99S: latency(paced.metrics, 0.99),
  };
}

/** `input` produced (all at once) to the usage topic under the run's prefix; the topic and the records in it. */
async function producedTopic(config: PlatformConfig, input: string): Promise<{ topic: string; events: number }> {
  await produce(config, input);
  const topic = `${config.topicPrefix}usage-events`;
  return { topic, events: await recordsIn(config, topic) };
}

/** Records in a topic, all partitions. */
async function recordsIn(config: PlatformConfig, topic: string): Promise<number> {
  const admin = kafkaClient(config, { clientId: 'distillwatch-bench' }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Peak RSS of `run all` (bench/scale.ts's burst): `input` produced to fresh topics, then `run
 * all` from a cold start until it has read every event and completed every window ending at or
 * before `target`; the topics are deleted after.
 */
export async function runAllPeakRss(input: string, target: number): Promise<number> {
  const config = { ...loadConfig(), topicPrefix: `bench-rss-${Date.now().toString(36)}.` };
  try {
    const { events } = await producedTopic(config, input);
    const service = await RunAll.start(config, undefined, 1);
    try {
      await service.until((texts) => finished(texts, events, target));
      return service.peakRssBytes();
    } finally {
      await service.stop();
    }
  } finally {
    await deleteTopicsUnder(config);
  }
}

/** Deletes every topic whose name starts with the run's prefix (the latency phase's included). */
async function deleteTopicsUnder(config: PlatformConfig): Promise<void> {
  const admin = kafkaClient(config, { clientId: 'distillwatch-bench' }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(config.topicPrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { input: { type: 'string' }, config: { type: 'string' }, processes: { type: 'string', default: '1' }, rate: { type: 'string' } } });
  const processes = Number(values.processes);
  const rate = values.rate === undefined ? null : Number(values.rate);
  if (!values.input || !Number.isInteger(processes) || processes < 1 || (rate !== null && !(rate > 0))) {
    process.stderr.write('usage: node bench/stream.ts --input events.ndjson [--config detector.json] [--processes N] [--rate EVENTS_PER_S]\n');
    process.exit(2);
  }
  const options = { detectorConfig: values.config, processes };
  const figures = rate === null ? await measureStream(values.input, options) : await measureLatencyAt(values.input, rate, options);
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
