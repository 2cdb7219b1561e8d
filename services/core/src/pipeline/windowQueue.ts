/**
 * WindowQueue: holds closed account-windows until their window is complete (no account can add
 * one any more), then releases each window whole, oldest first. One record per account and
 * window: a record read again (a restart of the service that read it) replaces itself. The
 * scorer needs a window whole, and the windows in event-time order; both `detect` and the scorer
 * service queue through this class. Pure: no clock, no I/O.
 */
import type { AccountFeatures } from '../schemas.generated.ts';
import { accountKeyOf } from '../detector/subjects.ts';

export interface CompleteWindow {
  start: number;
  end: number;
  /** The window's records, in arrival order. */
  records: AccountFeatures[];
  /** `<lab>/<account_id>` of each record, in the same order. */
  accounts: string[];
}

export class WindowQueue {
  private readonly pending = new Map<number, Map<string, AccountFeatures>>();
  /** Largest window_end released (-Infinity: none). */
  private released: number;

  constructor(releasedThrough = Number.NEGATIVE_INFINITY) {
    this.released = releasedThrough;
  }

  /** Adds a record; false when its window was already released (it cannot change a scored window). */
  add(record: AccountFeatures): boolean {
    if (record.window_end <= this.released) return false;
    let window = this.pending.get(record.window_end);
    if (!window) { window = new Map(); this.pending.set(record.window_end, window); }
    window.set(accountKeyOf(record), record);
    return true;
  }

  /** Takes out every window ending at or before `completeThrough`, oldest first. */
  releaseThrough(completeThrough: number): CompleteWindow[] {
    // Asked after every event: most of the time nothing is ready, and that is found without
    // allocating anything.
    if (!this.hasWindowThrough(completeThrough)) return [];
    const ready = [...this.pending.keys()].filter((end) => end <= completeThrough).sort((a, b) => a - b);
    return ready.map((end) => {
      const window = this.pending.get(end)!;
      const records = [...window.values()];
      this.pending.delete(end);
      this.released = end;
      return { start: records[0]!.window_start, end, records, accounts: [...window.keys()] };
    });
  }

  /**
   * Takes out the oldest window if it ends at or before `completeThrough` (null otherwise): a split
   * scorer's owner has one window out with its instances at a time.
   */
  releaseOldest(completeThrough: number): CompleteWindow | null {
    if (!this.hasWindowThrough(completeThrough)) return null;
    return this.releaseThrough(Math.min(...this.pending.keys()))[0]!;
  }

  private hasWindowThrough(completeThrough: number): boolean {
    for (const end of this.pending.keys()) if (end <= completeThrough) return true;
    return false;
  }

  /** Whether a record of the window ending at `windowEnd` waits here. */
  holds(windowEnd: number): boolean { return this.pending.has(windowEnd); }

  get releasedThrough(): number { return this.released; }
  get pendingWindows(): number { return this.pending.size; }
}
