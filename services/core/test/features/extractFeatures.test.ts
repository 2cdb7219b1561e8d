import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, REGISTRY } from '../../src/features/registry.ts';
import type { UsageEvent } from '../../src/schemas.generated.ts';
import { closeWindow, DAY, detectFeatures, event, harvestQuestion, HOUR, hourOf, newAccount, T0 } from './traffic.ts';

const SHARES = REGISTRY.account.filter((f) => f.doc.scale === 'share' || f.doc.scale === 'unit').map((f) => f.name);

const anyEvent = fc.record({
  offset: fc.integer({ min: 0, max: HOUR - 1 }),
  input_tokens: fc.nat({ max: 100_000 }),
  output_tokens: fc.nat({ max: 100_000 }),
  cost_usd: fc.double({ min: 0, max: 50, noNaN: true }),
  prompt_text: fc.option(fc.string({ maxLength: 120 })),
  prompt_simhash: fc.option(fc.stringMatching(/^[0-9a-f]{16}$/)),
  topic: fc.option(fc.constantFrom('math', 'code', 'law')),
  n: fc.option(fc.integer({ min: 1, max: 8 })),
  top_logprobs: fc.option(fc.integer({ min: 0, max: 20 })),
  max_tokens: fc.option(fc.integer({ min: 1, max: 100_000 })),
  status: fc.option(fc.constantFrom(200, 400, 429, 500)),
  api_key_id: fc.option(fc.constantFrom('k1', 'k2')),
  payment_fingerprint: fc.option(fc.constantFrom('pf-1', 'pf-2')),
});

describe('extractFeatures', () => {
  it('writes the registry\'s account features, each once, in registry order', () => {
    expect(FEATURE_NAMES).toEqual(REGISTRY.all.filter((f) => f.kind === 'account').map((f) => f.name));
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
  });

  it('writes every feature, in FEATURE_NAMES order, finite, with shares in [0, 1] and log features ≥ 0, for any traffic', () => {
    fc.assert(fc.property(fc.array(anyEvent, { minLength: 1, maxLength: 40 }), (drafts) => {
      const events = drafts.map((d) => event({ ...d, event_time: T0 + d.offset }));
      const { features } = closeWindow(newAccount(), events);
      expect(Object.keys(features)).toEqual(FEATURE_NAMES);
      for (const name of FEATURE_NAMES) expect(Number.isFinite(features[name])).toBe(true);
      for (const name of SHARES) {
        expect(features[name]).toBeGreaterThanOrEqual(0);
        expect(features[name]).toBeLessThanOrEqual(1);
      }
      for (const name of REGISTRY.account.filter((f) => f.doc.scale === 'log1p').map((f) => f.name)) expect(features[name]).toBeGreaterThanOrEqual(0);
    }), { numRuns: 60 });
  });

  it('fills the record from the window and the profile', () => {
    const record = closeWindow(newAccount('lab-b', 'acct-9'), [
      event({ event_time: T0 + 5, cost_usd: 1.25, payment_fingerprint: 'pf-1', system_prompt_hash: 'sys', prompt_text: 'a b c d e' }),
      event({ event_time: T0 + 900, cost_usd: 0.75 }),
    ]);
    expect(record).toMatchObject({
      lab: 'lab-b', account_id: 'acct-9', window_start: T0, window_end: T0 + HOUR, events: 2,
      first_event_time: T0 + 5, last_event_time: T0 + 900, spend_usd_window: 2, spend_usd_30d: 2,
      payment_fingerprints: ['pf-1'], network_agents: [],
    });
    expect(record.template_sketch).toHaveLength(1);
    expect(record.template_sketch[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('adds up 30-day spend across windows and lets days older than 30 drop out', () => {
    const account = newAccount();
    closeWindow(account, [event({ event_time: T0, cost_usd: 100 })]);
    closeWindow(account, [event({ event_time: T0 + 10 * DAY, cost_usd: 10 })]);
    expect(closeWindow(account, [event({ event_time: T0 + 29 * DAY, cost_usd: 1 })]).spend_usd_30d).toBeCloseTo(111);
    expect(closeWindow(account, [event({ event_time: T0 + 30 * DAY, cost_usd: 1 })]).spend_usd_30d).toBeCloseTo(12);
    expect(closeWindow(account, [event({ event_time: T0 + 80 * DAY, cost_usd: 5 })]).spend_usd_30d).toBeCloseTo(5);
  });

  it('never lets prompt text into the record', () => {
    const secret = 'zanzibar-quokka-telescope';
    const record = closeWindow(newAccount(), hourOf(20, (i) => ({ prompt_text: `${secret} ${i} please` })));
    expect(JSON.stringify(record)).not.toContain('zanzibar');
  });

  it('gives identical records for identical input', () => {
    const traffic = (): UsageEvent[] => hourOf(200, (i) => ({
      prompt_text: harvestQuestion(i), topic: i % 3 ? 'science' : null, api_key_id: `k${i % 4}`,
      ip_prefix: `10.0.${i % 3}.0/24`, user_agent: 'sdk/1', payment_fingerprint: 'pf-1',
    }));
    expect(closeWindow(newAccount(), traffic())).toEqual(closeWindow(newAccount(), traffic()));
  });

  it('runs under the window assembler, one record per account-window, in its order', () => {
    const events = [
      ...hourOf(30, (i) => ({ account_id: i % 2 ? 'acct-1' : 'acct-2', prompt_text: harvestQuestion(i) })),
      ...hourOf(10, () => ({ account_id: 'acct-1' }), T0 + HOUR),
    ];
    const records = detectFeatures(events);
    expect(records.map((r) => [r.account_id, r.window_start, r.events])).toEqual([
      ['acct-1', T0, 15], ['acct-2', T0, 15], ['acct-1', T0 + HOUR, 10],
    ]);
    expect(records[2]!.features.requests_log).toBeCloseTo(Math.log1p(10));
  });
});
