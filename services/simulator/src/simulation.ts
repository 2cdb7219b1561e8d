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

/** How often delivery goes wrong, as shares of events. */
export const DELIVERY_NOISE = {
  /** Delivered 5-100 s late (within the 2-minute allowed lateness). */
  lateWithinShare: 0.002,
  /** Delivered 3-10 min late (beyond the allowed lateness). */
  lateBeyondShare: 0.00002,
  /** Delivered a second time, 0.5-30 s later. */
  duplicateShare: 0.0005,
} as const;

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
  /** Per-account tallies, indexed like `actors`; complete once `events()` is exhausted. */
  readonly tallies: AccountTally[] = [];

  constructor(population: Population) {
    this.population = population;
    this.actors = population.actors.map((spec, i) => new Actor(spec, i, population.seed));
  }

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
      if (roll < DELIVERY_NOISE.lateBeyondShare) {
        d.delayedBeyondLateness++;
        inFlight.push(now + Math.round(noiseRng.uniform(180_000, 600_000)), arrivals++, event);
      } else if (roll < DELIVERY_NOISE.lateBeyondShare + DELIVERY_NOISE.lateWithinShare) {
        d.delayedWithinLateness++;
        inFlight.push(now + Math.round(noiseRng.uniform(5_000, 100_000)), arrivals++, event);
      } else {
        d.lines++;
        yield event;
      }
      if (noiseRng.next() < DELIVERY_NOISE.duplicateShare) {
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
