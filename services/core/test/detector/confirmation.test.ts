import { describe, expect, it } from 'vitest';
import { ConfirmationGate } from '../../src/detector/confirmation.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2);
const at = (hours: number) => T0 + hours * HOUR;

describe('ConfirmationGate', () => {
  it('confirms a campaign (one window needed) on its first window above the threshold', () => {
    expect(new ConfirmationGate().confirm('campaign-1', at(1), 1, 50)).toBe(true);
  });

  it('confirms an account on its second window above the threshold within the span', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('lab-a/acct-1', at(1), 2, 50)).toBe(false);
    expect(gate.confirm('lab-a/acct-1', at(3), 2, 50)).toBe(true);
    expect(gate.confirm('lab-a/acct-1', at(4), 2, 50)).toBe(true);
  });

  it('does not confirm windows further apart than the span (12 h by default)', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('lab-a/acct-1', at(1), 2, 50)).toBe(false);
    expect(gate.confirm('lab-a/acct-1', at(13), 2, 50)).toBe(false);
    expect(gate.confirm('lab-a/acct-1', at(24), 2, 50)).toBe(true);
  });

  it('waits for more windows while those above the threshold hold fewer requests than minRequests', () => {
    const gate = new ConfirmationGate();
    // A light account: 6 requests a window, 24 needed: the fourth window confirms it.
    expect([1, 2, 3, 4].map((h) => gate.confirm('lab-a/light', at(h), 2, 6))).toEqual([false, false, false, true]);
    // A busy one: two windows are enough.
    expect([1, 2].map((h) => gate.confirm('lab-a/busy', at(h), 2, 500))).toEqual([false, true]);
    // Requests that left the span no longer count.
    const sparse = new ConfirmationGate();
    expect([0, 7, 14, 21].map((h) => sparse.confirm('lab-a/sparse', at(h), 2, 10))).toEqual([false, false, false, false]);
    // A campaign needs one window and no requests.
    expect(new ConfirmationGate().confirm('campaign-1', at(1), 1, 0)).toBe(true);
  });

  it('restores its requests, and reads a state that listed only window ends', () => {
    const gate = new ConfirmationGate();
    gate.confirm('lab-a/acct-1', at(1), 2, 20);
    const restored = ConfirmationGate.fromJSON(JSON.parse(JSON.stringify(gate.toJSON())));
    expect(restored.toJSON()).toEqual({ 'lab-a/acct-1': [[at(1), 20]] });
    expect(restored.confirm('lab-a/acct-1', at(2), 2, 4)).toBe(true);
    const old = ConfirmationGate.fromJSON({ 'lab-a/acct-1': [at(1)] });
    expect(old.toJSON()).toEqual({ 'lab-a/acct-1': [[at(1), 0]] });
    expect(old.confirm('lab-a/acct-1', at(2), 2, 24)).toBe(true);
  });

  it('keeps each subject apart', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('lab-a/acct-1', at(1), 2, 50)).toBe(false);
    expect(gate.confirm('lab-b/acct-1', at(2), 2, 50)).toBe(false);
  });

  it('honours the windows and span it is given', () => {
    const gate = new ConfirmationGate({ windows: 3, spanMs: 2 * HOUR });
    expect(gate.options).toEqual({ windows: 3, spanMs: 2 * HOUR, minRequests: 24 });
    expect(gate.confirm('s', at(1), 3, 50)).toBe(false);
    expect(gate.confirm('s', at(2), 3, 50)).toBe(false);
    expect(gate.confirm('s', at(3), 3, 50)).toBe(false);
    expect(gate.confirm('s', at(3.5), 3, 50)).toBe(true);
  });

  it('forgets a subject whose last window above the threshold left the span', () => {
    const gate = new ConfirmationGate();
    gate.confirm('lab-a/acct-1', at(1), 2, 50);
    gate.expire(at(13));
    expect(gate.confirm('lab-a/acct-1', at(12.5), 2, 50)).toBe(false);
    const kept = new ConfirmationGate();
    kept.confirm('lab-a/acct-1', at(1), 2, 50);
    kept.expire(at(12.5));
    expect(kept.confirm('lab-a/acct-1', at(12.5), 2, 50)).toBe(true);
  });
});
