// The scorer's share of the scale figures: `node bench/scaleScorer.ts ACCOUNTS [WINDOWS]` builds
// ACCOUNTS synthetic account-window records per hourly window (seeded features, one or two
// topics, a template sketch of its own, 1 % of the accounts sharing a card and a sketch in fours, a
// network per 20 accounts) and times WindowScorer.scoreWindow on each of WINDOWS consecutive
// windows: campaign linking, subjects, population shares, forest training and scoring, alerts.
// Prints {"accounts", "windows", "scorer_ms_per_window", "window_ms", "window_cpu_ms", "heap_bytes",
// "peak_rss_bytes"}: the mean and each window's time (wall and main-thread CPU), the heap in use at the end, and the
// process's peak resident memory (the records of one window and the scorer's state at once,
// as a scorer holds them at the close of an hour). It only measures; the records are not
// realistic behaviour, only realistic in size and shape.
import { FEATURE_NAMES, SeededRandom, SplitScoring, WindowScorer, type AccountFeatures } from '../services/core/src/index.ts';

const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2026, 2, 2);
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const accounts = Number(args[0]);
const windows = Number(args[1] ?? 3);
// --warm: no warm-up, so the second window trains the model and every later one is scored with
// it (forest, calibration, reasons); without it three windows stay inside the 12 h warm-up.
const warm = process.argv.includes('--warm');
// --instances=N: each window scored in the split's two stages (pipeline/splitScoring.ts) by an
// owner and N instances in this process, one after the other, each stage's CPU time measured
// (owner_cpu_ms: its context, linking and finish per window).
const instancesArg = process.argv.find((a) => a.startsWith('--instances='));
const instances = instancesArg ? Number(instancesArg.slice('--instances='.length)) : 0;
if (!Number.isSafeInteger(accounts) || accounts < 1 || !Number.isSafeInteger(instances) || instances < 0) {
  throw new Error('usage: node bench/scaleScorer.ts ACCOUNTS [WINDOWS] [--warm] [--instances=N]');
}

const TOPICS = ['code', 'math', 'law', 'medicine', 'finance', 'history', 'physics', 'chemistry', 'biology', 'travel', 'cooking', 'sports'];
const r = new SeededRandom(3);
const hex16 = (): string => (r.nextUint32().toString(16).padStart(8, '0') + r.nextUint32().toString(16).padStart(8, '0'));

/** The sketch that the four accounts of group `g` share (a campaign's one scaffold). */
function groupSketch(g: number): string[] {
  const own = new SeededRandom(g + 1);
  return Array.from({ length: 16 }, () => own.nextUint32().toString(16).padStart(8, '0').repeat(2)).sort();
}

function record(i: number, windowEnd: number): AccountFeatures {
  const features: Record<string, number> = {};
  for (const name of FEATURE_NAMES) features[name] = name.endsWith('_log') ? 4 * r.nextFloat() : r.nextFloat();
  const shared = i % 100 < 4;
  const sketch = shared ? groupSketch(Math.floor(i / 100)) : Array.from({ length: 16 }, hex16).sort();
  const topic = TOPICS[i % TOPICS.length]!;
  const card = shared ? `pf_shared_${Math.floor(i / 100)}` : `pf_${i}`;
  return {
    lab: ['lab-a', 'lab-b', 'lab-c'][i % 3]!, account_id: `acct_${i}`, window_start: windowEnd - HOUR_MS, window_end: windowEnd,
    events: 1 + r.nextInt(40), first_event_time: windowEnd - HOUR_MS, last_event_time: windowEnd - 1,
    spend_usd_window: r.nextFloat(), spend_usd_30d: 10 * r.nextFloat(), features,
    topics: [{ topic, count: 3 }, { topic: TOPICS[(i + 5) % TOPICS.length]!, count: 1 }],
    template_sketch: sketch, payment_fingerprints: [card], network_agents: [`10.${(i / 20) | 0}.0.0/24|agent`],
  };
}

const options = warm ? { warmupMs: 0 } : {};
const owner = new WindowScorer(options);
const split = instances > 0 ? new SplitScoring(owner, Array.from({ length: instances }, () => new WindowScorer(options))) : null;
/** Main-thread CPU time in ms: what the machine's load does not inflate (wall time it does, ten times and more). */
const cpuMs = (): number => { const u = process.threadCpuUsage(); return (u.user + u.system) / 1000; };
const windowMs: number[] = [];
const windowCpuMs: number[] = [];
/** Per window: the owner's context, linking and finish. */
const ownerCpuMs: Array<[number, number, number]> = [];
const instanceCpuMs: number[][] = [];
for (let w = 0; w < windows; w++) {
  const end = START_MS + (w + 1) * HOUR_MS;
  const records = Array.from({ length: accounts }, (_, i) => record(i, end));
  const t = performance.now();
  const c = cpuMs();
  if (split) scoreSplit(split, end, records);
  else owner.scoreWindow(end - HOUR_MS, end, records);
  windowCpuMs.push(cpuMs() - c);
  windowMs.push(performance.now() - t);
}

/**
 * One window in the split's stages, each timed: the owner's context, linking and finish, and each
 * instance's shard.
 */
function scoreSplit(s: SplitScoring, end: number, records: AccountFeatures[]): void {
  const shards = s.shards(records);
  const timed = <T>(f: () => T): [T, number] => { const c = cpuMs(); const out = f(); return [out, cpuMs() - c]; };
  const [context, contextMs] = timed(() => s.context(end, records));
  const [linked, linkMs] = timed(() => owner.linkWindow(end - HOUR_MS, context, records));
  const perInstance: number[] = [];
  const scores = shards.map((shard, k) => { const [out, ms] = timed(() => s.scoreShard(k, context, shard)); perInstance.push(ms); return out; });
  const [, finishMs] = timed(() => s.finish(linked, context, scores));
  ownerCpuMs.push([contextMs, linkMs, finishMs]);
  instanceCpuMs.push(perInstance);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const tenth = (x: number) => Math.round(x * 10) / 10;
console.log(JSON.stringify({
  accounts, windows, scorer_ms_per_window: tenth(mean(windowMs)), window_ms: windowMs.map((x) => Math.round(x)),
  window_cpu_ms: windowCpuMs.map((x) => Math.round(x)),
  ...(split && {
    instances, owner_cpu_ms: ownerCpuMs.map((xs) => xs.map((x) => Math.round(x))), instance_cpu_ms: instanceCpuMs.map((xs) => xs.map((x) => Math.round(x))),
    // Each instance and the owner on a core of its own: the owner's stages plus the slowest instance,
    split_cpu_ms_per_window: tenth(mean(ownerCpuMs.map(([c, l, f], w) => c + l + Math.max(...instanceCpuMs[w]!) + f))),
    // and with the owner linking while the instances score.
    split_overlap_cpu_ms_per_window: tenth(mean(ownerCpuMs.map(([c, l, f], w) => c + Math.max(l, ...instanceCpuMs[w]!) + f))),
  }),
  heap_bytes: process.memoryUsage().heapUsed, peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
}));
