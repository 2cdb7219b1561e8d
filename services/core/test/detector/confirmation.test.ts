import { describe, expect, it } from 'vitest';
import { ConfirmationGate } from '../../src/detector/confirmation.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2);
const at = (hours: number) => T0 + hours * HOUR;

describe('ConfirmationGate', () => {
  it('confirms a campaign (one window needed) on its first window above the threshold', () => {
    expect(new ConfirmationGate().confirm('campaign-1', at(1), 1)).toBe(true);
  });

  it('confirms an account on its second window above the threshold within the span', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('lab-a/acct-1', at(1), 2)).toBe(false);
    expect(gate.confirm('lab-a/acct-1', at(3), 2)).toBe(true);
    expect(gate.confirm('lab-a/acct-1', at(4), 2)).toBe(true);
  });

  it('does not confirm windows further apart than the span (12 h by default)', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('lab-a/acct-1', at(1), 2)).toBe(false);
    expect(gate.confirm('lab-a/acct-1', at(13), 2)).toBe(false);
    expect(gate.confirm('lab-a/acct-1', at(24), 2)).toBe(true);
  });

  it('keeps each subject apart', () => {
    const gate = new ConfirmationGate();
    expect(gate.confirm('lab-a/acct-1', at(1), 2)).toBe(false);
    expect(gate.confirm('lab-b/acct-1', at(2), 2)).toBe(false);
  });

  it('honours the windows and span it is given', () => {
    const gate = new ConfirmationGate({ windows: 3, spanMs: 2 * HOUR });
    expect(gate.options).toEqual({ windows: 3, spanMs: 2 * HOUR });
    expect(gate.confirm('s', at(1), 3)).toBe(false);
    expect(gate.confirm('s', at(2), 3)).toBe(false);
    expect(gate.confirm('s', at(3), 3)).toBe(false);
    expect(gate.confirm('s', at(3.5), 3)).toBe(true);
  });

  it('forgets a subject whose last window above the threshold left the span', () => {
    const gate = new ConfirmationGate();
    gate.confirm('lab-a/acct-1', at(1), 2);
    gate.expire(at(13));
    expect(gate.confirm('lab-a/acct-1', at(12.5), 2)).toBe(false);
    const kept = new ConfirmationGate();
    kept.confirm('lab-a/acct-1', at(1), 2);
    kept.expire(at(12.5));
    expect(kept.confirm('lab-a/acct-1', at(12.5), 2)).toBe(true);
  });
});
