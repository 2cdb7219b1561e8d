// Aggregator: valid usage events in, one AccountFeatures record per closed account-window out.
// It is the window assembler driven with the feature accumulator; the streaming aggregator
// service runs it per partition, `detect` runs it over a file. Pure: no clock, no I/O.
import type { AccountFeatures, UsageEvent } from '../schemas.generated.ts';
import {
  WindowAssembler, type AssemblerSnapshot, type ClosedWindow, type PushOutcome, type StateCodec, type WindowTiming,
} from '../windows/assembler.ts';
import { accountFeaturesIn, extractFeatures } from '../features/extractFeatures.ts';
import { AccountProfile, type AccountProfileState } from '../features/accountProfile.ts';
import { AccountWindow, type AccountWindowState } from '../features/accountWindow.ts';
import { SketchStore } from '../features/sketchStore.ts';

/** An aggregator's whole state as plain JSON, one entry per account (for the service's changelog). */
export type AggregatorSnapshot = AssemblerSnapshot<AccountProfileState, AccountWindowState>;

/** The changelog form of the feature state; windows are restored into `store`. */
function featureState(store: SketchStore): StateCodec<AccountProfile, AccountWindow, AccountProfileState, AccountWindowState> {
  return {
    encode: { account: (a) => a.toState(), window: (w) => w.toState() },
    decode: { account: (s) => AccountProfile.restore(s), window: (s) => AccountWindow.restore(s, store) },
  };
}

export interface AggregatorPush {
  outcome: PushOutcome;
  /** Records of the account-windows this event closed, in emission order. */
  records: AccountFeatures[];
}

export class Aggregator {
  private readonly assembler: WindowAssembler<AccountProfile, AccountWindow>;
  /** The open windows' sketch words; a window's block is freed once its record is made. */
  private readonly store: SketchStore;

  constructor(timing: Partial<WindowTiming> = {}, restored?: { assembler: WindowAssembler<AccountProfile, AccountWindow>; store: SketchStore }) {
    this.store = restored?.store ?? new SketchStore();
    this.assembler = restored?.assembler ?? new WindowAssembler(accountFeaturesIn(this.store), timing);
  }

  /** An aggregator continuing exactly from `snapshot` (taken with the same timing). */
  static restore(timing: Partial<WindowTiming>, snapshot: AggregatorSnapshot): Aggregator {
    const store = new SketchStore();
    const assembler = WindowAssembler.restore(accountFeaturesIn(store), timing, snapshot, featureState(store).decode);
    return new Aggregator(timing, { assembler, store });
  }

  /** The whole state, or only the named accounts (those still held) with the clock. */
  snapshot(only?: Iterable<{ lab: string; accountId: string }>): AggregatorSnapshot {
    return this.assembler.snapshot(featureState(this.store).encode, only);
  }

  /** The stream clock (-Infinity until two events agree on a time). */
  get streamClock(): number { return this.assembler.streamClock; }

  get timing(): Readonly<WindowTiming> {
    return this.assembler.timing;
  }

  /**
   * Every account-window ending at or before this time has been emitted: the stream clock less
   * the idle grace (-Infinity before the clock starts).
   */
  get completeThrough(): number {
    return this.assembler.streamClock - this.assembler.timing.idleGraceMs;
  }

  /** Accounts and open account-windows held in memory. */
  get accountCount(): number { return this.assembler.accountCount; }
  get openWindowCount(): number { return this.assembler.openWindowCount; }

  push(event: UsageEvent): AggregatorPush {
    const { outcome, closed } = this.assembler.push(event);
    return { outcome, records: closed.length === 0 ? [] : toRecords(closed) };
  }

  /**
   * The stream as a whole (other partitions) has reached `time`: closes what that passes by
   * the idle grace, as if this aggregator had seen an event at `time`.
   */
  advanceStreamClock(time: number): AccountFeatures[] {
    return toRecords(this.assembler.advanceStreamClock(time));
  }

  /** End of input: closes every open window. */
  flush(): AccountFeatures[] {
    return toRecords(this.assembler.flush());
  }
}

/**
 * The records of closed windows, in their order. Each window's sketch block goes back to the
 * store as soon as its record is made, so the hour-close burst reuses the blocks it frees.
 */
function toRecords(closed: readonly ClosedWindow<AccountProfile, AccountWindow>[]): AccountFeatures[] {
  const records = new Array<AccountFeatures>(closed.length);
  for (let i = 0; i < closed.length; i++) {
    const c = closed[i]!;
    records[i] = extractFeatures(c.acc, c.account);
    c.acc.release();
  }
  return records;
}
