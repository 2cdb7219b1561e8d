// How much of each input chunk the main thread of `detect --threads 2` parses itself, so that
// on two cores neither it nor the parse worker waits for the other. Which thread is the busier
// one depends on the traffic: on the default scenario (35 events an account-window) parsing
// outweighs assembling and the worker sets the pace; with a few events per account-window
// (bench/scale.ts) opening, closing and scoring windows outweigh parsing and the main thread
// does. So the share follows the CPU time the two threads spend, chunk by chunk: CPU time,
// not idle time, because on a loaded machine a descheduled thread is idle without being done.
// It only decides which thread parses a line, never what a line becomes: the output is the
// same whatever the share. Must never read anything but the two threads' CPU times.

/** The largest share: past half of the bytes, parsing would be the main thread's main work. */
const MAX_SHARE = 0.5;
/**
 * How far one reply moves the share: up in small steps, since one chunk's CPU times are noisy;
 * down four times as fast, since parsing on the main thread while it is the busier one delays
 * everything after it (measured: with equal steps the main thread of a run over the 10^4-account
 * scale file spent 0.6 s more than without the share, parsing the first hour's chunks).
 */
const STEP_UP = 0.005;
const STEP_DOWN = 0.02;

export class ParseShare {
  /** The share of the next chunk's bytes for the main thread (0 to MAX_SHARE). */
  share = 0;
  private startMainMicros: number | null = null;
  private startWorkerMicros = 0;

  /**
   * After each worker reply: the CPU microseconds both threads have used so far. The share
   * grows while the worker has spent more since the first reply, and shrinks while the main
   * thread has: totals rather than the last chunk's, since the main thread's work comes in
   * bursts (every account-window of an hour closes at once) and the worker's does not.
   */
  balance(mainMicros: number, workerMicros: number): void {
    if (this.startMainMicros === null) {
      this.startMainMicros = mainMicros;
      this.startWorkerMicros = workerMicros;
      return;
    }
    const workerAhead = workerMicros - this.startWorkerMicros > mainMicros - this.startMainMicros;
    this.share = Math.min(MAX_SHARE, Math.max(0, this.share + (workerAhead ? STEP_UP : -STEP_DOWN)));
  }
}

/** CPU time the calling thread has used, in microseconds. */
export function threadCpuMicros(): number {
  const { user, system } = process.threadCpuUsage();
  return user + system;
}
