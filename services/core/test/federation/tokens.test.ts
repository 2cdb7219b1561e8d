import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CampaignLinker } from '../../src/campaigns/campaignLinker.ts';
import type { AccountFeatures } from '../../src/schemas.generated.ts';
import { identityTokens, templateTokens } from '../../src/federation/identityTokens.ts';
import { FederationKeyError, parseFederationKeys, testFederationKeys, type ForumKeyRing } from '../../src/federation/keys.ts';
import { accountPseudonym, forumRecordToFeatures, toForumRecord } from '../../src/federation/forumRecord.ts';
import { keyedToken } from '../../src/federation/tokens.ts';

const HOUR = 3_600_000;
const START = 1_772_409_600_000;
const key = (byte: number) => Buffer.alloc(32, byte);
const K1 = key(1), K2 = key(2);
const LAB_A = key(0xa), LAB_B = key(0xb);
const FEATURES = ['requests_log'];

function features(lab: string, account_id: string, windowEnd: number, over: Partial<AccountFeatures> = {}): AccountFeatures {
  return {
    lab, account_id, window_start: windowEnd - HOUR, window_end: windowEnd, events: 10,
    first_event_time: windowEnd - HOUR, last_event_time: windowEnd - 1, spend_usd_window: 1, spend_usd_30d: 1,
    features: { requests_log: Math.log1p(10) }, topics: [], template_sketch: [], payment_fingerprints: [], network_agents: [],
    ...over,
  };
}

/** The row the forum scores for this account-window when its lab holds `ring`. */
const atForum = (r: AccountFeatures, ring: ForumKeyRing) =>
  forumRecordToFeatures(toForumRecord(r, FEATURES, ring, r.lab === 'lab-a' ? LAB_A : LAB_B), FEATURES);

describe('keyed tokens', () => {
  it('are HMAC-SHA256 of kind and value under the key, cut and in base64url, whichever key came before', () => {
    const hmac = (k: Buffer, input: string, bytes: number) => createHmac('sha256', k).update(input).digest().subarray(0, bytes).toString('base64url');
    for (const k of [K1, K2, K1, LAB_A]) {
      expect(keyedToken(k, 'payment', 'fp-1')).toBe(hmac(k, 'payment\u0000fp-1', 12));
      expect(keyedToken(k, 'template', 'abc')).toBe(hmac(k, 'template\u0000abc', 8));
    }
    expect(keyedToken(K1, 'account', 'a')).not.toBe(keyedToken(K2, 'account', 'a'));
  });
});

describe('identity tokens', () => {
  it('gives the same token for the same normalised identifier at every lab, and none under another key', () => {
    const ring = { current: K1, previous: null };
    expect(identityTokens(ring, 'payment', [' PF_ABC '])).toEqual(identityTokens(ring, 'payment', ['pf_abc']));
    expect(identityTokens(ring, 'network', ['203.0.113.0/24|Bot/1.0  (linux)'])).toEqual(identityTokens(ring, 'network', ['203.0.113.0/24|bot/1.0 (linux)']));
    expect(identityTokens({ current: K2, previous: null }, 'payment', ['pf_abc'])).not.toEqual(identityTokens(ring, 'payment', ['pf_abc']));
    // Kinds never collide: a payment fingerprint equal to a network pair gives another token.
    expect(identityTokens(ring, 'payment', ['x|y'])).not.toEqual(identityTokens(ring, 'network', ['x|y']));
  });

  it('sends every identifier under both keys while a rotation overlaps', () => {
    const both = identityTokens({ current: K2, previous: K1 }, 'payment', ['pf_abc']);
    expect(both).toHaveLength(2);
    expect(both).toEqual(expect.arrayContaining([...identityTokens({ current: K1, previous: null }, 'payment', ['pf_abc']),
      ...identityTokens({ current: K2, previous: null }, 'payment', ['pf_abc'])]));
  });

  it('keys the template sketch and keeps it ascending, so identical sketches stay identical', () => {
    const ring = { current: K1, previous: null };
    const sketch = ['08941c50b8c25242', '0d8e7635f9e9153b', '1e6a7ba124acb7cc', '2df57d577976102c'];
    const tokens = templateTokens(ring, sketch);
    expect(tokens).toEqual([...tokens].sort());
    expect(tokens.some((t) => sketch.includes(t))).toBe(false);
    expect(templateTokens(ring, [...sketch].reverse())).toEqual(tokens);
  });

  it('makes an account pseudonym under its own lab key that another lab key cannot reproduce', () => {
    expect(accountPseudonym(LAB_A, 'acct_1')).toBe(accountPseudonym(LAB_A, 'acct_1'));
    expect(accountPseudonym(LAB_B, 'acct_1')).not.toBe(accountPseudonym(LAB_A, 'acct_1'));
    expect(accountPseudonym(LAB_A, 'acct_1')).not.toContain('acct_1');
  });
});

describe('key rotation', () => {
  // A swarm member at lab-a and one at lab-b share a network prefix and agent: the linker needs
  // three windows together before it links them. Lab-a rotates after the second window; lab-b
  // only after the fourth.
  const pair = '198.51.100.0/24|harvester/2.1';
  const OLD = { current: K1, previous: null };
  const OVERLAP = { current: K2, previous: K1 };
  const NEW = { current: K2, previous: null };
  const run = (ringsAt: (w: number) => [ForumKeyRing, ForumKeyRing]) => {
    const linker = new CampaignLinker();
    let members: string[] = [];
    for (let w = 1; w <= 6; w++) {
      const end = START + w * HOUR;
      const [ringA, ringB] = ringsAt(w);
      const campaigns = linker.observeWindow(end, [
        atForum(features('lab-a', 'a-1', end, { network_agents: [pair] }), ringA),
        atForum(features('lab-b', 'b-9', end, { network_agents: [pair] }), ringB),
      ]);
      members = campaigns.flatMap((c) => c.members);
    }
    return members;
  };

  it('keeps links across a rotation when the labs overlap current and previous keys', () => {
    const members = run((w) => [w <= 2 ? OLD : w <= 4 ? OVERLAP : NEW, w <= 4 ? OLD : w === 5 ? OVERLAP : NEW]);
    expect(members).toEqual([`lab-a/${accountPseudonym(LAB_A, 'a-1')}`, `lab-b/${accountPseudonym(LAB_B, 'b-9')}`].sort());
  });

  it('loses the link when a lab switches keys without the overlap (what the overlap is for)', () => {
    expect(run((w) => [w <= 2 ? OLD : NEW, w <= 4 ? OLD : NEW])).toEqual([]);
  });

  it('keeps a payment link while one lab has rotated and the other has not', () => {
    const linker = new CampaignLinker();
    const campaigns = linker.observeWindow(START + HOUR, [
      atForum(features('lab-a', 'a-1', START + HOUR, { payment_fingerprints: ['pf_77'] }), OVERLAP),
      atForum(features('lab-b', 'b-9', START + HOUR, { payment_fingerprints: ['pf_77'] }), OLD),
    ]);
    expect(campaigns).toHaveLength(1);
  });
});

describe('key file', () => {
  const hex = (b: number) => key(b).toString('hex');

  it('reads the forum keys and each lab key, and names a missing lab', () => {
    const keys = parseFederationKeys({ forum: { current: hex(1), previous: hex(2) }, labs: { 'lab-a': hex(3) } });
    expect(keys.forum.previous?.equals(key(2))).toBe(true);
    expect(keys.labKey('lab-a').equals(key(3))).toBe(true);
    expect(() => keys.labKey('lab-z')).toThrow(/labs\.lab-z: missing/);
  });

  it('rejects short, non-hex and unknown entries by name, without echoing key material', () => {
    expect(() => parseFederationKeys({ forum: { current: 'abcd' }, labs: {} })).toThrow(new FederationKeyError('forum.current', 'too short: at least 32 bytes (64 hex digits)'));
    expect(() => parseFederationKeys({ forum: { current: 'zz' }, labs: {} })).toThrow(/forum\.current: expected hex digits/);
    expect(() => parseFederationKeys({ forum: { current: hex(1), next: hex(2) }, labs: {} })).toThrow(/forum\.next: unknown key/);
    expect(() => parseFederationKeys({ forum: { current: hex(1) } })).toThrow(/labs: expected an object/);
  });

  it('derives fixed test keys for any lab', () => {
    const a = testFederationKeys(), b = testFederationKeys();
    expect(a.labKey('lab-q').equals(b.labKey('lab-q'))).toBe(true);
    expect(a.labKey('lab-q').equals(a.labKey('lab-r'))).toBe(false);
  });
});
