// Pacing for `produce --rate N`: holds a producer to N events per second on average, so a log can
// be replayed at a steady load (to measure alert latency). Wall-clock here is for load
// generation, never for detection; the clock and the sleep are injected for tests.

/** A paced producer sleeps only once it is this far ahead of its schedule (one timer per batch, not per event). */
const PACE_SLACK_MS = 5;

/**
 * Holds a producer to `rate` events per second on average, counted from its first event: each
 * `tick` (one shipped event) sleeps when the events so far are ahead of that schedule by more
 * than PACE_SLACK_MS. One that falls behind (a slow broker) ships without sleeping until it is
 * back on schedule, so the average over the whole run is `rate`.
 */
export class Pacer {
  readonly #interval: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #start = Number.NaN;
  #count = 0;

  constructor(rate: number, now: () => number = () => performance.now(), sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms))) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive finite number, got ${rate}`);
    this.#interval = 1000 / rate;
    this.#now = now;
    this.#sleep = sleep;
  }

  async tick(): Promise<void> {
    const now = this.#now();
    if (this.#count === 0) this.#start = now;
    this.#count += 1;
    // Event k (from 1) is due (k - 1) intervals after the first.
    const ahead = this.#start + (this.#count - 1) * this.#interval - now;
    if (ahead > PACE_SLACK_MS) await this.#sleep(ahead);
  }
}
