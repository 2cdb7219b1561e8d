import { describe, expect, it } from 'vitest';
import type { AccountFeatures } from '../../src/schemas.generated.ts';
import { buildSubjects, combineFeatures, MissingFeatureError } from '../../src/detector/subjects.ts';
import { FEATURE_NAMES, REGISTRY } from '../../src/features/registry.ts';

const HOUR = 3_600_000;
const END = Date.UTC(2026, 2, 2, 1);

/** A record with every registered feature: 0 unless given. */
function record(lab: string, account_id: string, events: number, given: Record<string, number>, over: Partial<AccountFeatures> = {}): AccountFeatures {
  const features = { ...Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0])), ...given };
  return {
    lab, account_id, window_start: END - HOUR, window_end: END, events, first_event_time: END - HOUR,
    last_event_time: END - 1, spend_usd_window: 1, spend_usd_30d: 10, features, topics: [], template_sketch: [],
    payment_fingerprints: [], network_agents: [], ...over,
  };
}

describe('combine modes in the registry', () => {
  it('adds up log1p counts, takes the largest max_tokens, averages shares and ratios', () => {
    const mode = (name: string) => { const f = REGISTRY.get(name, 'test'); return f.kind === 'account' ? f.combine : null; };
    expect(mode('requests_log')).toBe('sum');
    expect(mode('spend_log')).toBe('sum');
    expect(mode('max_tokens_log')).toBe('max');
    expect(mode('reasoning_share')).toBe('mean');
    expect(mode('output_input_ratio')).toBe('mean');
  });
});

describe('combineFeatures', () => {
  const a = record('lab-a', 'a', 30, { requests_log: Math.log1p(30), max_tokens_log: Math.log1p(5), reasoning_share: 1 });
  const b = record('lab-b', 'b', 10, { requests_log: Math.log1p(10), max_tokens_log: Math.log1p(9), reasoning_share: 0.2 });

  it('adds the quantities behind log1p features (sum)', () => {
    expect(combineFeatures([a, b]).requests_log).toBeCloseTo(Math.log1p(40), 12);
  });

  it('takes the largest member value (max)', () => {
    expect(combineFeatures([a, b]).max_tokens_log).toBeCloseTo(Math.log1p(9), 12);
  });

  it('averages shares weighted by each member\'s events (mean)', () => {
    expect(combineFeatures([a, b]).reasoning_share).toBeCloseTo((30 * 1 + 10 * 0.2) / 40, 12);
  });

  it('refuses a record that lacks a registered feature, never reading it as 0', () => {
    const old = { ...b, features: { requests_log: Math.log1p(10) } };
    expect(() => combineFeatures([a, old])).toThrow(MissingFeatureError);
  });

  it('gives one account\'s own features, as a copy', () => {
    const combined = combineFeatures([a]);
    expect(combined).toEqual(a.features);
    combined.requests_log = 0;
    expect(a.features.requests_log).toBeCloseTo(Math.log1p(30), 12);
  });
});

describe('buildSubjects', () => {
  const a = record('lab-a', 'a', 30, { requests_log: 1 }, { spend_usd_window: 2 });
  const b = record('lab-b', 'b', 10, { requests_log: 1 }, { spend_usd_window: 3 });
  const c = record('lab-a', 'c', 5, { requests_log: 1 });
  const spend: Record<string, number> = { 'lab-a/a': 100, 'lab-b/b': 250, 'lab-a/c': 7, 'lab-a/idle': 40 };
  const subjects = buildSubjects([c, b, a], [{ id: 'campaign-x', members: ['lab-a/a', 'lab-a/idle', 'lab-b/b'], linkKinds: ['payment'], linkedMembers: [2] }],
    (k) => spend[k] ?? 0);

  it('names the links that rest on behaviour alone, with the members each links, and none for an account', () => {
    const [account, campaign] = buildSubjects([a, b], [{ id: 'campaign-z', members: ['lab-a/a', 'lab-a/idle', 'lab-b/b'],
      linkKinds: ['payment', 'template'], linkedMembers: [2, 3] }], () => 0).filter((s) => s.id === 'lab-a/a' || s.kind === 'campaign');
    expect(account!.behaviourLinks).toEqual([]);
    expect(campaign!.behaviourLinks).toEqual([{ kind: 'template', members: 3 }]);
  });

  it('makes one subject per account, by key, then one per campaign with an active member', () => {
    expect(subjects.map((s) => `${s.kind}:${s.id}`)).toEqual(['account:lab-a/a', 'account:lab-a/c', 'account:lab-b/b', 'campaign:campaign-x']);
  });

  it('covers every campaign member, active in the window or not, and combines only the active ones', () => {
    const campaign = subjects.at(-1)!;
    expect(campaign.accounts).toEqual([{ lab: 'lab-a', account_id: 'a' }, { lab: 'lab-a', account_id: 'idle' }, { lab: 'lab-b', account_id: 'b' }]);
    expect(campaign.windows).toHaveLength(2);
    expect(campaign.spendWindow).toBe(5);
    expect(campaign.labs).toBe(2);
  });

  it('gives linked 30-day spend across labs to the campaign and to its members, the largest single lab apart', () => {
    const campaign = subjects.at(-1)!;
    expect(campaign.spend30dAllLabs).toBe(390);
    expect(campaign.spend30dOneLab).toBe(250);
    const member = subjects.find((s) => s.id === 'lab-a/a')!;
    expect(member.spend30dOneLab).toBe(100);
    expect(member.spend30dAllLabs).toBe(390);
    const loner = subjects.find((s) => s.id === 'lab-a/c')!;
    expect([loner.spend30dOneLab, loner.spend30dAllLabs]).toEqual([7, 7]);
  });

  it('skips a campaign none of whose members is active in the window', () => {
    const none = buildSubjects([c], [{ id: 'campaign-y', members: ['lab-a/x', 'lab-b/y'], linkKinds: ['payment'], linkedMembers: [2] }], () => 0);
    expect(none.map((s) => s.id)).toEqual(['lab-a/c']);
  });
});
