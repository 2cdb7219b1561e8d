// Aggregator: valid usage events in, one AccountFeatures record per closed account-window out.
// It is the window assembler driven with the feature accumulator; the streaming aggregator
// service runs it per partition, `detect` runs it over a file. Pure: no clock, no I/O.
import type { AccountFeatures, UsageEvent } from '../schemas.generated.ts';
import { WindowAssembler, type ClosedWindow, type PushOutcome, type WindowTiming } from '../windows/assembler.ts';
import { accountFeatures, extractFeatures } from '../features/extractFeatures.ts';
import type { AccountProfile } from '../features/accountProfile.ts';
import type { AccountWindow } from '../features/accountWindow.ts';

export interface AggregatorPush {
  outcome: PushOutcome;
  /** Records of the account-windows this event closed, in emission order. */
  records: AccountFeatures[];
}

export class Aggregator {
  private readonly assembler: WindowAssembler<AccountProfile, AccountWindow>;

  constructor(timing: Partial<WindowTiming> = {}) {
    this.assembler = new WindowAssembler(accountFeatures, timing);
  }

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

  /** End of input: closes every open window. */
  flush(): AccountFeatures[] {
    return this.assembler.flush().map(toRecord);
  }
}

const toRecord = (c: ClosedWindow<AccountProfile, AccountWindow>): AccountFeatures => extractFeatures(c.acc, c.account);
