// When an actor sends its requests. Three timing processes cover the archetypes: human
// sessions on a daily rhythm, a steady (diurnally modulated) Poisson stream, and scheduled
// bursts. Each returns the next event time after `now` (epoch ms) from the actor's own
// Random, or Infinity when the actor is done.
import type { Random } from './random.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Schedule {
  next(rng: Random, now: number): number;
}

/** Local hour of day (0-24) at a UTC offset. */
function localHour(t: number, utcOffsetHours: number): number {
  const h = ((t + utcOffsetHours * HOUR) % DAY) / HOUR;
  return h < 0 ? h + 24 : h;
}

/** Local day of week, 0 = Monday (the simulation epoch is a Monday). */
function localWeekday(t: number, utcOffsetHours: number): number {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  return (Math.floor((t + utcOffsetHours * HOUR) / DAY) + 3) % 7;
}

export interface SessionRhythm {
  utcOffset: number;
  /** Local hour the person starts using the API. */
  wakeHour: number;
  /** Hours of the local day they are active. */
  activeHours: number;
  sessionsPerDay: number;
  requestsPerSession: number;
  /** Mean seconds between requests inside a session. */
  gapSeconds: number;
  /** Share of weekend days they still work (1 = no weekend effect). */
  weekendActivity: number;
}

/** A person: sessions inside waking hours, a few requests each, quieter at weekends. */
export class HumanSessions implements Schedule {
  private remaining = 0;
  private readonly r: SessionRhythm;
  constructor(rhythm: SessionRhythm) {
    this.r = rhythm;
  }

  next(rng: Random, now: number): number {
    if (this.remaining > 0) {
      this.remaining--;
      return now + Math.max(1000, rng.exponential(this.r.gapSeconds * 1000));
    }
    const r = this.r;
    let t = now + rng.exponential((r.activeHours * HOUR) / r.sessionsPerDay);
    for (let guard = 0; guard < 60; guard++) {
      const h = localHour(t, r.utcOffset);
      const sinceWake = (h - r.wakeHour + 24) % 24;
      if (sinceWake >= r.activeHours) {
        // Asleep: move to the next wake-up, plus a little morning spread.
        t += (24 - sinceWake) * HOUR + rng.uniform(0, 1.5 * HOUR);
        continue;
      }
      const wd = localWeekday(t, r.utcOffset);
      if (wd >= 5 && !rng.chance(r.weekendActivity)) {
        t += DAY;
        continue;
      }
      break;
    }
    this.remaining = rng.geometric(r.requestsPerSession) - 1;
    return Math.round(t);
  }
}

export interface SteadyRate {
  /** Requests per hour at the daily peak. */
  peakPerHour: number;
  /** Rate at the daily trough as a share of the peak (1 = flat, round the clock). */
  troughShare: number;
  utcOffset: number;
  /** Local hour of the peak. */
  peakHour: number;
  /** Rate multiplier on weekends. */
  weekendFactor: number;
}

/** A service or a script: a Poisson stream whose rate follows the day (thinning). */
export class SteadyStream implements Schedule {
  private readonly r: SteadyRate;
  constructor(rate: SteadyRate) {
    this.r = rate;
  }

  rateAt(t: number): number {
    const r = this.r;
    const phase = (2 * Math.PI * (localHour(t, r.utcOffset) - r.peakHour)) / 24;
    const shape = r.troughShare + (1 - r.troughShare) * 0.5 * (1 + Math.cos(phase));
    const weekend = localWeekday(t, r.utcOffset) >= 5 ? r.weekendFactor : 1;
    return r.peakPerHour * shape * weekend;
  }

  next(rng: Random, now: number): number {
    const peak = this.r.peakPerHour;
    let t = now;
    for (;;) {
      t += rng.exponential(HOUR / peak);
      if (rng.next() * peak <= this.rateAt(t)) return Math.round(t);
    }
  }
}

export interface BurstPlan {
  /** Hours between burst starts (mean). */
  everyHours: number;
  /** Jitter on that, hours. */
  jitterHours: number;
  /** Requests in the given run of the batch job. */
  runSize: (run: number, rng: Random) => number;
  /** Requests per second inside a burst. */
  perSecond: number;
  /** First burst at this time. */
  firstAt: number;
}

/** Scheduled batch runs: nothing, then hundreds of requests at a machine's pace. */
export class Bursts implements Schedule {
  private remaining = 0;
  private nextBurst: number;
  /** Which run of the batch job is in progress (eval runners replay the same items each run). */
  run = -1;
  /** Position inside the current run. */
  position = 0;
  private readonly p: BurstPlan;
  constructor(plan: BurstPlan) {
    this.p = plan;
    this.nextBurst = plan.firstAt;
  }

  next(rng: Random, now: number): number {
    if (this.remaining > 0) {
      this.remaining--;
      this.position++;
      return Math.round(now + rng.exponential(1000 / this.p.perSecond));
    }
    const t = Math.max(now, this.nextBurst);
    this.nextBurst = t + Math.max(HOUR, (this.p.everyHours + rng.uniform(-1, 1) * this.p.jitterHours) * HOUR);
    this.run++;
    this.remaining = Math.max(1, Math.round(this.p.runSize(this.run, rng))) - 1;
    this.position = 0;
    return Math.round(t);
  }
}

/**
 * Two or more timing processes on one account (a person's own sessions and their scripted
 * batches; a router's end users and the harvest it forwards): the earliest pending time of
 * any part comes next. `source` says which part produced the latest time, so the behaviour
 * can dress the request to match.
 */
export class Interleaved implements Schedule {
  /** Index of the part that produced the latest time. */
  source = -1;
  private pending: number[] | null = null;
  private readonly parts: readonly Schedule[];
  constructor(parts: readonly Schedule[]) {
    this.parts = parts;
  }

  next(rng: Random, now: number): number {
    if (this.pending === null) {
      this.pending = this.parts.map((p) => p.next(rng, now));
    } else {
      // Only the part that produced the last time moves on; the others keep their pending time.
      this.pending[this.source] = this.parts[this.source]!.next(rng, this.pending[this.source]!);
    }
    let best = 0;
    for (let i = 1; i < this.pending.length; i++) if (this.pending[i]! < this.pending[best]!) best = i;
    this.source = best;
    return this.pending[best]!;
  }
}
