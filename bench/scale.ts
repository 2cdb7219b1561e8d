// The scale figures of `pnpm bench`: `detect` (all cores) and the bare JSON parse over the same
// per-account traffic shape at 10^3, 10^4 and 10^5 active accounts an hour (bench/scaleTraffic.ts),
// the retained bytes per account and the scorer's time per window at each count
// (bench/scaleScorer.ts; `--scale` adds 10^6 accounts for the scorer), a log-log fit of each
// against the account count, and detect's peak RSS per account on a burst of new accounts.
// Inputs are written once into bench/.data/ (the names carry the generator's hash).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, copyFileSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeBurst, writeSteadyTraffic } from './scaleTraffic.ts';

export interface ScalePoint {
  accounts: number;
  events: number | null;
  events_per_s: number | null;
  json_parse_events_per_s: number | null;
  detect_vs_json_parse_ratio: number | null;
  account_windows_per_s: number | null;
  peak_rss_bytes: number | null;
  /** Null at 10^6 (scorer only): the fixture would need 2x10^7 events in memory first. */
  bytes_per_account: number | null;
  scorer_ms_per_window: number;
  /** The slowest window timed: with one window an hour, the scorer's p99 is its slowest window. */
  scorer_max_ms_per_window: number;
  scorer_heap_bytes: number;
  /** Peak RSS of the scorer-only process (bench/scaleScorer.ts): one window's records and the scorer. */
  scorer_peak_rss_bytes: number;
}

export interface ScaleFigures {
  points: ScalePoint[];
  /** Exponent b of a least-squares fit y = a * accounts^b (0: flat, 1: linear). */
  fit: {
    detect_events_per_s: number; detect_vs_json_parse_ratio: number; bytes_per_account: number;
    scorer_ms_per_window: number; scorer_peak_rss_bytes: number;
  };
  burst: BurstRss;
}

/** Peak RSS over the bursts of BURST_ACCOUNTS new accounts, and its slope per account. */
export interface BurstRss { accounts: number[]; peak_rss_bytes: number[]; peak_rss_bytes_per_account: number }

/** Events each account sends an hour, and how many events a steady file has at least. */
const EVENTS_PER_ACCOUNT_HOUR = 4;
const MIN_STEADY_EVENTS = 240_000;
const DETECT_ACCOUNTS = [1_000, 10_000, 100_000];
const SCORER_ONLY_ACCOUNTS = 1_000_000;
const BURST_ACCOUNTS = [50_000, 200_000];
const SEED = 5;
const HOUR_MS = 3_600_000;

interface Run {
  seconds: number;
  stdout: string;
  stderr: string;
}

/** Where the bench runs: the repository, its scratch data folder, the CLI's entry point. */
export interface BenchPaths {
  root: string;
  data: string;
  cli: string;
}

export class ScaleBench {
  private readonly root: string;
  private readonly data: string;
  private readonly cli: string;

  constructor(paths: BenchPaths) {
    ({ root: this.root, data: this.data, cli: this.cli } = paths);
  }

  async measure(full: boolean, log: (m: string) => void): Promise<ScaleFigures> {
    const points: ScalePoint[] = [];
    for (const accounts of DETECT_ACCOUNTS) {
      const hours = Math.max(1, Math.round(MIN_STEADY_EVENTS / (accounts * EVENTS_PER_ACCOUNT_HOUR)));
      const file = await this.input(`steady-${accounts}x${hours}h`, (p) => writeSteadyTraffic(p, accounts, hours, EVENTS_PER_ACCOUNT_HOUR, SEED));
      const parse = this.node([join(this.root, 'bench', 'jsonParseOnly.ts'), file]);
      const events = (JSON.parse(parse.stdout) as { lines: number }).lines;
      const detect = this.node(['--import', join(this.root, 'bench', 'peakRss.ts'), this.cli, 'detect', '--input', file, '--output', join(this.data, 'scale.alerts.ndjson')]);
      const windows = Number(/(\d+) account-windows/.exec(detect.stderr)?.[1] ?? NaN);
      const point: ScalePoint = {
        accounts, events,
        events_per_s: Math.round(events / detect.seconds),
        json_parse_events_per_s: Math.round(events / parse.seconds),
        detect_vs_json_parse_ratio: round(parse.seconds / detect.seconds, 3),
        account_windows_per_s: Math.round(windows / detect.seconds),
        peak_rss_bytes: peakRss(detect.stderr),
        bytes_per_account: this.bytesPerAccount(accounts),
        ...this.scorer(accounts, full),
      };
      log(`scale: ${accounts} accounts: detect ${point.events_per_s} events/s, parse ${point.json_parse_events_per_s}, scorer ${point.scorer_ms_per_window} ms/window`);
      points.push(point);
    }
    if (full) {
      points.push({
        accounts: SCORER_ONLY_ACCOUNTS, events: null, events_per_s: null, json_parse_events_per_s: null, detect_vs_json_parse_ratio: null,
        account_windows_per_s: null, peak_rss_bytes: null, bytes_per_account: null, ...this.scorer(SCORER_ONLY_ACCOUNTS, full),
      });
    }
    const detected = points.filter((p) => p.events_per_s !== null);
    const fit = {
      detect_events_per_s: exponent(detected.map((p) => [p.accounts, p.events_per_s!])),
      detect_vs_json_parse_ratio: exponent(detected.map((p) => [p.accounts, p.detect_vs_json_parse_ratio!])),
      bytes_per_account: exponent(detected.map((p) => [p.accounts, p.bytes_per_account!])),
      scorer_ms_per_window: exponent(points.map((p) => [p.accounts, p.scorer_ms_per_window])),
      scorer_peak_rss_bytes: exponent(points.map((p) => [p.accounts, p.scorer_peak_rss_bytes])),
    };
    const rss: number[] = [];
    for (const accounts of BURST_ACCOUNTS) {
      const file = await this.burst(accounts);
      const detect = this.node(['--import', join(this.root, 'bench', 'peakRss.ts'), this.cli, 'detect', '--input', file, '--output', join(this.data, 'burst.alerts.ndjson')]);
      rss.push(peakRss(detect.stderr)!);
      log(`scale: burst of ${accounts} accounts: peak RSS ${rss.at(-1)} bytes`);
    }
    return { points, fit, burst: burstRss(rss) };
  }

  /**
   * The same bursts through `run all` (needs the broker; bench/stream.ts `runAllPeakRss`). A
   * stream closes an hour only when later traffic moves its clock, so each burst is followed by
   * two events of one more account 90 minutes into the next hour; the peak is read once the
   * burst's hour is scored.
   */
  async runAllBurst(log: (m: string) => void): Promise<BurstRss> {
    const { runAllPeakRss } = await import('./stream.ts');
    const rss: number[] = [];
    for (const accounts of BURST_ACCOUNTS) {
      const { file, hourEnd } = withClosingEvents(await this.burst(accounts));
      rss.push(await runAllPeakRss(file, hourEnd));
      log(`scale: burst of ${accounts} accounts through run all: peak RSS ${rss.at(-1)} bytes`);
    }
    return burstRss(rss);
  }

  private burst(accounts: number): Promise<string> {
    return this.input(`burst-${accounts}`, (p) => writeBurst(p, accounts, SEED));
  }

  /** Retained bytes per account: the account-memory fixture at this count. */
  private bytesPerAccount(accounts: number): number {
    const memory = this.node(['--expose-gc', '--max-old-space-size=12288', join(this.root, 'services', 'core', 'test', 'features', 'fixtures', 'accountMemory.ts'), String(accounts)]);
    return (JSON.parse(memory.stdout) as { bytesPerAccount: number }).bytesPerAccount;
  }

  /** The scorer's ms per window: plain `pnpm bench` times one window per count (training included); `--scale` three. */
  private scorer(accounts: number, full: boolean): Pick<ScalePoint, 'scorer_ms_per_window' | 'scorer_max_ms_per_window' | 'scorer_heap_bytes' | 'scorer_peak_rss_bytes'> {
    const scorer = this.node(['--max-old-space-size=16384', join(this.root, 'bench', 'scaleScorer.ts'), String(accounts), full ? '3' : '1']);
    const s = JSON.parse(scorer.stdout) as { scorer_ms_per_window: number; window_ms: number[]; heap_bytes: number; peak_rss_bytes: number };
    return {
      scorer_ms_per_window: s.scorer_ms_per_window, scorer_max_ms_per_window: Math.max(...s.window_ms),
      scorer_heap_bytes: s.heap_bytes, scorer_peak_rss_bytes: s.peak_rss_bytes,
    };
  }

  /** bench/.data/scale-NAME-HASH.ndjson, written once per version of the traffic generator. */
  private async input(name: string, write: (path: string) => Promise<number>): Promise<string> {
    const version = createHash('sha256').update(readFileSync(join(this.root, 'bench', 'scaleTraffic.ts'))).digest('hex').slice(0, 12);
    const path = join(this.data, `scale-${name}-${version}.ndjson`);
    if (existsSync(path)) return path;
    await write(`${path}.partial`);
    renameSync(`${path}.partial`, path);
    return path;
  }

  private node(args: string[]): Run {
    const start = performance.now();
    const child = spawnSync(process.execPath, args, { cwd: this.root, encoding: 'utf8', maxBuffer: 64 << 20 });
    const seconds = (performance.now() - start) / 1000;
    if (child.error) throw child.error;
    if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${child.status}):\n${child.stderr.slice(-2000)}`);
    return { seconds, stdout: child.stdout, stderr: child.stderr };
  }
}

function burstRss(rss: number[]): BurstRss {
  const slope = (rss[1]! - rss[0]!) / (BURST_ACCOUNTS[1]! - BURST_ACCOUNTS[0]!);
  return { accounts: BURST_ACCOUNTS, peak_rss_bytes: rss, peak_rss_bytes_per_account: Math.round(slope) };
}

/**
 * `burst` with two closing events appended (written once beside it): copies of its last event
 * for an account of its own, 90 and 91 minutes after the start of the burst's hour's successor,
 * so that the stream clock passes the hour's end by more than the idle grace.
 */
function withClosingEvents(burst: string): { file: string; hourEnd: number } {
  const last = JSON.parse(lastLine(burst)) as { event_time: number };
  const hourEnd = last.event_time - (last.event_time % HOUR_MS) + HOUR_MS;
  const file = burst.replace(/\.ndjson$/, '-closed.ndjson');
  if (!existsSync(file)) {
    const closing = [90, 91].map((minutes) => JSON.stringify({
      ...last, event_id: `req_closing_${minutes}`, account_id: 'acct_closing', event_time: hourEnd + minutes * 60_000,
    }));
    copyFileSync(burst, `${file}.partial`);
    appendFileSync(`${file}.partial`, `${closing.join('\n')}\n`);
    renameSync(`${file}.partial`, file);
  }
  return { file, hourEnd };
}

function lastLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 64 << 10));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return tail.toString('utf8').trimEnd().split('\n').at(-1)!;
  } finally {
    closeSync(fd);
  }
}

function peakRss(stderr: string): number | null {
  const m = /peak_rss_bytes (\d+)/.exec(stderr);
  return m === null ? null : Number(m[1]);
}

/** Least-squares slope of log y over log x: the b of y = a * x^b. */
function exponent(points: Array<[number, number]>): number {
  const xs = points.map(([x]) => Math.log(x));
  const ys = points.map(([, y]) => Math.log(y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0, den = 0;
  for (let i = 0; i < xs.length; i++) { num += (xs[i]! - mx) * (ys[i]! - my); den += (xs[i]! - mx) ** 2; }
  return round(num / den, 3);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
