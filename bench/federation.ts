// Federation latency bench: how long after a window completes at the last lab involved its
// forum alert reaches each lab involved (`forum_alert_latency_p99_ms`; issue target <= 2 s p99).
// It needs the secured federation running (`pnpm distillwatch infra up --federation`; the same
// DISTILLWATCH_INFRA_DIR), and runs on it what the demo runs: each lab's `run all` and
// `run bridge`, and `run forum`, on topics under a fresh prefix (the forum's topics are emptied
// first). Then it streams the small scenario's day into the three labs at a steady total rate,
// interleaved in event time as concurrent labs are: one paced pass over the scenario's lines in
// their order of arrival, each line piped to its own lab's `produce --input -` (labStreams.ts).
// Pacing each lab on its own at its share of the events would not keep them together: the
// labs' traffic peaks at different hours, so one lab's event time would run hours behind
// another's, and the forum, waiting for every lab, would time that lab's lag. It watches,
// from this process, each lab's aggregator progress (when a window completes there) and each
// lab's distillation-alerts (when a forum alert arrives). Afterwards it reads the forum cluster's
// topics (as its admin) to time the hops in between, from each message's create time (one
// machine, one clock): when the progress marker saying "window complete" left the last lab's
// bridge (every lab's: the forum waits for all), and when the forum published the alert. So each
// delivery splits into: to the forum (completion at the labs -> the last marker), the forum
// (marker -> alert published), and back (published -> in the lab's distillation-alerts).
//
//   node bench/federation.ts [--rate EVENTS_PER_S] [--pacing interleaved|per-lab]
//     (prints JSON; `pnpm bench --federation` adds it to bench/results.json). `--pacing per-lab`
//     reproduces the former production, each lab paced alone at its share (labStreams.ts): it
//     shows the labs drifting apart in event time, not what live labs do.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_WINDOW_TIMING, accountKey, parseUsageEventLine, type LabAlert } from '../services/core/src/index.ts';
import { loadConfig, type PlatformConfig } from '../services/platform/src/config.ts';
import { Partitioners, kafkaClient, type KafkaMessage } from '../services/platform/src/kafka/index.ts';
import { AvroCodec } from '../services/platform/src/avro.ts';
import { createRegistryClient } from '../services/platform/src/registry.ts';
import { labAlertSchemaText } from '../services/streaming/src/federation/labAlertSchema.ts';
import { forumTopicsOf } from '../services/streaming/src/federation/forumWire.ts';
import { resetForumTopics } from '../services/cli/src/infra/forum-reset.ts';
import { LABS, labEnv, readEnvFile } from '../services/cli/test/federationEnv.ts';
import { dueTimes, streamOnSchedule, type LabLine, type Pacing } from './labStreams.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../services/cli/src/main.ts', import.meta.url));
const DETECTOR = { scorer: { minScore: 0.5, warmupMs: 6 * 3_600_000, confirmation: { windows: 1 } } };

/** Total events/s produced into the three labs, interleaved in event time: a day of the small scenario in ~75 s. */
export const FEDERATION_LOAD_EVENTS_PER_S = 600;

/** p50 and p99 of one hop over the deliveries, in ms. */
export interface HopFigures { p50Ms: number | null; p99Ms: number | null }

export interface FederationFigures {
  events: number;
  loadEventsPerS: number;
  forumAlertsDelivered: number;
  forumAlertLatencyP50Ms: number | null;
  forumAlertLatencyP99Ms: number | null;
  hops: { toForum: HopFigures; forum: HopFigures; back: HopFigures };
  /** The latency of each kind of delivery (Delivery.kind): a `confirmed` one also waits for the recipient lab's own scorer. */
  byKind: Record<Delivery['kind'], HopFigures & { deliveries: number }>;
  /** Load average (1 min) when the load started and when it ended. */
  loadAverage: [number, number];
  /** The five slowest deliveries, each step's time since the window completed at the last lab involved: where the tail goes. */
  slowest: Delivery[];
}

/**
 * One forum alert's arrival at one lab, its steps in ms after the window completed at the last
 * lab involved (null: not seen). `confirmed`: a single-lab subject's alert, which comes in the
 * lab's confirmation and is shown by the lab's gate once both the forum and the lab's own scorer
 * have scored the window; `across labs`: shown as soon as it arrives.
 */
export interface Delivery {
  lab: string;
  windowEnd: number;
  kind: 'across labs' | 'confirmed';
  totalMs: number;
  /** The window completed at every lab (the forum waits for all of them). */
  everyLabCompleteMs: number | null;
  /** The last lab's bridge said so on every partition of its records topic. */
  lastMarkerMs: number | null;
  /** The forum published the alert (or the confirmation holding it) to the lab. */
  publishedMs: number | null;
  /** The forum's scored marker covered the window on every partition of the lab's alerts topic. */
  forumScoredMs: number | null;
  /** The lab's scorer said it scored the window (local-alerts topic). */
  localScoredMs: number | null;
  /** Every lab's own steps for the window: where a lab that completes it late loses its time. */
  labs: Record<string, LabSteps>;
}

/** One lab's steps for one window, in ms after the window completed at the last lab involved (null: not seen). */
export interface LabSteps {
  /** The bench wrote the lab's last event of the window to its producer. */
  lastEventProducedMs: number | null;
  /**
   * The bench wrote the event that completes the window on the last of the lab's usage
   * partitions (the first there at or past the window's end plus the idle grace); null: a
   * partition had none, in the whole run.
   */
  closingEventProducedMs: number | null;
  /**
   * How the window completed at the lab: `events`, every usage partition by an event of its own
   * written before then; `idle timer`, a partition got there first by following the lab's
   * stream clock (the aggregator's idle check, DISTILLWATCH_IDLE_CHECK_MS).
   */
  closedBy: 'events' | 'idle timer' | null;
  /** Every usage partition's aggregator reported the window complete. */
  completeMs: number | null;
  /** The lab's scorer said it scored the window. */
  localScoredMs: number | null;
  /** The lab's bridge said the window complete on every partition of its records topic (create time on the forum cluster: the forum reads it from then on). */
  markerMs: number | null;
}

function cli(args: string[], env: Record<string, string>): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`distillwatch ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

function start(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, [CLI, 'run', ...args], { cwd: ROOT, env: { ...process.env, ...env, DISTILLWATCH_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** When each window completed at a lab: the first time every usage partition's aggregator reported it. */
class LabCompletion {
  readonly #through = new Map<number, number>();
  readonly #history: { at: number; frontier: number }[] = [];
  readonly partitions: number;
  constructor(partitions: number) { this.partitions = partitions; }
  report(partition: number, completeThrough: number | null, at: number): void {
    if (completeThrough === null) return;
    this.#through.set(partition, Math.max(this.#through.get(partition) ?? 0, completeThrough));
    if (this.#through.size < this.partitions) return;
    const frontier = Math.min(...this.#through.values());
    if (frontier > (this.#history.at(-1)?.frontier ?? Number.NEGATIVE_INFINITY)) this.#history.push({ at, frontier });
  }
  completedAt(windowEnd: number): number | null {
    return this.#history.find((h) => h.frontier >= windowEnd)?.at ?? null;
  }
}

/** Follows a lab's progress topic and its alerts; calls back with each forum alert as it arrives. */
async function watchLab(config: PlatformConfig, completion: LabCompletion, onForumAlert: (a: LabAlert, at: number) => void) {
  const kafka = kafkaClient(config, { clientId: 'distillwatch-bench-federation' });
  const topics = [`${config.topicPrefix}distillwatch.aggregator.progress`, `${config.topicPrefix}distillation-alerts`];
  // `run all` makes the progress topic when it starts, which takes minutes on a loaded machine.
  const admin = kafka.admin();
  await admin.connect();
  for (const until = Date.now() + 10 * 60_000; Date.now() < until;) {
    const existing = new Set(await admin.listTopics());
    if (topics.every((t) => existing.has(t))) break;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  await admin.disconnect();
  const codec = await AvroCodec.forTopic<LabAlert>(createRegistryClient(config), `${config.topicPrefix}distillation-alerts`, await labAlertSchemaText());
  const consumer = kafka.consumer({ groupId: `${config.topicPrefix}bench-watch-${randomUUID()}`, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const at = Date.now();
      if (topic.endsWith('progress')) {
        const p = JSON.parse(message.value!.toString('utf8')) as { partition: number; completeThrough: number | null };
        completion.report(p.partition, p.completeThrough, at);
      } else {
        const alert = await codec.decode(message.value!);
        if (alert.source === 'forum') onForumAlert(alert, at);
      }
    },
  });
  return consumer;
}

/**
 * Reads topics to their end: each message with its topic. A topic written in transactions ends
 * in the commit marker of its last transaction, which no consumer reads (`transactional`).
 */
async function readToEnd(config: PlatformConfig, topics: string[], transactional: boolean): Promise<{ topic: string; partition: number; message: KafkaMessage }[]> {
  const tail = transactional ? 2 : 1;
  const kafka = kafkaClient(config, { clientId: 'distillwatch-bench-federation' });
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, number>();
  for (const topic of topics) for (const e of await admin.fetchTopicOffsets(topic)) if (Number(e.high) > Number(e.low)) remaining.set(`${topic}/${e.partition}`, Number(e.high));
  await admin.disconnect();
  const out: { topic: string; partition: number; message: KafkaMessage }[] = [];
  const consumer = kafka.consumer({ groupId: `${config.topicPrefix}admin.bench-hops-${randomUUID()}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    if (remaining.size === 0) resolve();
    void consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        out.push({ topic, partition, message });
        const tp = `${topic}/${partition}`;
        if (Number(message.offset) + tail >= (remaining.get(tp) ?? 0)) remaining.delete(tp);
        if (remaining.size === 0) resolve();
      },
    });
  });
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 120_000))]);
  await consumer.disconnect();
  return out;
}

/** The first time a marker covering `windowEnd` was on every partition, from the markers `(partition, through, at)` of one topic. */
function coveredAt(markers: readonly { partition: number; through: number; at: number }[], windowEnd: number): number {
  const first = new Map<number, number>();
  for (const m of markers) if (m.through >= windowEnd) first.set(m.partition, Math.min(first.get(m.partition) ?? Number.POSITIVE_INFINITY, m.at));
  const partitions = new Set(markers.map((m) => m.partition));
  return first.size < partitions.size || first.size === 0 ? Number.NaN : Math.max(...first.values());
}

/**
 * From the forum cluster (as its admin) and each lab's local-alerts topic, each message's create
 * time: when each lab's bridge first said a window was complete, when the forum published each
 * alert to each lab (an alert across labs, or in the lab's confirmation of its window), when the
 * forum's scored marker and the lab scorer's scored marker covered a window (a confirmed alert is
 * shown once both did: the lab's gate).
 */
async function forumHopTimes(config: PlatformConfig, labConfigs: ReadonlyMap<string, PlatformConfig>) {
  const markers = new Map<string, { partition: number; through: number; at: number }[]>(LABS.map((l) => [l, []]));
  const forumScored = new Map<string, { partition: number; through: number; at: number }[]>(LABS.map((l) => [l, []]));
  const localScored = new Map<string, { partition: number; through: number; at: number }[]>(LABS.map((l) => [l, []]));
  const published = new Map<string, number>();
  const publish = (key: string, at: number) => { if (!published.has(key)) published.set(key, at); };
  const records = await readToEnd(config, LABS.map((l) => forumTopicsOf(l).records), false);
  for (const { topic, partition, message } of [...records, ...await readToEnd(config, LABS.map((l) => forumTopicsOf(l).alerts), true)]) {
    const lab = LABS.find((l) => topic.endsWith(`.${l}`))!;
    const at = Number(message.timestamp);
    const kind = message.headers?.kind?.toString();
    const value = JSON.parse(message.value!.toString('utf8')) as { alert_id?: string; alerts?: { alert_id: string }[]; completeThrough?: number | null; scoredThrough?: number };
    if (topic === forumTopicsOf(lab).alerts) {
      if (kind === 'scored') forumScored.get(lab)!.push({ partition, through: value.scoredThrough!, at });
      else if (kind === 'confirmation') for (const a of value.alerts ?? []) publish(`${lab}/${a.alert_id}`, at);
      else publish(`${lab}/${value.alert_id}`, at);
    } else if (kind === 'progress' && value.completeThrough != null) {
      markers.get(lab)!.push({ partition, through: value.completeThrough, at });
    }
  }
  for (const [lab, labConfig] of labConfigs) {
    for (const { message } of await readToEnd(labConfig, [`${labConfig.topicPrefix}distillwatch.scorer.local-alerts`], true)) {
      if (message.headers?.kind?.toString() !== 'scored') continue;
      localScored.get(lab)!.push({ partition: 0, through: (JSON.parse(message.value!.toString('utf8')) as { scoredThrough: number }).scoredThrough, at: Number(message.timestamp) });
    }
  }
  return {
    /** When the last lab's bridge said `windowEnd` was complete: the forum could score it from then on. */
    forumMayScore: (windowEnd: number) => Math.max(...LABS.map((l) => coveredAt(markers.get(l)!, windowEnd))),
    markerAt: (lab: string, windowEnd: number) => coveredAt(markers.get(lab)!, windowEnd),
    publishedAt: (lab: string, alertId: string) => published.get(`${lab}/${alertId}`) ?? null,
    forumScoredAt: (lab: string, windowEnd: number) => coveredAt(forumScored.get(lab)!, windowEnd),
    localScoredAt: (lab: string, windowEnd: number) => coveredAt(localScored.get(lab)!, windowEnd),
  };
}

/**
 * When the bench wrote, per `<lab>/<usage partition>/<window end>`, the first event of that
 * partition at or past the window's end plus the idle grace: the event that completes the window
 * on that partition, by the event times written (the partition as `produce` picks it).
 */
function closingEvents(lines: readonly (LabLine & { windowEnd: number; eventTime: number })[], written: readonly number[], partitionsOf: (lab: string) => number): Map<string, number> {
  const { windowMs, idleGraceMs } = DEFAULT_WINDOW_TIMING;
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionOf = (key: string, n: number) => partitioner({ topic: 'usage-events', partitionMetadata: Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 })), message: { key, value: null } });
  const before = lines.reduce((m, l) => Math.min(m, l.windowEnd), Number.POSITIVE_INFINITY) - windowMs;
  /** Per `<lab>/<partition>`: the last window end its events completed. */
  const completed = new Map<string, number>();
  const closing = new Map<string, number>();
  lines.forEach(({ lab, line, eventTime }, i) => {
    const q = `${lab}/${partitionOf(accountKey(lab, (JSON.parse(line) as { account_id: string }).account_id), partitionsOf(lab))}`;
    const through = Math.floor((eventTime - idleGraceMs) / windowMs) * windowMs;
    const from = completed.get(q) ?? before;
    for (let end = from + windowMs; end <= through; end += windowMs) closing.set(`${q}/${end}`, written[i]!);
    completed.set(q, Math.max(from, through));
  });
  return closing;
}

const quantile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};
const hop = (xs: number[]): HopFigures => ({ p50Ms: quantile(xs, 0.5), p99Ms: quantile(xs, 0.99) });

export async function measureFederation(rate: number, pacing: Pacing = 'interleaved'): Promise<FederationFigures> {
  const status = JSON.parse(cli(['infra', 'status', '--federation', '--json'], {})) as { running: boolean; clusters: { name: string; envFiles: Record<string, string> }[] };
  if (!status.running) throw new Error('the federation does not run: start it with pnpm distillwatch infra up --federation');
  const envFile = (cluster: string, principal: string) => readEnvFile(status.clusters.find((c) => c.name === cluster)!.envFiles[principal]!);
  const dir = mkdtempSync(join(tmpdir(), 'distillwatch-bench-federation-'));
  const run = randomUUID().slice(0, 8);
  const prefix = (lab: string) => `${lab}.bench-${run}.`;
  const config = join(dir, 'detector.json');
  const keys = join(dir, 'keys.json');
  writeFileSync(config, JSON.stringify(DETECTOR));
  const hex = () => randomBytes(32).toString('hex');
  writeFileSync(keys, JSON.stringify({ forum: { current: hex() }, labs: Object.fromEntries(LABS.map((l) => [l, hex()])) }), { mode: 0o600 });
  const events = join(dir, 'events.ndjson');
  cli(['simulate', '--scenario', 'small', '--seed', '7', '--out', events], {});
  // The scenario's lines in their order of arrival (late deliveries where the simulator put them).
  const arrivalOrder: (LabLine & { windowEnd: number; eventTime: number })[] = [];
  const { windowMs } = DEFAULT_WINDOW_TIMING;
  for (const [i, line] of readFileSync(events, 'utf8').split('\n').entries()) {
    const parsed = parseUsageEventLine(line, i + 1);
    if (parsed.kind === 'event') arrivalOrder.push({ lab: parsed.event.lab, line, eventTime: parsed.event.event_time, windowEnd: Math.floor(parsed.event.event_time / windowMs) * windowMs + windowMs });
  }
  /** `<lab>/<window end>` -> when the bench wrote the lab's last event of that window. */
  const lastProduced = new Map<string, number>();
  let closing = new Map<string, number>();
  const total = arrivalOrder.length;

  await resetForumTopics(loadConfig(envFile('forum', 'admin')));
  // The day is replayed ~1,000 times faster than live: the default lag bound (1 h of event time)
  // is then ~3 s of wall time, and a lab a few seconds behind would have its records dropped as
  // late. Lifted as the demo lifts it, so the forum waits for every lab, as it does for live labs.
  // The run's own prefix (the forum principal's ACLs want `forum…`): a ledger left by an earlier
  // run of the same day on this cluster would otherwise keep the forum from publishing anything.
  const forumEnv = {
    ...envFile('forum', 'forum'), DISTILLWATCH_TOPIC_PREFIX: `forum.bench-${run}.`, DISTILLWATCH_METRICS_PORT: '0', DISTILLWATCH_FORUM_MAX_LAB_LAG_MS: String(8 * 86_400_000),
  };
  const processes = [start(['forum', '--labs', LABS.join(','), '--config', config], forumEnv)];
  const completions = new Map<string, LabCompletion>();
  const arrivals: { alert: LabAlert; at: number }[] = [];
  const loadAverage: [number, number] = [Number.NaN, Number.NaN];
  const watchers = [];
  try {
    for (const lab of LABS) {
      const env = labEnv(envFile, lab, prefix(lab));
      // An empty produce makes the lab's topics, so the services and the watcher start on them.
      writeFileSync(join(dir, 'empty.ndjson'), '');
      cli(['produce', '--input', join(dir, 'empty.ndjson')], env);
      processes.push(start(['all', '--federated', '--config', config], env), start(['bridge', '--lab', lab, '--forum-key-file', keys, '--config', config], env));
      const admin = kafkaClient(loadConfig(env), { clientId: 'distillwatch-bench-federation' }).admin();
      await admin.connect();
      const partitions = (await admin.fetchTopicOffsets(`${prefix(lab)}usage-events`)).length;
      await admin.disconnect();
      completions.set(lab, new LabCompletion(partitions));
    }
    // The services connect over TLS on a loaded machine: give them time before the load starts.
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    for (const lab of LABS) watchers.push(await watchLab(loadConfig(labEnv(envFile, lab, prefix(lab))), completions.get(lab)!, (alert, at) => arrivals.push({ alert, at })));
    loadAverage[0] = loadavg()[0]!;
    const producers = new Map(LABS.map((lab) => [lab, spawn(process.execPath, [CLI, 'produce', '--input', '-'], { cwd: ROOT, env: { ...process.env, ...labEnv(envFile, lab, prefix(lab)) }, stdio: ['pipe', 'ignore', 'ignore'] })]));
    const written = await streamOnSchedule(arrivalOrder, dueTimes(arrivalOrder, rate, pacing), producers);
    arrivalOrder.forEach(({ lab, windowEnd }, i) => lastProduced.set(`${lab}/${windowEnd}`, Math.max(lastProduced.get(`${lab}/${windowEnd}`) ?? 0, written[i]!)));
    closing = closingEvents(arrivalOrder, written, (lab) => completions.get(lab)!.partitions);
    // Then until forum alerts have come and none came for 45 s (at most 15 minutes).
    const deadline = Date.now() + 15 * 60_000;
    for (let last = -1; (arrivals.length === 0 || last !== arrivals.length) && Date.now() < deadline;) {
      last = arrivals.length;
      await new Promise((resolve) => setTimeout(resolve, 45_000));
    }
    loadAverage[1] = loadavg()[0]!;
  } finally {
    for (const w of watchers) await w.disconnect();
    for (const p of processes) p.kill('SIGTERM');
  }
  const labConfigs = new Map(LABS.map((lab) => [lab, loadConfig(labEnv(envFile, lab, prefix(lab)))]));
  const hops = await forumHopTimes(loadConfig(envFile('forum', 'admin')), labConfigs);
  const latencies: number[] = [], toForum: number[] = [], forum: number[] = [], back: number[] = [];
  /** When the event completing `windowEnd` on the lab's last usage partition was written, and whether every partition's came before the lab completed it. */
  const closedAt = (lab: string, windowEnd: number, since: (t: number | null) => number | null): Pick<LabSteps, 'closingEventProducedMs' | 'closedBy'> => {
    const times = Array.from({ length: completions.get(lab)!.partitions }, (_, q) => closing.get(`${lab}/${q}/${windowEnd}`));
    const complete = completions.get(lab)!.completedAt(windowEnd);
    const last = times.some((t) => t === undefined) ? null : Math.max(...(times as number[]));
    return { closingEventProducedMs: since(last), closedBy: complete === null ? null : last !== null && last <= complete ? 'events' : 'idle timer' };
  };
  const deliveries: Delivery[] = [];
  for (const { alert, at } of arrivals) {
    const involved = new Set([alert.recipient_lab, ...(alert.linked_accounts ?? []).map((l) => l.lab)]);
    const completed = [...involved].map((lab) => completions.get(lab)!.completedAt(alert.window_end));
    if (completed.some((c) => c === null)) continue;
    const complete = Math.max(...(completed as number[]));
    latencies.push(at - complete);
    const mayScore = hops.forumMayScore(alert.window_end), published = hops.publishedAt(alert.recipient_lab, alert.alert_id);
    const since = (t: number | null) => (t === null || !Number.isFinite(t) ? null : t - complete);
    const allLabs = LABS.map((lab) => completions.get(lab)!.completedAt(alert.window_end));
    deliveries.push({
      lab: alert.recipient_lab, windowEnd: alert.window_end, kind: (alert.linked_accounts ?? []).length > 0 ? 'across labs' : 'confirmed', totalMs: at - complete,
      everyLabCompleteMs: allLabs.includes(null) ? null : since(Math.max(...(allLabs as number[]))), lastMarkerMs: since(mayScore), publishedMs: since(published),
      forumScoredMs: since(hops.forumScoredAt(alert.recipient_lab, alert.window_end)), localScoredMs: since(hops.localScoredAt(alert.recipient_lab, alert.window_end)),
      labs: Object.fromEntries(LABS.map((lab) => [lab, {
        lastEventProducedMs: since(lastProduced.get(`${lab}/${alert.window_end}`) ?? null), ...closedAt(lab, alert.window_end, since),
        completeMs: since(completions.get(lab)!.completedAt(alert.window_end)),
        localScoredMs: since(hops.localScoredAt(lab, alert.window_end)), markerMs: since(hops.markerAt(lab, alert.window_end)),
      }])),
    });
    if (!Number.isFinite(mayScore) || published === null) continue;
    toForum.push(mayScore - complete);
    forum.push(published - mayScore);
    back.push(at - published);
  }
  return {
    events: total, loadEventsPerS: rate, forumAlertsDelivered: latencies.length,
    forumAlertLatencyP50Ms: quantile(latencies, 0.5), forumAlertLatencyP99Ms: quantile(latencies, 0.99),
    hops: { toForum: hop(toForum), forum: hop(forum), back: hop(back) }, loadAverage,
    byKind: Object.fromEntries((['across labs', 'confirmed'] as const).map((kind) => {
      const totals = deliveries.filter((d) => d.kind === kind).map((d) => d.totalMs);
      return [kind, { deliveries: totals.length, ...hop(totals) }];
    })) as FederationFigures['byKind'],
    slowest: deliveries.sort((a, b) => b.totalMs - a.totalMs).slice(0, 5),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { rate: { type: 'string', default: String(FEDERATION_LOAD_EVENTS_PER_S) }, pacing: { type: 'string', default: 'interleaved' } } });
  if (values.pacing !== 'interleaved' && values.pacing !== 'per-lab') throw new Error(`--pacing must be interleaved or per-lab, got '${values.pacing}'`);
  console.log(JSON.stringify(await measureFederation(Number(values.rate), values.pacing), null, 2));
  process.exit(0);
}
