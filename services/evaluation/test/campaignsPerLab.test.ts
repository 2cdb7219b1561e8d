import { describe, expect, it } from 'vitest';
import { campaignsPerLab, type CampaignAlert } from '../src/index.ts';

// A split across lab-a (a1, a2) and lab-b (b1), and a swarm at lab-c alone.
const labels = {
  campaigns: [
    { campaign_id: 'split-1', archetype: 'cross_lab_split', accounts: [ref('lab-a/a1'), ref('lab-a/a2'), ref('lab-b/b1')] },
    { campaign_id: 'swarm-1', archetype: 'account_swarm', accounts: [ref('lab-c/c1'), ref('lab-c/c2')] },
  ],
} as never;

function ref(key: string) {
  const [lab, account_id] = key.split('/') as [string, string];
  return { lab, account_id };
}

function alert(subject: string, keys: string[], recipient?: string): CampaignAlert {
  return { subject_kind: subject.startsWith('campaign') ? 'campaign' : 'account', subject_id: subject, accounts: keys.map(ref), recipient_lab: recipient };
}

const central = [alert('campaign-c', ['lab-a/a1', 'lab-a/a2', 'lab-b/b1']), alert('campaign-s', ['lab-c/c1', 'lab-c/c2'])];

describe('campaignsPerLab: every cross-lab campaign as one campaign at each lab', () => {
  it('passes a campaign that each lab sees under the same forum id', () => {
    const feed = [alert('campaign-f', ['lab-a/a1', 'lab-a/a2'], 'lab-a'), alert('campaign-f', ['lab-b/b1'], 'lab-b'), alert('lab-a/a9', ['lab-a/a9'], 'lab-a')];
    expect(campaignsPerLab(labels, central, feed)).toEqual([
      { campaign_id: 'split-1', archetype: 'cross_lab_split', central: ['campaign-c'], labs: { 'lab-a': ['campaign-f'], 'lab-b': ['campaign-f'] }, one: true },
    ]);
  });

  it('fails a campaign beside which one lab shows its own local campaign', () => {
    const feed = [alert('campaign-f', ['lab-a/a1', 'lab-a/a2'], 'lab-a'), alert('campaign-f', ['lab-b/b1'], 'lab-b'), alert('campaign-local', ['lab-a/a1', 'lab-a/a2'], 'lab-a')];
    const [split] = campaignsPerLab(labels, central, feed);
    expect(split!.labs).toEqual({ 'lab-a': ['campaign-f', 'campaign-local'], 'lab-b': ['campaign-f'] });
    expect(split!.one).toBe(false);
  });

  it('fails a campaign whose id changes at one lab, and one that a lab sees only as accounts', () => {
    const changed = [alert('campaign-f', ['lab-a/a1'], 'lab-a'), alert('campaign-f', ['lab-b/b1'], 'lab-b'), alert('campaign-g', ['lab-a/a1', 'lab-a/a2'], 'lab-a')];
    expect(campaignsPerLab(labels, central, changed)[0]!.one).toBe(false);
    const accountsOnly = [alert('lab-a/a1', ['lab-a/a1'], 'lab-a'), alert('campaign-f', ['lab-b/b1'], 'lab-b')];
    expect(campaignsPerLab(labels, central, accountsOnly)[0]!.one).toBe(false);
  });

  it('allows as many ids as central detection shows, and leaves out campaigns central detection does not alert as campaigns', () => {
    const twice = [...central, alert('campaign-d', ['lab-a/a2', 'lab-b/b1'])];
    const feed = ['lab-a', 'lab-b'].flatMap((lab) => [alert('campaign-f', [lab === 'lab-a' ? 'lab-a/a1' : 'lab-b/b1'], lab), alert('campaign-g', [lab === 'lab-a' ? 'lab-a/a2' : 'lab-b/b1'], lab)]);
    expect(campaignsPerLab(labels, twice, feed)[0]!.one).toBe(true);
    expect(campaignsPerLab(labels, central, feed)[0]!.one).toBe(false);
    expect(campaignsPerLab(labels, [alert('lab-a/a1', ['lab-a/a1'])], [])).toEqual([]);
  });
});
