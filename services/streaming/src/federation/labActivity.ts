// Whether a lab is quiet, as its bridge tells the forum. The forum waits for every lab to
// complete a window, except a lab that says it is caught up: that one follows the leading lab,
// so a lab without traffic never stalls the federation. "Caught up" must therefore mean quiet,
// not merely "read everything so far": a busy lab has read everything most of the time, and if
// it said so the forum would score each window as soon as the fastest lab completed it, and the
// other labs' records of that window would all arrive late. Quiet: nothing unread (the lab's
// aggregator and its bridge have consumed everything, the aggregators' progress included), and
// the lab's stream clock has not moved for `quietMs` of wall time.
// Pure: the wall time is an argument; it never reads a clock itself.

export class LabActivity {
  readonly quietMs: number;
  #clock = Number.NEGATIVE_INFINITY;
  #clockMovedAt: number | null = null;

  constructor(quietMs: number) {
    this.quietMs = quietMs;
  }

  /** The lab's stream clock as last read (largest event time its aggregators have seen); true when it moved. */
  observeClock(streamClock: number, now: number): boolean {
    if (this.#clockMovedAt !== null && !(streamClock > this.#clock)) return false;
    this.#clock = Math.max(this.#clock, streamClock);
    this.#clockMovedAt = now;
    return true;
  }

  /**
   * False while the clock moved within the quiet time: no count of unread records can make the
   * lab quiet then, so the bridge need not ask its cluster for one.
   */
  mayBeQuiet(now: number): boolean {
    return this.#clockMovedAt === null || now - this.#clockMovedAt >= this.quietMs;
  }

  /** True when the lab is quiet: `unread` records wait nowhere, and the clock stood still for the quiet time. */
  isQuiet(unread: number, now: number): boolean {
    if (this.#clockMovedAt === null) this.#clockMovedAt = now;
    return unread === 0 && now - this.#clockMovedAt >= this.quietMs;
  }
}
