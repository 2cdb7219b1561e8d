// Aggregator: valid usage events in, one AccountFeatures record per closed account-window out.
// It is the window assembler driven with the feature accumulator; the streaming aggregator
// service runs it per partition, `detect` runs it over a file. Pure: no clock, no I/O.
import type { AccountFeatures, UsageEvent } from '../schemas.generated.ts';
import {
  WindowAssembler, type AssemblerSnapshot, type ClosedWindow, type PushOutcome, type StateCodec, type WindowTiming,
} from '../windows/assembler.ts';
import { accountFeatures, extractFeatures } from '../features/extractFeatures.ts';
import { AccountProfile, type AccountProfileState } from '../features/accountProfile.ts';
import { AccountWindow, type AccountWindowState } from '../features/accountWindow.ts';

/** An aggregator's whole state as plain JSON, one entry per account (for the service's changelog). */
export type AggregatorSnapshot = AssemblerSnapshot<AccountProfileState, AccountWindowState>;

const FEATURE_STATE: StateCodec<AccountProfile, AccountWindow, AccountProfileState, AccountWindowState> = {
  encode: { account: (a) => a.toState(), window: (w) => w.toState() },
  decode: { account: (s) => AccountProfile.restore(s), window: (s) => AccountWindow.restore(s) },
};

export interface AggregatorPush {
  outcome: PushOutcome;
  /** Records of the account-windows this event closed, in emission order. */
  records: AccountFeatures[];
}

export class Aggregator {
  private readonly assembler: WindowAssembler<AccountProfile, AccountWindow>;

  constructor(timing: Partial<WindowTiming> = {}, assembler?: WindowAssembler<AccountProfile, AccountWindow>) {
    this.assembler = assembler ?? new WindowAssembler(accountFeatures, timing);
  }

  /** An aggregator continuing exactly from `snapshot` (taken with the same timing). */
  static restore(timing: Partial<WindowTiming>, snapshot: AggregatorSnapshot): Aggregator {
    return new Aggregator(timing, WindowAssembler.restore(accountFeatures, timing, snapshot, FEATURE_STATE.decode));
  }

  /** The whole state, or only the named accounts (those still held) with the clock. */
  snapshot(only?: Iterable<{ lab: string; accountId: string }>): AggregatorSnapshot {
    return this.assembler.snapshot(FEATURE_STATE.encode, only);
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
    return { outcome, records: closed.length === 0 ? [] : closed.map(toRecord) };
  }

  /**
   * The stream as a whole (other partitions) has reached `time`: closes what that passes by
   * the idle grace, as if this aggregator had seen an event at `time`.
   */
  advanceStreamClock(time: number): AccountFeatures[] {
    return this.assembler.advanceStreamClock(time).map(toRecord);
  }

  /** End of input: closes every open window. */
  flush(): AccountFeatures[] {
    return this.assembler.flush().map(toRecord);
  }
}

const toRecord = (c: ClosedWindow<AccountProfile, AccountWindow>): AccountFeatures => extractFeatures(c.acc, c.account);
