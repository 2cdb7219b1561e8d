// Turns an account's Activity into request times: which days it is active, how many requests
// each day (log-normal around its median, lower at weekends for office work), how they group
// into sessions, and when each session starts (drawn from the owner's local-hour profile).
// It must never look at what is asked: only when.
import type { Activity } from './account.ts';
import type { Random } from './random.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Local-hour profiles (index = local hour). */
export const HOURS = {
  office: [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 4, 7, 8, 8, 6, 7, 8, 8, 7, 5, 3, 2, 1.5, 1, 0.6, 0.3],
  evening: [1.5, 0.8, 0.4, 0.2, 0.1, 0.1, 0.3, 0.8, 1.2, 1.5, 1.8, 2, 2.5, 2.3, 2, 2, 2.4, 3, 4, 5, 5.5, 5, 4, 2.5],
  school: [0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.3, 1, 2, 2.5, 2.5, 2.5, 2.5, 3, 3.5, 4.5, 5.5, 6, 6, 6.5, 6.5, 5, 3, 1],
  consumer: [2, 1.3, 0.9, 0.6, 0.5, 0.6, 1, 2, 3, 3.6, 4, 4.2, 4.4, 4.3, 4.2, 4.2, 4.3, 4.5, 4.8, 5, 5, 4.6, 3.8, 2.8],
  flat: Array.from({ length: 24 }, () => 1),
  nightly: [6, 8, 8, 7, 5, 3, 1, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.5, 1, 2, 4],
} as const satisfies Record<string, readonly number[]>;

/** Session start and size for every session of the account, in time order. */
export function sessionsOf(rng: Random, a: Activity, horizonStart: number, horizonEnd: number): { start: number; size: number }[] {
  const sessions: { start: number; size: number }[] = [];
  const from = Math.max(a.from, horizonStart);
  const to = Math.min(a.to, horizonEnd);
  if (to <= from) return sessions;
  // Work in the owner's local days so weekends and nights fall where they live.
  const offset = a.tz * HOUR;
  const firstDay = Math.floor((from + offset) / DAY);
  const lastDay = Math.floor((to - 1 + offset) / DAY);
  for (let day = firstDay; day <= lastDay; day++) {
    if (!rng.chance(a.dayChance)) continue;
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    const weekendFactor = weekday === 0 || weekday === 6 ? a.weekend : 1;
    const expected = a.perDay * weekendFactor * rng.logNormal(1, a.volatility);
    // Only the part of the day inside the active span produces requests.
    const dayStart = day * DAY - offset;
    const share = hourShare(a.hourly, Math.max(from, dayStart) - dayStart, Math.min(to, dayStart + DAY) - dayStart);
    let remaining = rng.poisson(expected * share);
    while (remaining > 0) {
      const size = Math.min(remaining, 1 + Math.floor(rng.exponential(Math.max(0, a.session - 1))));
      remaining -= size;
      const start = drawStart(rng, a.hourly, dayStart, from, to);
      sessions.push({ start, size });
    }
  }
  sessions.sort((x, y) => x.start - y.start);
  return sessions;
}

function hourShare(hourly: readonly number[], fromMs: number, toMs: number): number {
  let total = 0;
  let inside = 0;
  for (let h = 0; h < 24; h++) {
    const w = hourly[h] as number;
    total += w;
    const lo = Math.max(fromMs, h * HOUR);
    const hi = Math.min(toMs, (h + 1) * HOUR);
    if (hi > lo) inside += (w * (hi - lo)) / HOUR;
  }
  return total === 0 ? 0 : inside / total;
}

function drawStart(rng: Random, hourly: readonly number[], dayStart: number, from: number, to: number): number {
  for (let attempt = 0; attempt < 20; attempt++) {
    const t = dayStart + rng.weighted(hourly) * HOUR + Math.floor(rng.float() * HOUR);
    if (t >= from && t < to) return t;
  }
  return from + Math.floor(rng.float() * Math.min(to - from, DAY));
}
