// Snapshot and restore of the window assembler, and moving its clock without an event: what the
// aggregator service needs to changelog a partition's windows and to close a quiet partition's
// windows when the rest of the stream moves on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WindowAssembler } from '../../src/windows/assembler.ts';
import type { ClosedWindow, StateCodec, WindowAccumulator } from '../../src/windows/assembler.ts';
import type { UsageEvent } from '../../src/schemas.generated.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = 1_767_225_600_000;

interface Ids { ids: string[] }
interface Opened { windows: number }

const accumulator: WindowAccumulator<Opened, Ids> = {
  openAccount: () => ({ windows: 0 }),
  openWindow: (account) => { account.windows++; return { ids: [] }; },
  add: (window, event) => { window.ids.push(event.event_id); },
};

const codec: StateCodec<Opened, Ids, Opened, Ids> = {
  encode: { account: (a) => ({ ...a }), window: (w) => ({ ids: [...w.ids] }) },
  decode: { account: (s) => ({ ...s }), window: (s) => ({ ids: [...s.ids] }) },
};

const event = (account: string, id: string, time: number): UsageEvent => ({
  event_id: id, event_time: time, lab: 'lab-a', account_id: account, model: 'm', input_tokens: 1, output_tokens: 1, cost_usd: 0.01,
});

const facts = (closed: readonly ClosedWindow<Opened, Ids>[]) =>
  closed.map((w) => `${w.account_id} ${w.window_end - T0} #${w.account.windows} ${w.acc.ids.join(',')}`);

/** Events of a few accounts, mostly in order, with small jitter, duplicates and the odd late one. */
const streams = fc.array(
  fc.record({ account: fc.constantFrom('a', 'b', 'c', 'd'), step: fc.integer({ min: 0, max: 20 * MIN }), jitter: fc.integer({ min: -5 * MIN, max: 0 }), dup: fc.boolean() }),
  { minLength: 1, maxLength: 120 },
).map((steps) => {
  let t = T0;
  return steps.map((s, i) => {
    t += s.step;
    return event(s.account, s.dup && i > 0 ? `e${i - 1}` : `e${i}`, t + s.jitter);
  });
});

describe('WindowAssembler snapshot', () => {
  it('continues after a JSON round trip exactly as if it had never stopped', () => {
    fc.assert(fc.property(streams, fc.nat(), (events, cut) => {
      const at = cut % (events.length + 1);
      const run = (assembler: WindowAssembler<Opened, Ids>, list: UsageEvent[]) =>
        list.flatMap((e) => { const r = assembler.push(e); return [r.outcome, ...facts(r.closed)]; });
      const uninterrupted = new WindowAssembler(accumulator, {});
      const reference = [...run(uninterrupted, events), ...facts(uninterrupted.flush())];

      const first = new WindowAssembler(accumulator, {});
      const before = run(first, events.slice(0, at));
      const saved = JSON.parse(JSON.stringify(first.snapshot(codec.encode)));
      const second = WindowAssembler.restore(accumulator, {}, saved, codec.decode);
      const after = [...run(second, events.slice(at)), ...facts(second.flush())];
      expect([...before, ...after]).toEqual(reference);
      expect(second.streamClock).toBe(uninterrupted.streamClock);
    }), { numRuns: 200 });
  });

  it('keeps remembering the event ids of open windows, so a duplicate after a restore is still dropped', () => {
    const a = new WindowAssembler(accumulator, {});
    a.push(event('a', 'e1', T0 + MIN));
    const b = WindowAssembler.restore(accumulator, {}, JSON.parse(JSON.stringify(a.snapshot(codec.encode))), codec.decode);
    expect(b.push(event('a', 'e1', T0 + 2 * MIN)).outcome).toBe('duplicate');
    expect(b.openWindowCount).toBe(1);
    expect(b.rememberedEventIds).toBe(1);
  });
});

describe('WindowAssembler.advanceStreamClock', () => {
  it('closes a silent account\'s window once the stream elsewhere has passed its end by the idle grace', () => {
    const a = new WindowAssembler(accumulator, {});
    a.push(event('a', 'e1', T0 + MIN));
    a.push(event('a', 'e2', T0 + 2 * MIN));
    expect(a.advanceStreamClock(T0 + HOUR + 14 * MIN)).toEqual([]);
    const closed = a.advanceStreamClock(T0 + HOUR + 15 * MIN);
    expect(facts(closed)).toEqual(['a 3600000 #1 e1,e2']);
    expect(a.streamClock).toBe(T0 + HOUR + 15 * MIN);
  });

  it('never moves the clock backwards', () => {
    const a = new WindowAssembler(accumulator, {});
    a.push(event('a', 'e1', T0 + 10 * MIN));
    a.push(event('a', 'e2', T0 + 11 * MIN));
    expect(a.advanceStreamClock(T0)).toEqual([]);
    expect(a.streamClock).toBe(T0 + 11 * MIN);
  });

  it('closes the same windows as an event at that time would have', () => {
    const viaEvent = new WindowAssembler(accumulator, {});
    const viaAdvance = new WindowAssembler(accumulator, {});
    for (const x of [viaEvent, viaAdvance]) {
      x.push(event('a', 'e1', T0 + MIN));
      x.push(event('b', 'e2', T0 + 2 * MIN));
    }
    // Two events agree on the jump (one alone far ahead does not move the clock).
    const later = T0 + 2 * HOUR;
    viaEvent.push(event('z', 'e3', later));
    const byEvent = facts(viaEvent.push(event('z', 'e4', later)).closed);
    expect(byEvent).toHaveLength(2);
    expect(facts(viaAdvance.advanceStreamClock(later))).toEqual(byEvent);
  });
});

describe('WindowAssembler partial snapshot', () => {
  it('holds only the named accounts that are still held, with the same entries as a full snapshot', () => {
    const a = new WindowAssembler(accumulator, {});
    a.push(event('a', 'e1', T0 + MIN));
    a.push(event('b', 'e2', T0 + 2 * MIN));
    const full = a.snapshot(codec.encode);
    const partial = a.snapshot(codec.encode, [{ lab: 'lab-a', accountId: 'b' }, { lab: 'lab-a', accountId: 'gone' }]);
    expect(partial.accounts).toEqual(full.accounts.filter((x) => x.accountId === 'b'));
    expect([partial.clock, partial.aheadTime, partial.sweptAt]).toEqual([full.clock, full.aheadTime, full.sweptAt]);
  });
});
