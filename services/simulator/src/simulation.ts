// Runs a population forward in event time and yields its usage events one at a time:
// a min-heap holds each actor's next event time, so memory grows with the number of actors,
// never with the number of events. Delivery noise is applied the way real pipelines produce
// it: a few events arrive late (mostly within the 2-minute lateness, a handful beyond it) and
// a few are delivered twice (same event_id, e.g. a retried producer send). Output order is
// arrival order. Deterministic for a given population and seed.
import { Actor, type SimulatedEvent } from './actor.ts';
import { MinHeap } from './heap.ts';
import { Random } from './random.ts';
import type { Population } from './scenario.ts';

export interface DeliveryNoise {
  /** Share of events delivered 5-100 s late (within the 2-minute allowed lateness). */
  lateWithinShare: number;
  /** Share of events delivered 3-10 min late (beyond the allowed lateness). */
  lateBeyondShare: number;
  /** Share of events delivered a second time, 0.5-30 s later. */
  duplicateShare: number;
}

export const DEFAULT_NOISE: DeliveryNoise = { lateWithinShare: 0.002, lateBeyondShare: 0.00002, duplicateShare: 0.0005 };

export const ALLOWED_LATENESS_MS = 120_000;

/** What happened to one account during the run (for the labels). */
export interface AccountTally {
  events: number;
  spendUsd: number;
  firstEventTime: number;
  lastEventTime: number;
}

export interface DeliveryTally {
  /** Lines written, duplicates included. */
  lines: number;
  /** Distinct events. */
  events: number;
  duplicates: number;
  delayedWithinLateness: number;
  delayedBeyondLateness: number;
}

export class Simulation {
  readonly population: Population;
  readonly actors: readonly Actor[];
  readonly delivery: DeliveryTally = { lines: 0, events: 0, duplicates: 0, delayedWithinLateness: 0, delayedBeyondLateness: 0 };
  private readonly noise: DeliveryNoise;

  constructor(population: Population, noise: DeliveryNoise = DEFAULT_NOISE) {
    this.population = population;
    this.noise = noise;
    this.actors = population.actors.map((spec, i) => new Actor(spec, i, population.seed));
  }

  /** Per-account tallies, indexed like `actors`; complete once `events()` is exhausted. */
  readonly tallies: AccountTally[] = [];

  *events(): Generator<SimulatedEvent> {
    const noiseRng = Random.derive(this.population.seed, 'delivery');
    const due = new MinHeap<Actor>();
    for (const actor of this.actors) {
      this.tallies[actor.index] = { events: 0, spendUsd: 0, firstEventTime: Infinity, lastEventTime: -Infinity };
      if (actor.nextTime !== Infinity) due.push(actor.nextTime, actor.index, actor);
    }
    // Events in flight (delayed or duplicated), keyed by arrival time.
    const inFlight = new MinHeap<SimulatedEvent>();
    let arrivals = 0;
    const d = this.delivery;
    while (due.size > 0) {
      const now = due.peekKey();
      while (inFlight.peekKey() <= now) {
        d.lines++;
        yield inFlight.pop()!;
      }
      const actor = due.pop()!;
      const event = actor.emit();
      const tally = this.tallies[actor.index]!;
      tally.events++;
      tally.spendUsd += event.cost_usd;
      if (tally.firstEventTime === Infinity) tally.firstEventTime = now;
      tally.lastEventTime = now;
      d.events++;

      const roll = noiseRng.next();
      if (roll < this.noise.lateBeyondShare) {
        d.delayedBeyondLateness++;
        inFlight.push(now + Math.round(noiseRng.uniform(180_000, 600_000)), arrivals++, event);
      } else if (roll < this.noise.lateBeyondShare + this.noise.lateWithinShare) {
        d.delayedWithinLateness++;
        inFlight.push(now + Math.round(noiseRng.uniform(5_000, 100_000)), arrivals++, event);
      } else {
        d.lines++;
        yield event;
      }
      if (noiseRng.next() < this.noise.duplicateShare) {
        d.duplicates++;
        inFlight.push(now + Math.round(noiseRng.uniform(500, 30_000)), arrivals++, { ...event });
      }

      actor.advance();
      if (actor.nextTime !== Infinity) due.push(actor.nextTime, actor.index, actor);
    }
    while (inFlight.size > 0) {
      d.lines++;
      yield inFlight.pop()!;
    }
  }
}
