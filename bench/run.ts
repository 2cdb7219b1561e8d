// `pnpm bench`: the performance figures of the project, each measured in the same run as the
// baseline it is compared with, printed as a table and written to bench/results.json
// (BENCHMARKS.md explains each figure). Inputs are seeded and kept in bench/.data/ (git-ignored)
// for the next run; the scikit-learn reference is installed into .venv-bench/ (git-ignored)
// from bench/requirements.txt. The streaming figures come from bench/stream.ts against the broker
// of KAFKA_BROKERS; when nothing answers there, the bench starts the local broker and registry
// (`distillwatch infra up`) and stops them when done. `--skip-stream` leaves the streaming
// figures out. It only measures: it never changes a model, a setting or a file outside those
// two folders and bench/results.json (its topics, under a fresh prefix on the broker, are
// deleted when it is done).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { forestData, measureMljs, measureOurs, writeForestData, type ForestFigures } from './forest.ts';
import type { StreamFigures } from './stream.ts';
import { tcpProbe } from '../services/platform/src/net.ts';
import { ScaleBench, type BurstRss, type ScaleFigures } from './scale.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench', '.data');
const VENV = join(ROOT, '.venv-bench');
const CLI = join(ROOT, 'services', 'cli', 'src', 'main.ts');
const RESULTS = join(ROOT, 'bench', 'results.json');

// What is measured; BENCHMARKS.md quotes these.
const EVENTS = { scenario: 'default', seed: 7 };
/** Runs of `detect` and of the JSON-parse floor, alternating; the median of each is reported. */
const THROUGHPUT_RUNS = 3;
const MEMORY_ACCOUNTS = 100_000;
const FOREST = { rows: 50_000, dims: 16, outlierShare: 0.02, seed: 11, mljsRows: 20_000, repeats: 3 };
const TARGETS = {
  detectEventsPerS: 100_000, bytesPerActiveAccount: 1024, forestVsSklearn: 1, streamVsRawConsume: 0.6, alertLatencyP99Ms: 1000,
  detectVsJsonParse: 0.35, detectParallelSpeedup: 1.6, streamVsDetect: 0.8, peakRssBytesPerAccount: 2048,
  forumAlertLatencyP99Ms: 2000,
};

interface ChildRun {
  seconds: number;
  stdout: string;
  stderr: string;
}

/** Runs `node args...` to completion; wall-clock seconds include the process start-up. */
function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): ChildRun {
  return run(process.execPath, args, env);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildRun {
  const start = performance.now();
  const child = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - start) / 1000;
  if (child.error) throw child.error;
  if (child.status !== 0) {
    throw new Error(`${relative(ROOT, command) || command} ${args.map((a) => relative(ROOT, a) || a).join(' ')} failed (exit ${child.status}):\n${child.stderr.slice(-2000)}`);
  }
  return { seconds, stdout: child.stdout, stderr: child.stderr };
}

function sha256(parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest('hex');
}

/**
 * The simulated usage log, made once per simulator version: the file name carries a hash of
 * the simulator's sources, so a changed simulator never reuses a stale log.
 */
function ensureEvents(): string {
  const simulator = join(ROOT, 'services', 'simulator');
  const sources = readdirSync(join(simulator, 'src')).filter((f) => f.endsWith('.ts')).sort();
  const version = sha256([
    readFileSync(join(simulator, 'package.json')),
    ...sources.flatMap((f) => [f, readFileSync(join(simulator, 'src', f))]),
  ]).slice(0, 12);
  const stem = `${EVENTS.scenario}-seed${EVENTS.seed}-`;
  const path = join(DATA, `${stem}${version}.ndjson`);
  if (existsSync(path)) return path;
  for (const old of readdirSync(DATA).filter((f) => f.startsWith(stem))) rmSync(join(DATA, old));
  console.error(`bench: simulating ${EVENTS.scenario} seed ${EVENTS.seed} into ${relative(ROOT, path)}`);
  // Written under another name first: an interrupted run must not leave a log that looks complete.
  const partial = `${path}.partial`;
  runNode([CLI, 'simulate', '--scenario', EVENTS.scenario, '--seed', String(EVENTS.seed), '--out', partial]);
  renameSync(partial, path);
  return path;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Throughput {
  events: number;
  /** `detect` as a user runs it: all cores. */
  detectRuns: number[];
  /** `detect --threads 1`. */
  singleThreadRuns: number[];
  jsonParseRuns: number[];
}

/**
 * `detect` through the real CLI on all cores and with `--threads 1`, and the JSON-parse floor,
 * alternating so all three see the same machine load.
 */
function measureThroughput(events: string): Throughput {
  const detectRuns: number[] = [];
  const singleThreadRuns: number[] = [];
  const jsonParseRuns: number[] = [];
  let lines = 0;
  for (let r = 0; r < THROUGHPUT_RUNS; r++) {
    const floor = runNode([join(ROOT, 'bench', 'jsonParseOnly.ts'), events]);
    lines = (JSON.parse(floor.stdout) as { lines: number }).lines;
    jsonParseRuns.push(lines / floor.seconds);
    const detect = runNode([CLI, 'detect', '--input', events, '--output', join(DATA, 'detect.alerts.ndjson')]);
    const summary = /detect: (\d+) events/.exec(detect.stderr);
    if (summary === null) throw new Error(`detect printed no summary:\n${detect.stderr.slice(-2000)}`);
    if (Number(summary[1]) !== lines) throw new Error(`detect read ${summary[1]} events, the file has ${lines} lines`);
    detectRuns.push(lines / detect.seconds);
    const single = runNode([CLI, 'detect', '--threads', '1', '--input', events, '--output', join(DATA, 'detect.alerts.ndjson')]);
    singleThreadRuns.push(lines / single.seconds);
    console.error(`bench: run ${r + 1}/${THROUGHPUT_RUNS}: detect ${fmt(detectRuns.at(-1)!)} events/s (--threads 1: ${fmt(singleThreadRuns.at(-1)!)}), JSON.parse only ${fmt(jsonParseRuns.at(-1)!)} lines/s`);
  }
  return { events: lines, detectRuns, singleThreadRuns, jsonParseRuns };
}

/** Retained heap of active accounts (profile + one open window each), in a child with --expose-gc. */
function measureAccountMemory(): number {
  const fixture = join(ROOT, 'services', 'core', 'test', 'features', 'fixtures', 'accountMemory.ts');
  const out = runNode(['--expose-gc', '--max-old-space-size=6144', fixture, String(MEMORY_ACCOUNTS)]);
  return (JSON.parse(out.stdout) as { bytesPerAccount: number }).bytesPerAccount;
}

interface SklearnFigures {
  rows: number;
  fit_ms: number;
  score_per_s: number;
  auc: number;
  sklearn_version: string;
  numpy_version: string;
}

/** The venv with the pinned scikit-learn; reinstalled when bench/requirements.txt changes. */
function ensureVenv(): string {
  const python = join(VENV, 'bin', 'python');
  const requirements = join(ROOT, 'bench', 'requirements.txt');
  const stamp = join(VENV, '.requirements.sha256');
  const wanted = sha256([readFileSync(requirements)]);
  if (!existsSync(python)) {
    console.error('bench: creating .venv-bench');
    run('python3', ['-m', 'venv', VENV]);
  }
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    console.error('bench: installing bench/requirements.txt into .venv-bench');
    run(python, ['-m', 'pip', 'install', '--quiet', '-r', requirements]);
    writeFileSync(stamp, wanted);
  }
  return python;
}

/** scikit-learn's IsolationForest on the same rows, one thread (n_jobs=1, BLAS/OpenMP threads 1). */
function measureSklearn(rowsPath: string, labelsPath: string): SklearnFigures {
  const python = ensureVenv();
  // OPENBLAS_CORETYPE is left as the environment has it: some hosts need it set.
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const out = run(python, [join(ROOT, 'bench', 'sklearn_forest.py'), rowsPath, labelsPath, String(FOREST.dims), String(FOREST.repeats)], env);
  return JSON.parse(out.stdout) as SklearnFigures;
}

/** Whether something accepts TCP connections at the first of KAFKA_BROKERS (default the local one). */
async function brokerAnswers(): Promise<boolean> {
  return (await tcpProbe((process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0]!.trim())) === null;
}

/** `distillwatch infra up|down`, its output on the bench's stderr (stdout is the table). */
function infra(action: 'up' | 'down'): void {
  const child = spawnSync(process.execPath, [CLI, 'infra', action], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (child.status !== 0) throw new Error(`distillwatch infra ${action} failed (exit ${child.status}); see its output above`);
}

/**
 * The streaming figures (consume-only rate, `run all` throughput, alert latency under a steady
 * load) from bench/stream.ts, on the broker that answers at KAFKA_BROKERS, or on the local one
 * started here (and stopped again) when none does.
 */
// `run all`'s burst memory takes tens of minutes at 2x10^5 accounts: only with --scale.
async function measureStreaming(events: string, withBurst: boolean): Promise<Record<string, number | null>> {
  const startedHere = !(await brokerAnswers());
  if (startedHere) {
    console.error('bench: no broker answers; starting the local one (distillwatch infra up)');
    infra('up');
  }
  let f: StreamFigures;
  let burst: BurstRss | null = null;
  let twoProcesses: number;
  try {
    // Imported only here: it loads the Kafka client, which the other figures do not need.
    const { measureStream, measureStreamThroughput } = await import('./stream.ts');
    f = await measureStream(events);
    twoProcesses = await measureStreamThroughput(events, 2);
    if (withBurst) burst = await new ScaleBench({ root: ROOT, data: DATA, cli: CLI }).runAllBurst((m) => console.error(`bench: ${m}`));
  } finally {
    if (startedHere) infra('down');
  }
  return {
    stream_events: f.events,
    raw_consume_events_per_s: f.consumeOnlyEventsPerS,
    stream_events_per_s: f.runAllEventsPerS,
    stream_vs_raw_consume_ratio: f.ratio,
    stream_two_processes_events_per_s: twoProcesses,
    alert_latency_load_events_per_s: f.latencyLoadEventsPerS,
    alert_latency_load_achieved_events_per_s: f.latencyLoadAchievedEventsPerS,
    alert_latency_windows: f.latencyWindows,
    alert_latency_p50_ms: ms(f.alertLatencyP50S),
    alert_latency_p99_ms: ms(f.alertLatencyP99S),
    catch_up_alert_latency_p50_ms: ms(f.catchUpAlertLatencyP50S),
    catch_up_alert_latency_p99_ms: ms(f.catchUpAlertLatencyP99S),
    stream_peak_rss_bytes_per_account: burst?.peak_rss_bytes_per_account ?? null,
  };
}

function ms(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 1000);
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu_model: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    node_version: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    total_memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    load_average_1m_at_start: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({ options: {
    'skip-stream': { type: 'boolean', default: false }, scale: { type: 'boolean', default: false }, federation: { type: 'boolean', default: false },
  } });
  const started = performance.now();
  mkdirSync(DATA, { recursive: true });
  const host = machine();

  const events = ensureEvents();
  const throughput = measureThroughput(events);
  const detect = median(throughput.detectRuns);
  const jsonParse = median(throughput.jsonParseRuns);
  const singleThread = median(throughput.singleThreadRuns);

  console.error(`bench: account memory with ${fmt(MEMORY_ACCOUNTS)} active accounts`);
  const bytesPerAccount = measureAccountMemory();

  console.error(`bench: isolation forests on ${fmt(FOREST.rows)} x ${FOREST.dims}`);
  const data = forestData(FOREST.rows, FOREST.dims, FOREST.outlierShare, FOREST.seed);
  const rowsPath = join(DATA, `forest-${FOREST.rows}x${FOREST.dims}-seed${FOREST.seed}.f64`);
  const labelsPath = join(DATA, `forest-${FOREST.rows}x${FOREST.dims}-seed${FOREST.seed}.labels.u8`);
  writeForestData(data, rowsPath, labelsPath);
  const ours: ForestFigures = measureOurs(data, FOREST.repeats);
  const mljs: ForestFigures = measureMljs(data, FOREST.mljsRows);
  let sklearn: SklearnFigures | null = null;
  let sklearnError: string | null = null;
  try {
    sklearn = measureSklearn(rowsPath, labelsPath);
  } catch (err) {
    sklearnError = (err as Error).message.split('\n')[0]!;
  }

  console.error(`bench: scale figures${flags.scale ? ' (--scale: the scorer up to 10^6 accounts, three windows each)' : ''}`);
  const scale: ScaleFigures = await new ScaleBench({ root: ROOT, data: DATA, cli: CLI }).measure(flags.scale, (m) => console.error(`bench: ${m}`));

  let streaming: Record<string, number | null> | null = null;
  if (!flags['skip-stream']) {
    console.error('bench: streaming figures (bench/stream.ts)');
    streaming = await measureStreaming(events, flags.scale);
  }

  // The federation needs its four secured clusters (`infra up --federation`, ~1.5 GB): on demand only.
  let federation: Record<string, number | null> | null = null;
  if (flags.federation) {
    console.error('bench: federation figures (bench/federation.ts, on the running federation)');
    const { measureFederation, FEDERATION_LOAD_EVENTS_PER_S } = await import('./federation.ts');
    const f = await measureFederation(FEDERATION_LOAD_EVENTS_PER_S);
    federation = {
      forum_alert_latency_load_events_per_s: f.loadEventsPerS, forum_alert_latency_alerts: f.forumAlertsDelivered,
      forum_alert_latency_p50_ms: f.forumAlertLatencyP50Ms, forum_alert_latency_p99_ms: f.forumAlertLatencyP99Ms,
    };
  }

  const results = {
    generated_by: `pnpm bench${flags.scale ? ' --scale' : ''}${flags['skip-stream'] ? ' --skip-stream' : ''}${flags.federation ? ' --federation' : ''}`,
    machine: host,
    inputs: {
      events_file: relative(ROOT, events),
      scenario: EVENTS.scenario,
      seed: EVENTS.seed,
      events: throughput.events,
      prompt_text: 'as simulated: lab-a and lab-b send prompt text, lab-c only prompt_simhash',
    },
    method: {
      throughput: `median of ${THROUGHPUT_RUNS} runs each, alternating JSON-parse-only, detect (all cores) and detect --threads 1, each a fresh node process timed wall-clock (start-up included); events/s = file lines / seconds`,
      detect_command: 'node services/cli/src/main.ts detect --input EVENTS --output bench/.data/detect.alerts.ndjson',
      detect_single_thread_command: 'node services/cli/src/main.ts detect --threads 1 --input EVENTS --output bench/.data/detect.alerts.ndjson',
      scale: 'bench/scale.ts: steady traffic (4 events per account an hour, at least 240,000 events) at each account count, one JSON-parse-only and one detect run each; bytes per account from the account-memory fixture at that count; scorer ms per window from bench/scaleScorer.ts; fit = least-squares exponent b of y = a * accounts^b; peak RSS per account = slope of detect\'s peak RSS between bursts of 50,000 and 200,000 new accounts (1-5 short events each in one hour)',
      json_parse_only_command: 'node bench/jsonParseOnly.ts EVENTS (same line reader as detect, JSON.parse per line)',
      memory: `node --expose-gc services/core/test/features/fixtures/accountMemory.ts ${MEMORY_ACCOUNTS}: heap + array buffers retained per account (profile + one open window, 20 events)`,
      forest: `100 trees, 256 rows per tree, ${FOREST.rows} x ${FOREST.dims} standard-normal rows with ${FOREST.outlierShare * 100}% outliers (one coordinate at 3-4.5 sigma), seed ${FOREST.seed}; best of ${FOREST.repeats} for ours and scikit-learn (n_jobs=1, OMP/OPENBLAS/MKL threads 1); ml-isolation-forest grows every tree on all rows, so it gets the first ${FOREST.mljsRows} rows, one run; scores/s = rows scored / seconds; AUC on the rows scored`,
    },
    detect_events_per_s: Math.round(detect),
    json_parse_only_events_per_s: Math.round(jsonParse),
    detect_vs_json_parse_ratio: round(detect / jsonParse, 3),
    detect_single_thread_events_per_s: Math.round(singleThread),
    detect_parallel_speedup: round(detect / singleThread, 3),
    detect_runs_events_per_s: throughput.detectRuns.map(Math.round),
    detect_single_thread_runs_events_per_s: throughput.singleThreadRuns.map(Math.round),
    json_parse_only_runs_events_per_s: throughput.jsonParseRuns.map(Math.round),
    bytes_per_active_account: bytesPerAccount,
    active_accounts: MEMORY_ACCOUNTS,
    peak_rss_bytes_per_account: scale.burst.peak_rss_bytes_per_account,
    burst_peak_rss: scale.burst,
    scale: scale.points,
    scale_fit_exponents: scale.fit,
    forest_rows: ours.rows,
    forest_dims: ours.dims,
    forest_train_ms: round(ours.trainMs, 1),
    forest_score_per_s: Math.round(ours.scorePerS),
    forest_auc: round(ours.auc, 4),
    forest_mljs_rows: mljs.rows,
    forest_train_ms_mljs: round(mljs.trainMs, 1),
    forest_score_per_s_mljs: Math.round(mljs.scorePerS),
    forest_score_vs_mljs_ratio: round(ours.scorePerS / mljs.scorePerS, 2),
    forest_auc_mljs: round(mljs.auc, 4),
    ...(sklearn !== null
      ? {
          forest_sklearn_rows: sklearn.rows,
          forest_train_ms_sklearn: round(sklearn.fit_ms, 1),
          forest_score_per_s_sklearn: Math.round(sklearn.score_per_s),
          forest_score_vs_sklearn_ratio: round(ours.scorePerS / sklearn.score_per_s, 2),
          forest_auc_sklearn: round(sklearn.auc, 4),
          sklearn_version: sklearn.sklearn_version,
          numpy_version: sklearn.numpy_version,
        }
      : { forest_sklearn_error: sklearnError }),
    ...streaming,
    ...federation,
    stream_vs_detect_ratio: streaming?.stream_events_per_s == null ? null : round(streaming.stream_events_per_s / singleThread, 3),
    // Two `run all` processes sharing the partitions, for information beside the key above (one process).
    stream_two_processes_vs_detect_ratio: streaming?.stream_two_processes_events_per_s == null ? null : round(streaming.stream_two_processes_events_per_s / singleThread, 3),
    targets: {
      detect_events_per_s: TARGETS.detectEventsPerS,
      bytes_per_active_account: TARGETS.bytesPerActiveAccount,
      forest_score_vs_sklearn_ratio: TARGETS.forestVsSklearn,
      stream_vs_raw_consume_ratio: TARGETS.streamVsRawConsume,
      alert_latency_p99_ms: TARGETS.alertLatencyP99Ms,
      detect_vs_json_parse_ratio: TARGETS.detectVsJsonParse,
      detect_parallel_speedup: TARGETS.detectParallelSpeedup,
      stream_vs_detect_ratio: TARGETS.streamVsDetect,
      peak_rss_bytes_per_account: TARGETS.peakRssBytesPerAccount,
      detect_vs_json_parse_met: detect / jsonParse >= TARGETS.detectVsJsonParse,
      scale_detect_vs_json_parse_met: scale.points.every((p) => p.detect_vs_json_parse_ratio === null || p.detect_vs_json_parse_ratio >= TARGETS.detectVsJsonParse),
      detect_parallel_speedup_met: detect / singleThread >= TARGETS.detectParallelSpeedup,
      stream_vs_detect_met: streaming?.stream_events_per_s == null ? null : streaming.stream_events_per_s / singleThread >= TARGETS.streamVsDetect,
      peak_rss_met: scale.burst.peak_rss_bytes_per_account <= TARGETS.peakRssBytesPerAccount,
      detect_met: detect >= TARGETS.detectEventsPerS,
      memory_met: bytesPerAccount <= TARGETS.bytesPerActiveAccount,
      forest_vs_sklearn_met: sklearn === null ? null : ours.scorePerS / sklearn.score_per_s >= TARGETS.forestVsSklearn,
      stream_vs_raw_consume_met: streaming === null ? null : (streaming.stream_vs_raw_consume_ratio ?? 0) >= TARGETS.streamVsRawConsume,
      alert_latency_met: streaming?.alert_latency_p99_ms == null ? null : streaming.alert_latency_p99_ms <= TARGETS.alertLatencyP99Ms,
      forum_alert_latency_p99_ms: TARGETS.forumAlertLatencyP99Ms,
      forum_alert_latency_met: federation?.forum_alert_latency_p99_ms == null ? null : federation.forum_alert_latency_p99_ms <= TARGETS.forumAlertLatencyP99Ms,
    },
    load_average_1m_at_end: round(os.loadavg()[0]!, 2),
    bench_seconds: round((performance.now() - started) / 1000, 1),
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

  const rows: [string, string, string][] = [
    ['detect events/s (median)', fmt(detect), `target >= ${fmt(TARGETS.detectEventsPerS)}`],
    ['JSON.parse-only events/s (median)', fmt(jsonParse), 'floor, same file'],
    ['detect / JSON.parse ratio', results.detect_vs_json_parse_ratio.toFixed(3), `target >= ${TARGETS.detectVsJsonParse}`],
    ['detect --threads 1 events/s (median)', fmt(singleThread), 'same file, same run'],
    ['detect parallel speedup', results.detect_parallel_speedup.toFixed(3), `target >= ${TARGETS.detectParallelSpeedup}`],
    ['peak RSS bytes per account (burst slope)', fmt(scale.burst.peak_rss_bytes_per_account), `target <= ${fmt(TARGETS.peakRssBytesPerAccount)}`],
    ...scale.points.map((p): [string, string, string] => [
      `scale ${fmt(p.accounts)} accounts`,
      p.events_per_s === null ? '-' : fmt(p.events_per_s),
      `${p.detect_vs_json_parse_ratio === null ? '' : `events/s, ratio ${p.detect_vs_json_parse_ratio}, `}${p.bytes_per_account === null ? '' : `${fmt(p.bytes_per_account)} B/account, `}scorer ${p.scorer_ms_per_window} ms/window`,
    ]),
    ['scale fit exponents', '', JSON.stringify(scale.fit)],
    [`bytes per active account (${fmt(MEMORY_ACCOUNTS)})`, fmt(bytesPerAccount), `target <= ${fmt(TARGETS.bytesPerActiveAccount)}`],
    [`forest train ms (${fmt(ours.rows)} x ${ours.dims})`, ours.trainMs.toFixed(1), sklearn ? `sklearn ${sklearn.fit_ms.toFixed(1)}` : ''],
    ['forest scores/s', fmt(ours.scorePerS), `AUC ${ours.auc.toFixed(4)}`],
    [`ml-isolation-forest scores/s (${fmt(mljs.rows)} rows)`, fmt(mljs.scorePerS), `AUC ${mljs.auc.toFixed(4)}`],
    ['ours / ml-isolation-forest', results.forest_score_vs_mljs_ratio.toFixed(2), ''],
    ...(sklearn
      ? ([
          [`scikit-learn scores/s (${fmt(sklearn.rows)} rows)`, fmt(sklearn.score_per_s), `AUC ${sklearn.auc.toFixed(4)}`],
          ['ours / scikit-learn', (ours.scorePerS / sklearn.score_per_s).toFixed(2), `target >= ${TARGETS.forestVsSklearn} (scikit-learn ${sklearn.sklearn_version})`],
        ] as [string, string, string][])
      : ([['scikit-learn', 'not measured', sklearnError ?? '']] as [string, string, string][])),
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.max(...rows.map((r) => r[1].length));
  console.log(`machine: ${host.cpu_model}, ${host.cores} cores, node ${host.node_version}`);
  for (const [name, value, note] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(valueWidth)}  ${note}`);
  if (streaming === null) {
    console.log('streaming: not measured (--skip-stream)');
  } else {
    const notes: Record<string, string> = {
      stream_vs_raw_consume_ratio: `target >= ${TARGETS.streamVsRawConsume}`,
      alert_latency_p99_ms: `target <= ${fmt(TARGETS.alertLatencyP99Ms)}, at ${fmt(streaming.alert_latency_load_events_per_s ?? 0)} events/s`,
    };
    for (const [name, value] of Object.entries(streaming)) console.log(`${name.padEnd(width)}  ${String(value).padStart(valueWidth)}  ${notes[name] ?? ''}`);
  }
  if (federation !== null) {
    for (const [name, value] of Object.entries(federation)) {
      console.log(`${name.padEnd(width)}  ${String(value).padStart(valueWidth)}  ${name === 'forum_alert_latency_p99_ms' ? `target <= ${fmt(TARGETS.forumAlertLatencyP99Ms)}` : ''}`);
    }
  }
  console.log(`wrote ${relative(ROOT, RESULTS)} (${results.bench_seconds} s)`);
}

await main();
