// The scorer's share of the scale figures: `node bench/scaleScorer.ts ACCOUNTS [WINDOWS]` builds
// ACCOUNTS synthetic account-window records per hourly window (seeded features, one or two
// topics, a template sketch of its own, 1 % of the accounts sharing a card and a sketch in fours, a
// network per 20 accounts) and times WindowScorer.scoreWindow on each of WINDOWS consecutive
// windows: campaign linking, subjects, population shares, forest training and scoring, alerts.
// Prints {"accounts", "windows", "scorer_ms_per_window", "window_ms", "heap_bytes",
// "peak_rss_bytes"}: the mean and each window's time, the heap in use at the end, and the
// process's peak resident memory (the records of one window and the scorer's state at once,
// as a scorer holds them at the close of an hour). It only measures; the records are not
// realistic behaviour, only realistic in size and shape.
import { FEATURE_NAMES, SeededRandom, WindowScorer, type AccountFeatures } from '../services/core/src/index.ts';

const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2026, 2, 2);
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const accounts = Number(args[0]);
const windows = Number(args[1] ?? 3);
// --warm: no warm-up, so the second window trains the model and every later one is scored with
// it (forest, calibration, reasons); without it three windows stay inside the 12 h warm-up.
const warm = process.argv.includes('--warm');
if (!Number.isSafeInteger(accounts) || accounts < 1) throw new Error('usage: node bench/scaleScorer.ts ACCOUNTS [WINDOWS] [--warm]');

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

const scorer = new WindowScorer(warm ? { warmupMs: 0 } : {});
const windowMs: number[] = [];
for (let w = 0; w < windows; w++) {
  const end = START_MS + (w + 1) * HOUR_MS;
  const records = Array.from({ length: accounts }, (_, i) => record(i, end));
  const t = performance.now();
  scorer.scoreWindow(end - HOUR_MS, end, records);
  windowMs.push(performance.now() - t);
}
const mean = windowMs.reduce((a, b) => a + b, 0) / windowMs.length;
console.log(JSON.stringify({
  accounts, windows, scorer_ms_per_window: Math.round(mean * 10) / 10, window_ms: windowMs.map((x) => Math.round(x)),
  heap_bytes: process.memoryUsage().heapUsed, peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
}));
