// Whether a lab is quiet, as its bridge tells the forum. The forum waits for every lab to
// complete a window, except a lab that says it is caught up: that one follows the leading lab,
// so a lab without traffic never stalls the federation. "Caught up" must therefore mean quiet,
// not merely "read everything so far": a busy lab has read everything most of the time, and if
// it said so the forum would score each window as soon as the fastest lab completed it, and the
// other labs' records of that window would all arrive late. Quiet: nothing unread (the lab's
// aggregator and its bridge have consumed everything), and the lab's stream clock has not moved
// for `quietMs` of wall time.
// Pure: the wall time is an argument; it never reads a clock itself.

export interface LabObservation {
  /** The lab's stream clock (largest event time its aggregators have seen; -Infinity: none). */
  streamClock: number;
  /** Records the lab's aggregator or bridge have not consumed yet. */
  unread: number;
  /** Wall time of the observation, epoch ms. */
  now: number;
}

export class LabActivity {
  readonly quietMs: number;
  #clock = Number.NEGATIVE_INFINITY;
  #clockMovedAt: number | null = null;

  constructor(quietMs: number) {
    this.quietMs = quietMs;
  }

  /** Takes an observation; true when the lab is quiet. */
  observe(o: LabObservation): boolean {
    if (this.#clockMovedAt === null || o.streamClock > this.#clock) {
      this.#clock = Math.max(this.#clock, o.streamClock);
      this.#clockMovedAt = o.now;
    }
    return o.unread === 0 && o.now - this.#clockMovedAt >= this.quietMs;
  }
}
