import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR_CONFIG } from '../../src/detector/config.ts';
import { FEATURE_NAMES } from '../../src/features/registry.ts';
import { Federation } from '../../src/federation/federation.ts';
import { testFederationKeys } from '../../src/federation/keys.ts';
import type { ForumRecord, UsageEvent } from '../../src/schemas.generated.ts';

const T0 = 1_772_409_600_000;
const MINUTE = 60_000, HOUR = 3_600_000;

const event = (lab: string, account_id: string, t: number): UsageEvent => ({
  event_id: `${lab}-${account_id}-${t}`, event_time: t, lab, account_id, model: 'm', input_tokens: 100, output_tokens: 50,
  cost_usd: 0.01, payment_fingerprint: 'pf_shared', prompt_text: 'explain this step by step', topic: 'Mathematics',
});

describe('Federation (offline twin)', () => {
  it('does not let a quiet lab stall the forum: its windows close with the stream and are scored', () => {
    const federation = new Federation(DEFAULT_DETECTOR_CONFIG, FEATURE_NAMES, testFederationKeys());
    const crossed: ForumRecord[] = [];
    federation.onForumRecord = (r) => crossed.push(r);
    federation.pushEvent(event('lab-b', 'quiet', T0 + MINUTE));
    for (let t = T0 + 2 * MINUTE; t < T0 + 5 * HOUR; t += MINUTE) federation.pushEvent(event('lab-a', 'busy', t));
    // lab-b's only window closed on the stream's clock and crossed before the end of input.
    expect(crossed.some((r) => r.lab === 'lab-b' && r.we === T0 + HOUR)).toBe(true);
    expect(federation.forum.counters.windows).toBeGreaterThanOrEqual(3);
    expect(federation.forum.counters.late).toBe(0);
  });

  it('sends records that name no account, card or topic label in clear', () => {
    const federation = new Federation(DEFAULT_DETECTOR_CONFIG, FEATURE_NAMES, testFederationKeys());
    const crossed: ForumRecord[] = [];
    federation.onForumRecord = (r) => crossed.push(r);
    for (let t = T0; t < T0 + 2 * HOUR; t += MINUTE) federation.pushEvent(event('lab-a', 'acct_secret', t));
    federation.flush();
    expect(crossed.length).toBe(2);
    const text = JSON.stringify(crossed);
    for (const raw of ['acct_secret', 'pf_shared', 'Mathematics', 'mathematics', 'explain', 'step']) expect(text).not.toContain(raw);
    expect(crossed[0]!.top).toEqual([{ i: 5, n: 60 }]);
  });
});
