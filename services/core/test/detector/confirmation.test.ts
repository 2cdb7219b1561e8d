import { describe, expect, it } from 'vitest';
import { ConfirmationGate } from '../../src/detector/confirmation.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2);
const at = (hours: number) => T0 + hours * HOUR;

describe('ConfirmationGate', () => {
  it('confirms a busy window far above the threshold at once, and only a busy one', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('campaign-1', at(1), 50, 0.04)).toBe(true);
    expect(gate.confirm('lab-a/acct-1', at(1), 24, 0.1)).toBe(true);
    // Far above, but a handful of requests: waits like any other window.
    expect(gate.confirm('lab-a/light', at(1), 23, 0.2)).toBe(false);
    // Busy, but just above the threshold: needs its second window.
    expect(gate.confirm('lab-a/acct-2', at(1), 500, 0.039)).toBe(false);
    expect(gate.confirm('lab-a/acct-2', at(2), 500, 0.001)).toBe(true);
    // A margin of 1 or more turns the fast path off (scores lie in (0, 1)).
    expect(new ConfirmationGate({ oneWindowMargin: 1 }).confirm('lab-a/acct-3', at(1), 500, 0.4)).toBe(false);
  });

  it('confirms a campaign like an account: linking alone is no corroboration', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('campaign-1', at(1), 500, 0.01)).toBe(false);
    expect(gate.confirm('campaign-1', at(2), 500, 0.01)).toBe(true);
  });

  it('confirms an account on its second window above the threshold within the span', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('lab-a/acct-1', at(1), 50, 0)).toBe(false);
    expect(gate.confirm('lab-a/acct-1', at(3), 50, 0)).toBe(true);
    expect(gate.confirm('lab-a/acct-1', at(4), 50, 0)).toBe(true);
  });

  it('does not confirm windows further apart than the span (12 h by default)', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('lab-a/acct-1', at(1), 50, 0)).toBe(false);
    expect(gate.confirm('lab-a/acct-1', at(13), 50, 0)).toBe(false);
    expect(gate.confirm('lab-a/acct-1', at(24), 50, 0)).toBe(true);
  });

  it('waits for more windows while those above the threshold hold fewer requests than minRequests', () => {
    const gate = new ConfirmationGate();
    // A light account: 6 requests a window, 24 needed: the fourth window confirms it.
    expect([1, 2, 3, 4].map((h) => gate.confirm('lab-a/light', at(h), 6, 0))).toEqual([false, false, false, true]);
    // A busy one: two windows are enough.
    expect([1, 2].map((h) => gate.confirm('lab-a/busy', at(h), 500, 0))).toEqual([false, true]);
    // Requests that left the span no longer count.
    const sparse = new ConfirmationGate();
    expect([0, 7, 14, 21].map((h) => sparse.confirm('lab-a/sparse', at(h), 10, 0))).toEqual([false, false, false, false]);
  });

  it('restores its requests, and reads a state that listed only window ends', () => {
    const gate = new ConfirmationGate();
    gate.confirm('lab-a/acct-1', at(1), 20, 0);
    const restored = ConfirmationGate.fromJSON(JSON.parse(JSON.stringify(gate.toJSON())));
    expect(restored.toJSON()).toEqual({ 'lab-a/acct-1': [[at(1), 20]] });
    expect(restored.confirm('lab-a/acct-1', at(2), 4, 0)).toBe(true);
    const old = ConfirmationGate.fromJSON({ 'lab-a/acct-1': [at(1)] });
    expect(old.toJSON()).toEqual({ 'lab-a/acct-1': [[at(1), 0]] });
    expect(old.confirm('lab-a/acct-1', at(2), 24, 0)).toBe(true);
  });

  it('keeps each subject apart', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('lab-a/acct-1', at(1), 50, 0)).toBe(false);
    expect(gate.confirm('lab-b/acct-1', at(2), 50, 0)).toBe(false);
  });

  it('honours the windows and span it is given', () => {
    const gate = new ConfirmationGate({ windows: 3, spanMs: 2 * HOUR });
    expect(gate.options).toEqual({ windows: 3, spanMs: 2 * HOUR, minRequests: 24, oneWindowMargin: 0.04 });
    expect(gate.confirm('s', at(1), 50, 0)).toBe(false);
    expect(gate.confirm('s', at(2), 50, 0)).toBe(false);
    expect(gate.confirm('s', at(3), 50, 0)).toBe(false);
    expect(gate.confirm('s', at(3.5), 50, 0)).toBe(true);
  });

  it('forgets a subject whose last window above the threshold left the span', () => {
    const gate = new ConfirmationGate();
    gate.confirm('lab-a/acct-1', at(1), 50, 0);
    gate.expire(at(13));
    expect(gate.confirm('lab-a/acct-1', at(12.5), 50, 0)).toBe(false);
    const kept = new ConfirmationGate();
    kept.confirm('lab-a/acct-1', at(1), 50, 0);
    kept.expire(at(12.5));
    expect(kept.confirm('lab-a/acct-1', at(12.5), 50, 0)).toBe(true);
  });
});
