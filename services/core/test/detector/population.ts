// A small seeded population for the detector tests: ordinary accounts at three labs, one
// harvester working alone, and a harvest split over five accounts at three labs that share a
// payment card (a campaign). Hand-built so the core's tests need no simulator; every prompt
// carries the marker word PROMPT_MARKER so a test can prove no prompt text reaches an alert.
import type { UsageEvent } from '../../src/schemas.generated.ts';
import { SeededRandom } from '../../src/random.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
/** 2026-03-02T00:00:00Z, a window boundary. */
export const T0 = Date.UTC(2026, 2, 2);
/** In every prompt of the population, and in nothing the detector should ever write. */
export const PROMPT_MARKER = 'quixotrophic';

export const LONE_HARVESTER = 'lab-a/harvester-1';
/** The split harvest: five accounts at three labs paying with one card. */
export const SPLIT_HARVEST = ['lab-a/split-1', 'lab-a/split-2', 'lab-b/split-3', 'lab-b/split-4', 'lab-c/split-5'];

const SUBJECTS = [
  'algebra', 'botany', 'chemistry', 'databases', 'economics', 'finance', 'genetics', 'history', 'immunology',
  'jurisprudence', 'kinematics', 'linguistics', 'metallurgy', 'neuroscience', 'optics', 'pharmacology',
  'quantum', 'rhetoric', 'statistics', 'thermodynamics', 'urbanism', 'virology', 'welding', 'zoology',
];

export interface Population {
  /** Every event, in delivery order: event time order, with a few delivered up to a minute late. */
  events: UsageEvent[];
  /** Every prompt text sent. */
  prompts: Set<string>;
}

interface Actor {
  lab: string;
  account: string;
  /** Requests in an active hour, [min, max). */
  perHour: [number, number];
  /** Share of hours the account is active. */
  activeShare: number;
  harvest: boolean;
  payment: string;
}

/** `hours` hours of traffic from `benign` ordinary accounts plus the harvesters. Same seed, same events. */
export function population(seed: number, hours = 20, benign = 48): Population {
  const random = new SeededRandom(seed);
  const actors: Actor[] = [];
  const labs = ['lab-a', 'lab-b', 'lab-c'];
  for (let i = 0; i < benign; i++) {
    actors.push({ lab: labs[i % 3]!, account: `user-${String(i).padStart(3, '0')}`, perHour: [2, 30],
      activeShare: 0.5 + random.nextFloat() * 0.5, harvest: false, payment: `card-${i}` });
  }
  const [lab, account] = LONE_HARVESTER.split('/') as [string, string];
  actors.push({ lab, account, perHour: [40, 60], activeShare: 1, harvest: true, payment: 'card-lone' });
  for (const key of SPLIT_HARVEST) {
    const [l, a] = key.split('/') as [string, string];
    actors.push({ lab: l, account: a, perHour: [10, 16], activeShare: 1, harvest: true, payment: 'card-shared' });
  }

  const timed: Array<{ at: number; event: UsageEvent }> = [];
  const prompts = new Set<string>();
  let question = 0;
  for (const actor of actors) {
    let id = 0;
    for (let h = 0; h < hours; h++) {
      if (random.nextFloat() >= actor.activeShare) continue;
      const n = actor.perHour[0] + random.nextInt(actor.perHour[1] - actor.perHour[0]);
      for (let k = 0; k < n; k++) {
        const time = T0 + h * HOUR + random.nextInt(HOUR);
        const prompt = actor.harvest
          ? `${PROMPT_MARKER} question ${question++} on ${SUBJECTS[random.nextInt(SUBJECTS.length)]}: explain step by step, with the reasoning behind each step, case ${random.nextInt(1e6)}.`
          : `${PROMPT_MARKER} summarise ticket ${random.nextInt(50)} for ${actor.account} in one sentence.`;
        prompts.add(prompt);
        const input = actor.harvest ? 60 + random.nextInt(40) : 200 + random.nextInt(400);
        const output = actor.harvest ? 1500 + random.nextInt(2500) : 40 + random.nextInt(120);
        timed.push({ at: time, event: {
          event_id: `${actor.account}-${id++}`, event_time: time, lab: actor.lab, account_id: actor.account,
          api_key_id: `key-${actor.account}`, model: 'frontier-1', endpoint: 'chat',
          input_tokens: input, output_tokens: output, cost_usd: actor.harvest ? 8 : 0.002,
          temperature: actor.harvest ? 0.7 : null, top_p: null, max_tokens: actor.harvest ? 8192 : 256,
          n: actor.harvest ? 3 : null, logprobs: actor.harvest ? true : null, top_logprobs: actor.harvest ? 5 : null,
          reasoning_effort: actor.harvest ? 'high' : null, prompt_text: prompt, prompt_simhash: null,
          topic: actor.harvest ? SUBJECTS[random.nextInt(SUBJECTS.length)]! : `support-${actor.account}`,
          system_prompt_hash: null, ip_prefix: `198.51.${actors.indexOf(actor)}.0/24`, user_agent: 'client/1.0',
          payment_fingerprint: actor.payment, country: 'NL', status: 200,
        } });
      }
    }
  }
  // Delivery: event-time order, then one event in fifty held back by up to a minute (inside
  // the allowed lateness, so nothing is late).
  timed.sort((a, b) => a.at - b.at || (a.event.event_id < b.event.event_id ? -1 : 1));
  const delivered = timed.map((t, i) => ({ at: t.at + (i % 50 === 0 ? random.nextInt(MINUTE) : 0), event: t.event }));
  delivered.sort((a, b) => a.at - b.at);
  return { events: delivered.map((d) => d.event), prompts };
}

/**
 * Splits `events` into `partitions` streams by account (as Kafka partitions keyed by account
 * would), keeping each account's order, and interleaves them again at random (seeded), no
 * partition running more than half of `maxLagMs` ahead of the slowest one.
 */
export function repartition(events: readonly UsageEvent[], partitions: number, seed: number, maxLagMs: number): UsageEvent[] {
  const random = new SeededRandom(seed);
  const queues: UsageEvent[][] = Array.from({ length: partitions }, () => []);
  for (const e of events) queues[partitionOf(`${e.lab}/${e.account_id}`, partitions)]!.push(e);
  const heads = new Array<number>(partitions).fill(0);
  const out: UsageEvent[] = [];
  while (out.length < events.length) {
    const open = queues.map((_, p) => p).filter((p) => heads[p]! < queues[p]!.length);
    const headTime = (p: number) => queues[p]![heads[p]!]!.event_time;
    const earliest = Math.min(...open.map(headTime));
    // Any partition may go next unless it would run more than half the lag ahead of the slowest.
    const pool = open.filter((p) => headTime(p) <= earliest + maxLagMs / 2);
    const p = pool[random.nextInt(pool.length)]!;
    out.push(queues[p]![heads[p]!++]!);
  }
  return out;
}

/** The largest distance an event falls behind the latest event time delivered before it. */
export function maxLag(events: readonly UsageEvent[]): number {
  let latest = Number.NEGATIVE_INFINITY;
  let lag = 0;
  for (const e of events) {
    lag = Math.max(lag, latest - e.event_time);
    latest = Math.max(latest, e.event_time);
  }
  return lag;
}

function partitionOf(key: string, partitions: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % partitions;
}
