// A progress line on stderr for long work: at most every `intervalMs`, and only after the
// first interval (short runs stay quiet). Wall-clock here is for people, never for detection.
export class Progress {
  private readonly started = performance.now();
  private last = this.started;
  private readonly intervalMs: number;
  private shown = false;

  constructor(intervalMs = 2000) {
    this.intervalMs = intervalMs;
  }

  /** Seconds since start. */
  get elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** Calls `render` and prints its result when the interval has passed. */
  tick(render: (elapsedSeconds: number) => string): void {
    const now = performance.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    this.shown = true;
    const line = render((now - this.started) / 1000);
    process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  /** Ends the progress line (on a TTY) before the summary is printed. */
  done(): void {
    if (this.shown && process.stderr.isTTY) process.stderr.write('\n');
  }
}

export function rate(count: number, seconds: number): string {
  const r = seconds > 0 ? count / seconds : 0;
  return r >= 1000 ? `${(r / 1000).toFixed(1)}k/s` : `${r.toFixed(0)}/s`;
}
