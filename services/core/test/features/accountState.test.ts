import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountProfile } from '../../src/features/accountProfile.ts';
import { AccountWindow } from '../../src/features/accountWindow.ts';
import { extractFeatures } from '../../src/features/extractFeatures.ts';
import { closeWindow, event, harvestQuestion, HOUR, hourOf, newAccount, T0 } from './traffic.ts';

const traffic = (n: number) => hourOf(n, (i) => ({
  prompt_text: i % 5 === 0 ? null : harvestQuestion(i % 7), prompt_simhash: i % 5 === 0 ? 'fedcba9876543210' : null,
  topic: i % 4 === 0 ? null : `topic-${i % 40}`, api_key_id: `k${i % 3}`, ip_prefix: `10.0.${i % 12}.0/24`,
  user_agent: 'sdk/2', payment_fingerprint: `pf-${i % 10}`, n: (i % 3) + 1, status: i % 9 === 0 ? 500 : 200,
}), T0 + HOUR);

const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('account state snapshots', () => {
  it('restores an open window from JSON so that it continues exactly where it stopped', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 119 }), (cut) => {
      const events = traffic(120);
      const history = newAccount();
      closeWindow(history, hourOf(10, (i) => ({ topic: `topic-${i}`, cost_usd: 3 })));

      const uninterrupted = new AccountWindow(T0 + HOUR, T0 + 2 * HOUR);
      for (const e of events) uninterrupted.add(e);

      const before = new AccountWindow(T0 + HOUR, T0 + 2 * HOUR);
      for (const e of events.slice(0, cut)) before.add(e);
      const resumed = AccountWindow.restore(viaJson(before.toState()));
      for (const e of events.slice(cut)) resumed.add(e);

      const restoredHistory = AccountProfile.restore(viaJson(history.toState()));
      expect(extractFeatures(resumed, restoredHistory)).toEqual(extractFeatures(uninterrupted, history));
    }), { numRuns: 25 });
  });

  it('restores a fresh profile and a window with no events', () => {
    const profile = AccountProfile.restore(viaJson(newAccount('lab-z', 'a').toState()));
    expect(profile.lab).toBe('lab-z');
    const window = AccountWindow.restore(viaJson(new AccountWindow(T0, T0 + HOUR).toState()));
    window.add(event({ event_time: T0 + 10 }));
    expect(extractFeatures(window, profile).first_event_time).toBe(T0 + 10);
  });

  it('refuses a snapshot of another layout', () => {
    const state = new AccountWindow(T0, T0 + HOUR).toState();
    expect(() => AccountWindow.restore({ ...state, sketches: state.sketches.slice(1) })).toThrow(RangeError);
    expect(() => AccountProfile.restore({ ...newAccount().toState(), state: [1, 2, 3] })).toThrow(RangeError);
  });
});
