import { describe, expect, it } from 'vitest';
import { closeWindow, event, featuresOf, newAccount, T0 } from './traffic.ts';

describe('identity features', () => {
  it('lists payment fingerprints and ip_prefix|user_agent pairs sorted and distinct', () => {
    const record = closeWindow(newAccount(), [
      event({ ip_prefix: '203.0.113.0/24', user_agent: 'curl/8', payment_fingerprint: 'pf-b' }),
      event({ event_time: T0 + 1, ip_prefix: '198.51.100.0/24', user_agent: 'curl/8', payment_fingerprint: 'pf-a' }),
      event({ event_time: T0 + 2, ip_prefix: '203.0.113.0/24', user_agent: 'curl/8', payment_fingerprint: 'pf-b' }),
      event({ event_time: T0 + 3, ip_prefix: '192.0.2.0/24' }),
    ]);
    expect(record.payment_fingerprints).toEqual(['pf-a', 'pf-b']);
    // A prefix without a user agent is too weak a link on its own (shared NATs): not listed.
    expect(record.network_agents).toEqual(['198.51.100.0/24|curl/8', '203.0.113.0/24|curl/8']);
  });

  it('keeps the 8 smallest of many, so arrival order cannot change the list', () => {
    const cards = Array.from({ length: 20 }, (_, i) => `pf-${String(i).padStart(2, '0')}`);
    const forward = closeWindow(newAccount(), cards.map((c, i) => event({ event_time: T0 + i, payment_fingerprint: c })));
    const backward = closeWindow(newAccount(), [...cards].reverse().map((c, i) => event({ event_time: T0 + i, payment_fingerprint: c })));
    expect(forward.payment_fingerprints).toEqual(cards.slice(0, 8));
    expect(backward.payment_fingerprints).toEqual(cards.slice(0, 8));
  });
});
