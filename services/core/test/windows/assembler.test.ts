import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WindowAssembler, DEFAULT_WINDOW_TIMING } from '../../src/windows/assembler.ts';
import type { ClosedWindow, PushOutcome, WindowAccumulator, WindowTiming } from '../../src/windows/assembler.ts';
import type { UsageEvent } from '../../src/schemas.generated.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// 2026-01-01T00:00:00Z, a multiple of an hour.
const T0 = 1_767_225_600_000;

/** Per account: how many windows it opened. Per window: the ids of its events, in order. */
interface AccountCount {
  lab: string;
  accountId: string;
  windowsOpened: number;
}
interface WindowIds {
  ids: string[];
}

function counting(opened: string[] = []): WindowAccumulator<AccountCount, WindowIds> {
  return {
    openAccount(lab, accountId) {
      opened.push(`${lab}/${accountId}`);
      return { lab, accountId, windowsOpened: 0 };
    },
    openWindow(account) {
      account.windowsOpened++;
      return { ids: [] };
    },
    add(window, event) {
      window.ids.push(event.event_id);
    },
  };
}

function event(account: string, id: string, time: number, lab = 'lab-a'): UsageEvent {
  return {
    event_id: id,
    event_time: time,
    lab,
    account_id: account,
    model: 'm',
    input_tokens: 1,
    output_tokens: 1,
    cost_usd: 0.01,
  };
}

type Closed = ClosedWindow<AccountCount, WindowIds>;

/** Closed windows as plain facts: account key, bounds and event ids. */
function summary(closed: readonly Closed[]): string[] {
  return closed.map((w) => `${w.lab}/${w.account_id} [${w.window_start - T0}, ${w.window_end - T0}) ${w.acc.ids.join(',')}`);
}

class Run {
  readonly assembler: WindowAssembler<AccountCount, WindowIds>;
  readonly closed: Closed[] = [];
  readonly outcomes: PushOutcome[] = [];
  readonly opened: string[] = [];

  constructor(timing: Partial<WindowTiming> = {}) {
    this.assembler = new WindowAssembler(counting(this.opened), timing);
  }

  push(...events: UsageEvent[]): this {
    for (const e of events) {
      const result = this.assembler.push(e);
      this.outcomes.push(result.outcome);
      this.closed.push(...result.closed);
    }
    return this;
  }

  flush(): this {
    this.closed.push(...this.assembler.flush());
    return this;
  }
}

describe('WindowAssembler', () => {
  it('uses the contract defaults: 1 h windows, 2 min lateness, 15 min idle grace', () => {
    expect(DEFAULT_WINDOW_TIMING).toMatchObject({ windowMs: HOUR, latenessMs: 2 * MIN, idleGraceMs: 15 * MIN });
    expect(new WindowAssembler(counting()).timing).toEqual(DEFAULT_WINDOW_TIMING);
  });

  describe('window boundaries', () => {
    it('puts events in windows aligned to multiples of the window length since the epoch', () => {
      const run = new Run().push(event('a', '1', T0 + 5 * MIN), event('a', '2', T0 + 59 * MIN)).flush();
      expect(summary(run.closed)).toEqual([`lab-a/a [0, ${HOUR}) 1,2`]);
    });

    it('puts an event exactly at a window end into the next window (half-open)', () => {
      const run = new Run().push(event('a', '1', T0 + HOUR - 1), event('a', '2', T0 + HOUR)).flush();
      expect(summary(run.closed)).toEqual([`lab-a/a [0, ${HOUR}) 1`, `lab-a/a [${HOUR}, ${2 * HOUR}) 2`]);
    });

    it('aligns windows before the epoch too', () => {
      const run = new Run({ windowMs: 1000 }).push(event('a', '1', -1)).flush();
      expect(run.closed.map((w) => [w.window_start, w.window_end])).toEqual([[-1000, 0]]);
    });

    it('honours a custom window length', () => {
      const run = new Run({ windowMs: 10 * MIN }).push(event('a', '1', T0 + 25 * MIN)).flush();
      expect(run.closed.map((w) => [w.window_start - T0, w.window_end - T0])).toEqual([[20 * MIN, 30 * MIN]]);
    });
  });

  describe('closing by the account’s own events', () => {
    it('closes a window once the account’s events pass its end by the lateness, not before', () => {
      const run = new Run().push(event('a', '1', T0 + 10 * MIN), event('a', '2', T0 + HOUR + 2 * MIN - 1));
      expect(run.closed).toEqual([]);
      run.push(event('a', '3', T0 + HOUR + 2 * MIN));
      expect(summary(run.closed)).toEqual([`lab-a/a [0, ${HOUR}) 1`]);
      expect(run.closed[0]!.account).toMatchObject({ lab: 'lab-a', accountId: 'a' });
    });

    it('still accepts an event within the lateness into the previous window while it is open', () => {
      const run = new Run().push(
        event('a', '1', T0 + 50 * MIN),
        event('a', '2', T0 + HOUR + MIN),
        event('a', '3', T0 + 59 * MIN), // 2 min behind the latest: exactly the allowed lateness
      );
      expect(run.outcomes).toEqual(['accepted', 'accepted', 'accepted']);
      run.flush();
      expect(summary(run.closed)).toEqual([`lab-a/a [0, ${HOUR}) 1,3`, `lab-a/a [${HOUR}, ${2 * HOUR}) 2`]);
    });
  });

  describe('late events', () => {
    it('rejects an event more than the lateness behind its account’s latest event as late', () => {
      const run = new Run().push(event('a', '1', T0 + 30 * MIN), event('a', '2', T0 + 28 * MIN - 1));
      expect(run.outcomes).toEqual(['accepted', 'late']);
      run.flush();
      expect(summary(run.closed)).toEqual([`lab-a/a [0, ${HOUR}) 1`]);
    });

    it('judges lateness per account, not against the stream', () => {
      const run = new Run().push(event('a', '1', T0 + 40 * MIN), event('b', '2', T0 + 30 * MIN));
      expect(run.outcomes).toEqual(['accepted', 'accepted']);
    });

    it('rejects an event for a window that the idle grace already closed as late', () => {
      const run = new Run().push(
        event('a', '1', T0 + 50 * MIN),
        event('b', '2', T0 + HOUR + 15 * MIN), // closes a's [0, 1h)
        event('a', '3', T0 + 55 * MIN), // within a's own lateness, but its window is final
      );
      expect(run.outcomes).toEqual(['accepted', 'accepted', 'late']);
    });

    it('rejects as late a first event of a new account for a window the stream already closed', () => {
      const run = new Run().push(
        event('a', '1', T0 + 50 * MIN),
        event('a', '2', T0 + HOUR + 16 * MIN), // the stream passes 1 h by the idle grace
        event('newcomer', '3', T0 + 30 * MIN),
        event('newcomer', '4', T0 + HOUR + 10 * MIN), // its next window is still open
      );
      expect(run.outcomes).toEqual(['accepted', 'accepted', 'late', 'accepted']);
    });
  });

  describe('closing by the idle grace', () => {
    it('closes a silent account’s window once the stream passes its end by the idle grace', () => {
      const run = new Run().push(event('silent', '1', T0 + 30 * MIN), event('busy', '2', T0 + HOUR + 15 * MIN - 1));
      expect(run.closed).toEqual([]);
      run.push(event('busy', '3', T0 + HOUR + 15 * MIN));
      expect(summary(run.closed)).toEqual([`lab-a/silent [0, ${HOUR}) 1`]);
    });

    it('emits the windows closed by one event ordered by window end, then account key', () => {
      const run = new Run({ windowMs: 10 * MIN, latenessMs: 0, idleGraceMs: 0 }).push(
        event('b', '1', T0 + 1 * MIN),
        event('a', '2', T0 + 2 * MIN),
        event('c', '3', T0 + 11 * MIN),
        event('a', '4', T0 + 12 * MIN, 'lab-0'),
        event('z', '5', T0 + 45 * MIN),
      );
      expect(run.closed.map((w) => [w.window_start - T0, `${w.lab}/${w.account_id}`])).toEqual([
        [0, 'lab-a/a'],
        [0, 'lab-a/b'],
        [10 * MIN, 'lab-0/a'],
        [10 * MIN, 'lab-a/c'],
      ]);
    });

    it('flushes the remaining windows at end of input in the same order', () => {
      const run = new Run()
        .push(event('b', '1', T0 + HOUR), event('a', '2', T0 + HOUR + MIN), event('c', '3', T0 + 10 * MIN, 'lab-b'))
        .flush();
      expect(run.closed.map((w) => `${w.window_end - T0} ${w.lab}/${w.account_id}`)).toEqual([
        `${HOUR} lab-b/c`,
        `${2 * HOUR} lab-a/a`,
        `${2 * HOUR} lab-a/b`,
      ]);
      expect(run.assembler.openWindowCount).toBe(0);
    });
  });

  describe('stream clock and far-future timestamps', () => {
    it('starts once two consecutive events agree, and follows the stream from there', () => {
      const run = new Run().push(event('a', '1', T0 + 10 * MIN));
      expect(run.assembler.streamClock).toBe(Number.NEGATIVE_INFINITY);
      run.push(event('b', '2', T0 + 12 * MIN), event('a', '3', T0 + 11 * MIN), event('b', '4', T0 + 40 * MIN));
      expect(run.assembler.streamClock).toBe(T0 + 40 * MIN);
    });

    it('does not let a single far-future timestamp move the stream clock', () => {
      const run = new Run().push(event('a', '1', T0 + 10 * MIN), event('a', '2', T0 + 11 * MIN), event('rogue', '3', T0 + 365 * DAY));
      expect(run.outcomes).toEqual(['accepted', 'accepted', 'accepted']);
      expect(run.assembler.streamClock).toBe(T0 + 11 * MIN);
      expect(run.closed).toEqual([]);
    });

    it('does not stall or corrupt detection for other accounts', () => {
      const run = new Run().push(
        event('a', '1', T0 + 10 * MIN),
        event('b', '2', T0 + 11 * MIN),
        event('rogue', '3', T0 + 20 * MIN),
        event('rogue', '4', T0 + 365 * DAY),
        event('a', '5', T0 + 30 * MIN),
        event('c', '6', T0 + HOUR + 20 * MIN), // the stream passes 1 h by the idle grace
      );
      expect(run.outcomes).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
      expect(summary(run.closed)).toEqual([
        `lab-a/rogue [0, ${HOUR}) 3`, // its own latest time jumped
        `lab-a/a [0, ${HOUR}) 1,5`,
        `lab-a/b [0, ${HOUR}) 2`,
      ]);
      run.flush();
      expect(summary(run.closed).slice(3)).toEqual([
        `lab-a/c [${HOUR}, ${2 * HOUR}) 6`,
        `lab-a/rogue [${365 * DAY}, ${365 * DAY + HOUR}) 4`,
      ]);
    });

    it('counts the far-future timestamp as its own account’s latest event, as the late rule says', () => {
      // The rogue's own window [0, 1h) closes as its latest time jumps; its later events are late.
      const run = new Run().push(
        event('rogue', '1', T0 + 20 * MIN),
        event('rogue', '2', T0 + 365 * DAY),
        event('rogue', '3', T0 + 25 * MIN),
      );
      expect(run.outcomes).toEqual(['accepted', 'accepted', 'late']);
      expect(summary(run.closed)).toEqual([`lab-a/rogue [0, ${HOUR}) 1`]);
    });

    it('follows a genuine gap in the stream once two consecutive events agree on the new time', () => {
      const run = new Run().push(
        event('a', '1', T0 + 10 * MIN),
        event('b', '2', T0 + 11 * MIN),
        event('a', '3', T0 + 5 * HOUR), // first after a 5 h silence: cannot be told from a bad clock
        event('c', '4', T0 + 5 * HOUR + MIN), // the next event confirms it
      );
      expect(run.outcomes).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
      expect(run.assembler.streamClock).toBe(T0 + 5 * HOUR + MIN);
      expect(summary(run.closed)).toEqual([`lab-a/a [0, ${HOUR}) 1`, `lab-a/b [0, ${HOUR}) 2`]);
    });

    it('loses nothing from a sparse stream: one account calling every few hours', () => {
      const run = new Run().push(event('a', '1', T0), event('a', '2', T0 + 3 * HOUR), event('a', '3', T0 + 9 * HOUR)).flush();
      expect(run.outcomes).toEqual(['accepted', 'accepted', 'accepted']);
      expect(summary(run.closed)).toEqual([
        `lab-a/a [0, ${HOUR}) 1`,
        `lab-a/a [${3 * HOUR}, ${4 * HOUR}) 2`,
        `lab-a/a [${9 * HOUR}, ${10 * HOUR}) 3`,
      ]);
    });

    it('is not moved by far-future timestamps separated by normal traffic', () => {
      const run = new Run().push(
        event('a', '1', T0),
        event('a', '2', T0 + MIN),
        event('rogue', '3', T0 + 100 * DAY),
        event('a', '4', T0 + 2 * MIN),
        event('other', '5', T0 + 100 * DAY),
      );
      expect(run.assembler.streamClock).toBe(T0 + 2 * MIN);
    });

    it('honours a custom clock skew', () => {
      const run = new Run({ maxClockSkewMs: 10 * MIN }).push(event('a', '1', T0), event('b', '2', T0 + MIN), event('c', '3', T0 + 12 * MIN));
      expect(run.assembler.streamClock).toBe(T0 + MIN);
    });
  });

  describe('duplicates', () => {
    it('drops a repeated (lab, event_id) while its window is open, whatever the account', () => {
      const run = new Run()
        .push(event('a', 'x', T0 + MIN), event('a', 'x', T0 + 2 * MIN), event('b', 'x', T0 + 3 * MIN))
        .flush();
      expect(run.outcomes).toEqual(['accepted', 'duplicate', 'duplicate']);
      expect(summary(run.closed)).toEqual([`lab-a/a [0, ${HOUR}) x`]);
    });

    it('treats the same event_id at another lab as another event', () => {
      const run = new Run().push(event('a', 'x', T0 + MIN), event('a', 'x', T0 + MIN, 'lab-b'));
      expect(run.outcomes).toEqual(['accepted', 'accepted']);
    });

    it('does not let a duplicate move the account or the stream', () => {
      const run = new Run().push(
        event('a', 'w', T0),
        event('a', 'x', T0 + MIN),
        event('a', 'x', T0 + 3 * HOUR),
        event('a', 'y', T0 + 2 * MIN),
      );
      expect(run.outcomes).toEqual(['accepted', 'accepted', 'duplicate', 'accepted']);
      expect(run.assembler.streamClock).toBe(T0 + 2 * MIN);
    });

    it('forgets event ids when their window closes (bounded memory)', () => {
      const run = new Run().push(event('a', 'x', T0 + MIN), event('a', 'y', T0 + 10 * MIN));
      expect(run.assembler.rememberedEventIds).toBe(2);
      run.push(event('a', 'z', T0 + HOUR + 5 * MIN));
      expect(run.assembler.rememberedEventIds).toBe(1);
      // The same id again, in a later open window: no longer remembered, so it counts.
      run.push(event('a', 'x', T0 + HOUR + 6 * MIN));
      expect(run.outcomes.at(-1)).toBe('accepted');
      run.flush();
      expect(run.assembler.rememberedEventIds).toBe(0);
    });
  });

  describe('per-account state', () => {
    it('opens each account once and hands its state to every window', () => {
      const run = new Run().push(event('a', '1', T0), event('a', '2', T0 + HOUR + 5 * MIN), event('b', '3', T0 + HOUR + 6 * MIN)).flush();
      expect(run.opened).toEqual(['lab-a/a', 'lab-a/b']);
      const windowsOfA = run.closed.filter((w) => w.account_id === 'a');
      expect(windowsOfA.map((w) => w.account)).toEqual([windowsOfA[0]!.account, windowsOfA[0]!.account]);
      expect(windowsOfA[0]!.account.windowsOpened).toBe(2);
    });

    it('keeps accounts apart by lab: ids are only unique within a lab', () => {
      const run = new Run().push(event('a', '1', T0), event('a', '2', T0, 'lab-b')).flush();
      expect(run.opened).toEqual(['lab-a/a', 'lab-b/a']);
      expect(run.closed).toHaveLength(2);
    });

    it('forgets an account idle for the retention period, and starts it afresh when it returns', () => {
      const run = new Run({ accountRetentionMs: 2 * DAY });
      run.push(event('quiet', '1', T0), event('busy', '2', T0 + MIN));
      expect(run.assembler.streamClock).toBe(T0 + MIN);
      for (let h = 1; h <= 48; h++) run.push(event('busy', `b${h}`, T0 + h * HOUR));
      expect(run.assembler.accountCount).toBe(2);
      run.push(event('busy', 'b49', T0 + 49 * HOUR));
      expect(run.assembler.accountCount).toBe(1);
      run.push(event('quiet', '3', T0 + 49 * HOUR + MIN));
      expect(run.opened).toEqual(['lab-a/quiet', 'lab-a/busy', 'lab-a/quiet']);
    });
  });

  it('refuses nonsensical timing', () => {
    expect(() => new WindowAssembler(counting(), { windowMs: 0 })).toThrow(RangeError);
    expect(() => new WindowAssembler(counting(), { latenessMs: -1 })).toThrow(RangeError);
    expect(() => new WindowAssembler(counting(), { idleGraceMs: 1.5 })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

interface Generated {
  /** Per account: its events in its own arrival order. */
  accounts: UsageEvent[][];
  /** Choices that drive one interleaving. */
  choices: number[];
}

const accountStreams = fc
  .array(
    fc.record({
      lab: fc.constantFrom('lab-a', 'lab-b'),
      steps: fc.array(
        fc.record({
          advance: fc.integer({ min: 0, max: 20 * MIN }),
          // Up to 3 min behind the account's nominal time: some events are late (lateness 2 min).
          jitter: fc.integer({ min: 0, max: 3 * MIN }),
          // A client retry: the previous event again, same id and time.
          retry: fc.boolean(),
        }),
        { minLength: 1, maxLength: 30 },
      ),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((specs) =>
    specs.map(({ lab, steps }, a) => {
      let nominal = T0;
      const events: (UsageEvent & { nominal: number })[] = [];
      steps.forEach((s, i) => {
        const previous = events.at(-1);
        if (s.retry && previous !== undefined) {
          events.push({ ...previous });
          return;
        }
        nominal += s.advance;
        events.push({ ...event(`acct${a}`, `acct${a}-${i}`, nominal - s.jitter, lab), nominal });
      });
      return events;
    }),
  );

const interleaving = fc.array(fc.nat(), { maxLength: 200 });

/**
 * Merges the accounts' streams keeping each account's order, choosing freely among accounts
 * whose next event is no more than 5 min of nominal time ahead of the earliest next event:
 * so no event arrives more than the idle grace behind the stream clock.
 */
function interleave(accounts: (UsageEvent & { nominal: number })[][], choices: number[]): UsageEvent[] {
  const heads = accounts.map(() => 0);
  const out: UsageEvent[] = [];
  let c = 0;
  for (;;) {
    const live = accounts.map((_, a) => a).filter((a) => heads[a]! < accounts[a]!.length);
    if (live.length === 0) return out;
    const minNominal = Math.min(...live.map((a) => accounts[a]![heads[a]!]!.nominal));
    const eligible = live.filter((a) => accounts[a]![heads[a]!]!.nominal <= minNominal + 5 * MIN);
    const pick = eligible[(choices[c++] ?? 0) % eligible.length]!;
    out.push(accounts[pick]![heads[pick]!++]!);
  }
}

function runAll(events: UsageEvent[]): { windows: string[]; outcomes: Map<string, PushOutcome[]> } {
  const run = new Run({ maxClockSkewMs: 30 * DAY });
  const outcomes = new Map<string, PushOutcome[]>();
  for (const e of events) {
    run.push(e);
    const key = `${e.lab}/${e.account_id}`;
    outcomes.set(key, [...(outcomes.get(key) ?? []), run.outcomes.at(-1)!]);
  }
  run.flush();
  return { windows: summary(run.closed).sort(), outcomes };
}

describe('WindowAssembler properties', () => {
  it('closes the same windows with the same events for any interleaving that keeps each account’s order', () => {
    fc.assert(
      fc.property(accountStreams, interleaving, interleaving, (accounts, choicesA, choicesB) => {
        const a = runAll(interleave(accounts, choicesA));
        const b = runAll(interleave(accounts, choicesB));
        expect(b.windows).toEqual(a.windows);
        expect(new Map([...b.outcomes].sort())).toEqual(new Map([...a.outcomes].sort()));
      }),
      { numRuns: 300 },
    );
  });

  it('closes the same windows for everyone else when one far-future timestamp is slipped in anywhere', () => {
    const rogueTime = fc.integer({ min: 2 * DAY, max: 3650 * DAY });
    fc.assert(
      fc.property(accountStreams, interleaving, fc.nat(), rogueTime, (accounts, choices, at, ahead) => {
        const events = interleave(accounts, choices);
        const withRogue = [...events];
        withRogue.splice(at % (events.length + 1), 0, event('rogue', 'r', T0 + ahead, 'lab-z'));
        const honest = (windows: string[]) => windows.filter((w) => !w.startsWith('lab-z/'));
        const plain = new Run().push(...events).flush();
        const disturbed = new Run().push(...withRogue).flush();
        expect(honest(summary(disturbed.closed))).toEqual(summary(plain.closed));
      }),
      { numRuns: 300 },
    );
  });

  it('gives each accepted event to exactly one closed window that contains its time', () => {
    fc.assert(
      fc.property(accountStreams, interleaving, (accounts, choices) => {
        const events = interleave(accounts, choices);
        const run = new Run().push(...events).flush();
        const accepted = events.filter((_, i) => run.outcomes[i] === 'accepted');
        const placed = run.closed.flatMap((w) => w.acc.ids.map((id) => `${w.lab}/${w.account_id} ${w.window_start} ${id}`));
        const expected = accepted.map((e) => `${e.lab}/${e.account_id} ${e.event_time - (e.event_time % HOUR)} ${e.event_id}`);
        expect(placed.sort()).toEqual(expected.sort());
        for (const w of run.closed) expect(w.window_end - w.window_start).toBe(HOUR);
        expect(new Set(placed).size).toBe(placed.length);
        expect(run.assembler.openWindowCount).toBe(0);
        expect(run.assembler.rememberedEventIds).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
