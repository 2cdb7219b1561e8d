import { describe, expect, it } from 'vitest';
import { CampaignLinker, sketchJaccard, topicOverlap } from '../src/campaigns/campaignLinker.ts';
import { fnv1a64Hex } from '../src/campaigns/hash.ts';
import type { AccountFeatures } from '../src/schemas.generated.ts';

const HOUR = 3_600_000;
const W1 = 1_772_409_600_000 + HOUR; // a window end

function record(lab: string, account_id: string, over: Partial<AccountFeatures> = {}): AccountFeatures {
  return {
    lab, account_id, window_start: W1 - HOUR, window_end: W1, events: 10,
    first_event_time: W1 - HOUR, last_event_time: W1 - 1, spend_usd_window: 1, spend_usd_30d: 1,
    features: {}, topics: [], template_sketch: [], payment_fingerprints: [], network_agents: [],
    ...over,
  };
}

const sketch = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${i.toString(16).padStart(15, '0')}`).sort();

describe('CampaignLinker', () => {
  it('merges accounts that share a payment fingerprint across labs', () => {
    const linker = new CampaignLinker();
    const campaigns = linker.observeWindow(W1, [
      record('lab-a', 'acct-1', { payment_fingerprints: ['pf-1'] }),
      record('lab-b', 'u-77', { payment_fingerprints: ['pf-1'] }),
      record('lab-c', 'solo', { payment_fingerprints: ['pf-2'] }),
    ]);
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]!.members).toEqual(['lab-a/acct-1', 'lab-b/u-77']);
    expect(campaigns[0]!.linkKinds).toEqual(['payment']);
    expect(campaigns[0]!.linkedMembers).toEqual([2]);
  });

  it('links a small team that shares a network prefix and user agent window after window', () => {
    const linker = new CampaignLinker();
    const teamAt = (end: number) => ['t1', 't2', 't3'].map((id) => record('lab-a', id, { window_end: end, network_agents: ['203.0.113.0/24|bot/1.0'] }));
    expect(linker.observeWindow(W1, teamAt(W1))).toEqual([]);
    expect(linker.observeWindow(W1 + HOUR, teamAt(W1 + HOUR))).toEqual([]);
    const [campaign] = linker.observeWindow(W1 + 2 * HOUR, teamAt(W1 + 2 * HOUR));
    expect(campaign!.members).toHaveLength(3);
    expect(campaign!.linkKinds).toEqual(['network']);
  });

  it('does not make a campaign of ordinary tenants who keep company on a widely shared egress', () => {
    const linker = new CampaignLinker();
    const tenantsAt = (end: number) => Array.from({ length: 12 }, (_, i) =>
      record('lab-a', `s${String(i).padStart(2, '0')}`, { window_end: end, network_agents: ['198.51.100.0/24|openai-node/4.71'] }));
    for (let w = 0; w < 6; w++) linker.observeWindow(W1 + w * HOUR, tenantsAt(W1 + w * HOUR));
    expect(linker.components()).toEqual([]);
  });

  it('links a swarm that arrives together on a widely shared egress, and not the tenants already there', () => {
    const linker = new CampaignLinker();
    const key = ['198.51.100.0/24|openai-node/4.71'];
    const tenants = ['t1', 't2', 't3', 't4', 't5'];
    const swarm = ['s1', 's2', 's3', 's4', 's5', 's6'];
    for (let w = 0; w < 30; w++) {
      const end = W1 + w * HOUR;
      // The swarm starts on day two, its accounts within the hour; tenants are there from the start.
      const active = w >= 26 ? [...tenants, ...swarm] : tenants;
      linker.observeWindow(end, active.map((id) => record('lab-a', id, { window_end: end, network_agents: key })));
    }
    const campaigns = linker.components();
    expect(campaigns.map((c) => c.members)).toEqual([swarm.map((id) => `lab-a/${id}`)]);
    expect(campaigns[0]!.linkKinds).toEqual(['network']);
  });

  it('does not link accounts that arrived on a shared egress hours apart', () => {
    const linker = new CampaignLinker();
    const key = ['198.51.100.0/24|openai-node/4.71'];
    const crowd = ['t1', 't2', 't3', 't4', 't5'];
    for (let w = 0; w < 36; w++) {
      const end = W1 + w * HOUR;
      const active = [...crowd, ...(w >= 25 ? ['early'] : []), ...(w >= 29 ? ['late'] : [])];
      linker.observeWindow(end, active.map((id) => record('lab-a', id, { window_end: end, network_agents: key })));
    }
    expect(linker.components()).toEqual([]);
  });

  it('links a swarm on a widely shared egress once its accounts are each suspects', () => {
    const linker = new CampaignLinker();
    const swarmAt = (end: number) => Array.from({ length: 12 }, (_, i) =>
      record('lab-a', `s${String(i).padStart(2, '0')}`, { window_end: end, network_agents: ['203.0.113.0/24|bot/1.0'] }));
    for (let w = 0; w < 3; w++) linker.observeWindow(W1 + w * HOUR, swarmAt(W1 + w * HOUR));
    expect(linker.components()).toEqual([]);
    // Ten of the twelve scored above the threshold on their own; the other two stay apart.
    linker.observeSuspects(W1 + 2 * HOUR, swarmAt(W1 + 2 * HOUR).slice(0, 10));
    const [campaign] = linker.observeWindow(W1 + 3 * HOUR, swarmAt(W1 + 3 * HOUR));
    expect(campaign!.members).toHaveLength(10);
    // Suspects that did not arrive together: grouped, but no evidence of one operator (campaignRow.ts).
    expect(campaign!.linkKinds).toEqual(['egress']);
  });

  it('does not link tenants who only now and then meet on a shared cloud prefix and client', () => {
    const linker = new CampaignLinker();
    const key = ['198.51.100.0/24|python-requests/2.32'];
    for (let w = 0; w < 10; w++) {
      const end = W1 + w * 24 * HOUR;
      const active = w % 5 === 0 ? ['a', 'b'] : ['a'];
      linker.observeWindow(end, active.map((id) => record('lab-a', id, { window_end: end, network_agents: key })));
    }
    expect(linker.components()).toEqual([]);
  });

  it('counts company per pair: tenants always in company on a busy pair but rarely with each other stay apart', () => {
    // Four teams; every window two of them are on the pair, each pair in turn: every team is
    // always in company, yet any two of them met only twice in twelve windows.
    const linker = new CampaignLinker();
    const key = ['198.51.100.0/24|eval-harness/1.4'];
    const rota = [['a', 'b'], ['c', 'd'], ['a', 'c'], ['b', 'd'], ['a', 'd'], ['b', 'c']];
    for (let w = 0; w < 12; w++) {
      const end = W1 + w * HOUR;
      linker.observeWindow(end, rota[w % rota.length]!.map((id) => record('lab-a', id, { window_end: end, network_agents: key })));
    }
    expect(linker.components()).toEqual([]);
    expect(linker.snapshot().networkCompany).toHaveLength(6);
    expect(linker.snapshot().networkCompany.every(([, , , together]) => together === 2)).toBe(true);
  });

  it('counts no company in a window with more accounts on the pair than maxPairFanout', () => {
    const linker = new CampaignLinker({ maxPairFanout: 4 });
    const key = ['203.0.113.0/24|bot/1.0'];
    for (let w = 0; w < 5; w++) {
      const end = W1 + w * HOUR;
      linker.observeWindow(end, ['a', 'b', 'c', 'd', 'e'].map((id) => record('lab-a', id, { window_end: end, network_agents: key })));
    }
    expect(linker.components()).toEqual([]);
  });

  it('ignores a network key shared by more accounts than the fan-out limit', () => {
    const linker = new CampaignLinker({ maxKeyFanout: 5 });
    const crowd = Array.from({ length: 6 }, (_, i) =>
      record('lab-a', `c${i}`, { network_agents: ['198.51.100.0/24|Mozilla/5.0'] }));
    expect(linker.observeWindow(W1, crowd)).toEqual([]);
  });

  it('links near-identical templates only when the topic mixes are complementary', () => {
    const s = sketch('a', 16);
    const linker = new CampaignLinker();
    const complementary = linker.observeWindow(W1, [
      record('lab-a', 'x', { template_sketch: s, topics: [{ topic: 'math', count: 9 }, { topic: 'law', count: 1 }] }),
      record('lab-b', 'y', { template_sketch: s, topics: [{ topic: 'chemistry', count: 10 }] }),
    ]);
    expect(complementary).toHaveLength(1);
    const same = new CampaignLinker().observeWindow(W1, [
      record('lab-a', 'x', { template_sketch: s, topics: [{ topic: 'math', count: 10 }] }),
      record('lab-b', 'y', { template_sketch: s, topics: [{ topic: 'math', count: 10 }] }),
    ]);
    expect(same).toEqual([]);
  });

  it('does not chain a customer segment by a template that more accounts than commonTemplateAccounts use', () => {
    const s = sketch('a', 16);
    const linker = new CampaignLinker({ commonTemplateAccounts: 10 });
    // Twelve researchers of one popular tool, each on its own field, one hour at a time.
    for (let w = 0; w < 4; w++) {
      const end = W1 + w * HOUR;
      linker.observeWindow(end, [0, 1, 2].map((i) => record('lab-b', `r${w * 3 + i}`, {
        window_end: end, template_sketch: s, topics: [{ topic: `field-${w * 3 + i}`, count: 10 }],
      })));
    }
    // The first nine make three pairs of look-alike hours; the tenth to twelfth make the template common.
    expect(linker.components().map((c) => c.members.length)).toEqual([3, 3, 3]);
    const end = W1 + 4 * HOUR;
    const [scaffold] = linker.observeWindow(end, [
      record('lab-b', 'late', { window_end: end, template_sketch: s, topics: [{ topic: 'music', count: 10 }] }),
      record('lab-a', 'x', { window_end: end, template_sketch: sketch('b', 16), topics: [{ topic: 'math', count: 10 }] }),
      record('lab-c', 'y', { window_end: end, template_sketch: sketch('b', 16), topics: [{ topic: 'law', count: 10 }] }),
      record('lab-b', 'r0', { window_end: end, template_sketch: s, topics: [{ topic: 'field-0', count: 10 }] }),
    ]);
    expect(scaffold!.members).toEqual(['lab-a/x', 'lab-c/y']);
    expect(linker.components().some((c) => c.members.includes('lab-b/late'))).toBe(false);
  });

  it('keeps the campaign id as the campaign gains members, and the older id when two merge', () => {
    const linker = new CampaignLinker();
    const [first] = linker.observeWindow(W1, [
      record('lab-a', 'a1', { payment_fingerprints: ['pf'] }),
      record('lab-b', 'b1', { payment_fingerprints: ['pf'] }),
    ]);
    const W2 = W1 + HOUR;
    const later = linker.observeWindow(W2, [
      record('lab-a', 'a1', { window_end: W2, payment_fingerprints: ['pf'] }),
      record('lab-c', 'c1', { window_end: W2, payment_fingerprints: ['pf'] }),
      record('lab-c', 'c2', { window_end: W2, payment_fingerprints: ['pf'] }),
    ]);
    expect(later).toHaveLength(1);
    expect(later[0]!.id).toBe(first!.id);
    expect(later[0]!.members).toEqual(['lab-a/a1', 'lab-b/b1', 'lab-c/c1', 'lab-c/c2']);
  });

  it('forgets links not seen for longer than the link TTL', () => {
    const linker = new CampaignLinker({ linkTtlMs: 2 * HOUR });
    linker.observeWindow(W1, [
      record('lab-a', 'a', { payment_fingerprints: ['pf'] }),
      record('lab-b', 'b', { payment_fingerprints: ['pf'] }),
    ]);
    expect(linker.components()).toHaveLength(1);
    linker.observeWindow(W1 + 3 * HOUR, [record('lab-c', 'z')]);
    expect(linker.components()).toEqual([]);
  });

  it('gives the same campaigns whatever order the window records arrive in', () => {
    const rs = [
      record('lab-a', 'a', { payment_fingerprints: ['pf'] }),
      record('lab-b', 'b', { payment_fingerprints: ['pf', 'pf2'] }),
      record('lab-c', 'c', { payment_fingerprints: ['pf2'] }),
    ];
    const forward = new CampaignLinker().observeWindow(W1, rs);
    const backward = new CampaignLinker().observeWindow(W1, [...rs].reverse());
    expect(backward).toEqual(forward);
  });

  it('restores suspects and recent arrivals from a snapshot, and a version-2 snapshot without them', () => {
    const linker = handoverLinker();
    const [old, young] = [usage('a', W1 - 3 * HOUR, W1 + HOUR - 25 * MINUTE), usage('b', W1 + HOUR - 20 * MINUTE, W1 + 2 * HOUR)];
    linker.observeWindow(W1, [old(W1)]);
    linker.observeSuspects(W1, [old(W1)]);
    const json = JSON.parse(JSON.stringify(linker.snapshot()));
    const restored = CampaignLinker.restore(json, {}, SHAPE);
    expect(restored.snapshot()).toEqual(linker.snapshot());
    for (const l of [linker, restored]) {
      l.observeWindow(W1 + HOUR, [old(W1 + HOUR), young(W1 + HOUR)]);
      l.observeSuspects(W1 + HOUR, [old(W1 + HOUR), young(W1 + HOUR)]);
      l.observeWindow(W1 + 2 * HOUR, [young(W1 + 2 * HOUR)]);
      l.observeSuspects(W1 + 2 * HOUR, [young(W1 + 2 * HOUR)]);
    }
    expect(restored.components()).toEqual(linker.components());
    expect(linker.components()).toHaveLength(1);
    const v2 = CampaignLinker.restore({ ...json, version: 2, suspects: undefined, arrivals: undefined });
    expect(v2.snapshot().suspects).toEqual([]);
  });

  it('restores from a snapshot to the same campaigns', () => {
    const linker = new CampaignLinker();
    linker.observeWindow(W1, [
      record('lab-a', 'a', { payment_fingerprints: ['pf'] }),
      record('lab-b', 'b', { payment_fingerprints: ['pf'] }),
    ]);
    const restored = CampaignLinker.restore(JSON.parse(JSON.stringify(linker.snapshot())));
    expect(restored.components()).toEqual(linker.components());
  });

  it('restores network company from a snapshot, and a version-1 snapshot without it', () => {
    const key = ['203.0.113.0/24|bot/1.0'];
    const at = (w: number) => ['a', 'b'].map((id) => record('lab-a', id, { window_end: W1 + w * HOUR, network_agents: key }));
    const linker = new CampaignLinker();
    linker.observeWindow(W1, at(0));
    linker.observeWindow(W1 + HOUR, at(1));
    const restored = CampaignLinker.restore(JSON.parse(JSON.stringify(linker.snapshot())));
    expect(restored.observeWindow(W1 + 2 * HOUR, at(2)).map((c) => c.members)).toEqual([['lab-a/a', 'lab-a/b']]);
    const v1 = CampaignLinker.restore({
      version: 1, edges: [['lab-a/a', 'lab-a/b', 'payment', W1]], firstLinked: [['lab-a/a', W1], ['lab-a/b', W1]],
      networkPresence: [[key[0]!, 'lab-a/a', 2, 2, W1 + HOUR], [key[0]!, 'lab-a/b', 2, 2, W1 + HOUR]],
    });
    expect(v1.components().map((c) => c.members)).toEqual([['lab-a/a', 'lab-a/b']]);
    expect(v1.snapshot().networkPresence).toEqual([[key[0]!, 'lab-a/a', 2, W1 + HOUR, null], [key[0]!, 'lab-a/b', 2, W1 + HOUR, null]]);
    expect(v1.snapshot().networkCompany).toEqual([]);
  });
});

const MINUTE = 60_000;
const SHAPE = [{ name: 'reasoning_share', tolerance: 0.25 }, { name: 'max_tokens_log', tolerance: 0.5 }];
const handoverLinker = () => new CampaignLinker({}, SHAPE);

/**
 * An account active from `first` to `last` (event times) with a request shape: its record for
 * the window ending at `end`, with its 30-day spend so far (one dollar per window active).
 */
function usage(id: string, first: number, last: number, lab = 'lab-a', shape = { reasoning_share: 0.9, max_tokens_log: 9 }) {
  return (end: number) => {
    const start = end - HOUR;
    const windowsBefore = Math.max(0, Math.ceil((start - first) / HOUR));
    return record(lab, id, {
      window_start: start, window_end: end, first_event_time: Math.max(first, start), last_event_time: Math.min(last, end - 1),
      spend_usd_window: 1, spend_usd_30d: 1 + windowsBefore, features: shape,
    });
  };
}

/**
 * Feeds a linker the windows ending at W1 + k hours, k in [from, to): the accounts active in
 * each, all suspects unless said otherwise.
 */
function run(linker: CampaignLinker, from: number, to: number, accounts: Array<{ make: (end: number) => AccountFeatures; first: number; last: number; suspect?: boolean }>) {
  for (let k = from; k < to; k++) {
    const end = W1 + k * HOUR;
    const active = accounts.filter((a) => a.first < end && a.last >= end - HOUR).map((a) => ({ a, r: a.make(end) }));
    linker.observeWindow(end, active.map(({ r }) => r));
    linker.observeSuspects(end, active.filter(({ a }) => a.suspect !== false).map(({ r }) => r));
  }
}

/** A chain of throwaway accounts, each taking over `gap` after the previous one's last request. */
function churnChain(n: number, gap: number, lifetime = 4 * HOUR, lab = 'lab-a') {
  return Array.from({ length: n }, (_, k) => {
    const first = W1 - 2 * HOUR + k * (lifetime + gap);
    const last = first + lifetime;
    return { make: usage(`churn${k}`, first, last, lab), first, last };
  });
}

describe('hand-over links', () => {
  it('links each throwaway account to the one it replaced: one campaign that keeps its id as it grows', () => {
    const linker = handoverLinker();
    const chain = churnChain(5, 5 * MINUTE);
    run(linker, 0, 12, chain);
    const [early] = linker.components();
    expect(early!.linkKinds).toEqual(['handover']);
    expect(early!.members).toEqual(['lab-a/churn0', 'lab-a/churn1', 'lab-a/churn2', 'lab-a/churn3']);
    run(linker, 12, 24, chain);
    const campaigns = linker.components();
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]!.members).toEqual(['lab-a/churn0', 'lab-a/churn1', 'lab-a/churn2', 'lab-a/churn3', 'lab-a/churn4']);
    expect(campaigns[0]!.id).toBe(early!.id);
  });

  it('does not link an account that arrives too long after the other fell silent', () => {
    const linker = handoverLinker();
    run(linker, 0, 16, churnChain(3, 45 * MINUTE));
    expect(linker.components()).toEqual([]);
  });

  it('does not link when either account is ordinary on its own', () => {
    const linker = handoverLinker();
    const [a, b] = churnChain(2, 5 * MINUTE);
    run(linker, 0, 12, [a!, { ...b!, suspect: false }]);
    expect(linker.components()).toEqual([]);
  });

  it('does not link accounts that ask in a different way', () => {
    const linker = handoverLinker();
    const [a, b] = churnChain(2, 5 * MINUTE);
    const casual = usage('churn1', b!.first, b!.last, 'lab-a', { reasoning_share: 0.1, max_tokens_log: 7 });
    run(linker, 0, 12, [a!, { ...b!, make: casual }]);
    expect(linker.components()).toEqual([]);
  });

  it('drops a hand-over when the predecessor comes back: a pause is not a replacement', () => {
    const linker = handoverLinker();
    const [a, b] = churnChain(2, 5 * MINUTE);
    run(linker, 0, 8, [a!, b!]);
    expect(linker.components()).toHaveLength(1);
    linker.observeWindow(W1 + 8 * HOUR, [a!.make(W1 + 8 * HOUR), b!.make(W1 + 8 * HOUR)]);
    expect(linker.components()).toEqual([]);
  });

  it('chains, never a web: two arrivals at once take one predecessor, and the other stays alone', () => {
    const linker = handoverLinker();
    const [a, b] = churnChain(2, 5 * MINUTE);
    const twin = { ...b!, make: usage('twin', b!.first, b!.last, 'lab-b') };
    run(linker, 0, 10, [a!, b!, twin]);
    const campaigns = linker.components();
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]!.members).toHaveLength(2);
  });

  it('links a hand-over across labs', () => {
    const linker = handoverLinker();
    const [a, b] = churnChain(2, 5 * MINUTE);
    run(linker, 0, 10, [a!, { ...b!, make: usage('next', b!.first, b!.last, 'lab-c') }]);
    expect(linker.components().map((c) => c.members)).toEqual([['lab-a/churn0', 'lab-c/next']]);
  });
});

describe('sketch similarity', () => {
  it('estimates Jaccard from bottom-k sketches', () => {
    expect(sketchJaccard(sketch('a', 16), sketch('a', 16))).toBe(1);
    expect(sketchJaccard(sketch('a', 16), sketch('b', 16))).toBe(0);
    expect(sketchJaccard([], sketch('a', 4))).toBe(0);
  });

  it('measures topic overlap as the sum of minimum shares', () => {
    const a = { topics: [{ topic: 'math', count: 5 }, { topic: 'law', count: 5 }] };
    const b = { topics: [{ topic: 'math', count: 10 }] };
    expect(topicOverlap(a, b)).toBeCloseTo(0.5);
  });
});

describe('fnv1a64Hex', () => {
  it('matches the published FNV-1a 64-bit values', () => {
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
  });
});

describe('schedule and coverage links', () => {
  /** An account on for 8 hours of every 12 (a scheduler's rhythm), or every hour when `steady`. */
  const rhythmic = (h: number) => h % 12 < 8;

  it('links suspects switched on and off by the same scheduler, at another lab, and not an ordinary account on it', () => {
    const linker = handoverLinker();
    for (let h = 0; h < 72; h++) {
      const end = W1 + h * HOUR;
      const rs = rhythmic(h) ? ['x', 'y', 'ordinary'].map((id, k) => usage(id, W1 - HOUR, W1 + 80 * HOUR, k === 1 ? 'lab-b' : 'lab-a')(end)) : [];
      rs.push(usage('steady', W1 - HOUR, W1 + 80 * HOUR)(end));
      linker.observeWindow(end, rs);
      linker.observeSuspects(end, rs.filter((r) => r.account_id !== 'ordinary'));
    }
    const [campaign] = linker.components();
    expect(campaign!.members).toEqual(['lab-a/x', 'lab-b/y']);
    expect(campaign!.linkKinds).toEqual(['schedule']);
  });

  it('does not link suspects by schedule that merely arrived in the same hour', () => {
    const linker = handoverLinker();
    for (let h = 0; h < 72; h++) {
      const end = W1 + h * HOUR;
      const rs = h >= 30 ? [usage('x', W1 + 29 * HOUR, W1 + 80 * HOUR)(end), usage('y', W1 + 29 * HOUR, W1 + 80 * HOUR, 'lab-b')(end)] : [];
      linker.observeWindow(end, rs);
      linker.observeSuspects(end, rs);
    }
    expect(linker.components().filter((c) => c.linkKinds.includes('schedule'))).toEqual([]);
  });

  it('links suspects that shard the topics into disjoint slices, asking the same way in the same hours', () => {
    const linker = handoverLinker();
    const slices: Record<string, string[]> = { s1: ['biology', 'chemistry'], s2: ['law', 'history'], s3: ['math', 'physics', 'music'], wide: ['biology', 'law', 'math', 'art', 'film'] };
    for (let h = 0; h < 6; h++) {
      const end = W1 + h * HOUR;
      const rs = Object.entries(slices).map(([id, topics], k) => ({
        ...usage(id, W1 - HOUR, W1 + 80 * HOUR, `lab-${'abc'[k % 3]!}`)(end), topics: topics.map((topic) => ({ topic, count: 5 })),
      }));
      linker.observeWindow(end, rs);
      linker.observeSuspects(end, rs);
    }
    // The slices of s1, s2 and s3 are disjoint; `wide` is no narrow slice.
    const [campaign] = linker.components();
    expect(campaign!.members).toEqual(['lab-a/s1', 'lab-b/s2', 'lab-c/s3']);
    expect(campaign!.linkKinds).toEqual(['coverage']);
  });

  it('keeps one campaign id while a sharded sweep and its hand-overs gain members', () => {
    const linker = handoverLinker();
    const topicsOf = (id: string) => [{ topic: `field-${id}`, count: 5 }];
    const ids: string[] = [];
    for (let h = 0; h < 12; h++) {
      const end = W1 + h * HOUR;
      // Shard k starts at hour 2k and stays: each arrival joins the sweep.
      const rs = [0, 1, 2, 3].filter((k) => h >= 2 * k).map((k) => ({ ...usage(`shard${k}`, W1 + (2 * k - 1) * HOUR, W1 + 80 * HOUR, 'lab-b')(end), topics: topicsOf(`${k}`) }));
      linker.observeWindow(end, rs);
      linker.observeSuspects(end, rs);
      const campaigns = linker.components();
      if (campaigns.length > 0) { expect(campaigns).toHaveLength(1); ids.push(campaigns[0]!.id); }
    }
    expect(new Set(ids).size).toBe(1);
    expect(linker.components()[0]!.members).toEqual(['lab-b/shard0', 'lab-b/shard1', 'lab-b/shard2', 'lab-b/shard3']);
  });

  it('restores schedules and template prevalence from a snapshot, and a version-3 snapshot without them', () => {
    const linker = handoverLinker();
    for (let h = 0; h < 4; h++) {
      const end = W1 + h * HOUR;
      const rs = [usage('x', W1 - HOUR, W1 + 80 * HOUR)(end), { ...usage('y', W1 - HOUR, W1 + 80 * HOUR)(end), template_sketch: sketch('a', 16) }];
      linker.observeWindow(end, rs);
      linker.observeSuspects(end, rs);
    }
    const json = JSON.parse(JSON.stringify(linker.snapshot()));
    expect(json.version).toBe(5);
    expect(CampaignLinker.restore(json, {}, SHAPE).snapshot()).toEqual(linker.snapshot());
    const v3 = CampaignLinker.restore({ ...json, version: 3, schedules: undefined, templates: undefined,
      suspects: json.suspects.map((row: unknown[]) => row.slice(0, 6)) }, {}, SHAPE);
    expect(v3.snapshot().schedules).toEqual([]);
    expect(v3.snapshot().suspects.map((row) => row[6])).toEqual([[], []]);
    expect(() => CampaignLinker.restore({ ...json, version: 6 })).toThrow(/unsupported CampaignLinker state version 6/);
  });
});
