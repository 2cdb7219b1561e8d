import { describe, expect, it } from 'vitest';
import type { AccountFeatures } from '../../src/schemas.generated.ts';
import { buildSubjects } from '../../src/detector/subjects.ts';
import { campaignRows, capWeakCampaigns, heldByOneOperator, isIntensive, judgedByStrongestMember, liftChainCampaigns } from '../../src/detector/campaignRow.ts';
import { combineFacetScores } from '../../src/detector/facetForest.ts';
import { FEATURE_NAMES, REGISTRY } from '../../src/features/registry.ts';

const END = Date.UTC(2026, 2, 2, 1);

function record(account_id: string): AccountFeatures {
  return {
    lab: 'lab-a', account_id, window_start: END - 3_600_000, window_end: END, events: 10, first_event_time: END - 3_600_000,
    last_event_time: END - 1, spend_usd_window: 1, spend_usd_30d: 10, features: Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0])),
    topics: [], template_sketch: [], payment_fingerprints: [], network_agents: [],
  };
}

// Columns: a share (high side), a per-request quantity (high), a volume that adds up, a mix measure (low side, not intensive).
const scored = ['output_input_ratio', 'output_per_request_log', 'topics_7d_log', 'topic_divergence'].map((n) => REGISTRY.get(n, 'test'));

describe('which features are intensive', () => {
  it('counts shares, means, maxima and per-request quantities, not volumes or the topic mix', () => {
    const intensive = (n: string) => isIntensive(REGISTRY.get(n, 'test'));
    expect(['output_input_ratio', 'reasoning_share', 'max_tokens_log', 'output_per_request_log', 'rich_output_log'].every(intensive)).toBe(true);
    expect(['requests_log', 'topics_7d_log', 'novel_topics_log', 'topic_divergence'].some(intensive)).toBe(false);
  });
});

describe('campaignRows', () => {
  const subjects = buildSubjects([record('a'), record('b'), record('c')],
    [{ id: 'campaign-x', members: ['lab-a/a', 'lab-a/b', 'lab-a/idle'], linkKinds: ['network'], linkedMembers: [3] }], () => 0);
  const rows = [
    Float64Array.of(3.8, 7.5, 1, 0.9), // lab-a/a: the strongest harvester
    Float64Array.of(3.0, 7.9, 1, 0.7), // lab-a/b: longer answers per request
    Float64Array.of(9.0, 9.0, 9, 0.0), // lab-a/c: not a member
    Float64Array.of(3.4, 7.6, 2, 0.5), // the campaign's combined row
  ];
  const out = campaignRows(subjects, rows, scored, 1);

  it('raises a campaign to its most suspicious active member on each share and per-request feature', () => {
    expect([out[3]![0], out[3]![1]]).toEqual([3.8, 7.9]);
  });

  it('keeps the combined value of volumes and of the topic mix, and ignores accounts outside the campaign', () => {
    expect([out[3]![2], out[3]![3]]).toEqual([2, 0.5]);
  });

  it('never lowers a combined value that is already more suspicious than every member', () => {
    const higher = campaignRows(subjects, [rows[0]!, rows[1]!, rows[2]!, Float64Array.of(4.2, 8.1, 2, 0.5)], scored, 1);
    expect([higher[3]![0], higher[3]![1]]).toEqual([4.2, 8.1]);
  });

  it('moves part of the way with a weight below 1, and returns the rows themselves at weight 0', () => {
    const half = campaignRows(subjects, rows, scored, 0.5);
    expect(half[3]![0]).toBeCloseTo(3.6, 12);
    expect(half[3]![1]).toBeCloseTo(7.75, 12);
    expect(campaignRows(subjects, rows, scored, 0)).toBe(rows);
  });

  it('keeps the combined row of a campaign whose accounts share a payment instrument (one customer that says so)', () => {
    const company = buildSubjects([record('a'), record('b'), record('c')],
      [{ id: 'campaign-y', members: ['lab-a/a', 'lab-a/b'], linkKinds: ['network', 'payment'], linkedMembers: [2, 2] }], () => 0);
    expect(campaignRows(company, rows, scored, 1)[3]).toBe(rows[3]);
  });

  it('keeps the combined row of a campaign held by phrasing or behaviour alone, which a segment shares too', () => {
    const segment = buildSubjects([record('a'), record('b'), record('c')],
      [{ id: 'campaign-z', members: ['lab-a/a', 'lab-a/b'], linkKinds: ['coverage', 'schedule', 'template'], linkedMembers: [2, 2, 2] }], () => 0);
    expect(campaignRows(segment, rows, scored, 1)[3]).toBe(rows[3]);
  });

  it('judges by its strongest member only a campaign of accounts that pay apart on one network', () => {
    expect(judgedByStrongestMember({ linkKinds: ['network'] })).toBe(true);
    expect(judgedByStrongestMember({ linkKinds: ['handover', 'network'] })).toBe(true);
    expect(judgedByStrongestMember({ linkKinds: ['network', 'payment'] })).toBe(false);
    expect(judgedByStrongestMember({ linkKinds: ['template'] })).toBe(false);
    expect(judgedByStrongestMember({ linkKinds: [] })).toBe(false);
  });

  it('does not judge by their strongest member suspects that merely keep company on a shared egress', () => {
    expect(judgedByStrongestMember({ linkKinds: ['egress'] })).toBe(false);
    expect(judgedByStrongestMember({ linkKinds: ['egress', 'schedule'] })).toBe(false);
  });

  it('leaves account rows as they are and copies the campaign row rather than changing it', () => {
    expect(out.slice(0, 3)).toEqual(rows.slice(0, 3));
    expect(out[0]).toBe(rows[0]);
    expect(rows[3]![0]).toBe(3.4);
  });
});

describe('capWeakCampaigns', () => {
  const campaign = (linkKinds: Array<'payment' | 'network' | 'egress' | 'template' | 'handover' | 'schedule' | 'coverage' | 'chain'>) =>
    buildSubjects([record('a'), record('b'), record('c')],
      [{ id: 'campaign-x', members: ['lab-a/a', 'lab-a/b', 'lab-a/idle'], linkKinds, linkedMembers: linkKinds.map(() => 3) }], () => 0);
  // Subjects: lab-a/a, lab-a/b, lab-a/c (not a member), then the campaign.
  const scores = [0.57, 0.6, 0.9, 0.64];

  it('holds a campaign joined only by phrasing, schedule, topics or a shared egress to its strongest active member', () => {
    for (const kinds of [['template'], ['schedule'], ['coverage'], ['egress'], ['coverage', 'egress', 'schedule', 'template']] as const) {
      expect(capWeakCampaigns(campaign([...kinds]), scores, 1)).toEqual([0.57, 0.6, 0.9, 0.6]);
    }
  });

  it('with rank 2, holds it to its second strongest active member, and to 0 with one member active', () => {
    expect(capWeakCampaigns(campaign(['template']), scores, 2)).toEqual([0.57, 0.6, 0.9, 0.57]);
    const alone = buildSubjects([record('a'), record('c')],
      [{ id: 'campaign-x', members: ['lab-a/a', 'lab-a/b'], linkKinds: ['template'], linkedMembers: [2] }], () => 0);
    expect(capWeakCampaigns(alone, [0.6, 0.9, 0.64], 2)).toEqual([0.6, 0.9, 0]);
  });

  it('keeps the combined score of a campaign that a card, a network it holds alone or a hand-over shows to be one operator', () => {
    for (const kinds of [['payment'], ['network'], ['handover'], ['chain'], ['egress', 'network', 'template']] as const) {
      expect(capWeakCampaigns(campaign([...kinds]), scores, 2)).toBe(scores);
    }
  });

  it('never raises a weak campaign that scores below its strongest member, nor any account', () => {
    const low = [0.57, 0.6, 0.9, 0.5];
    expect(capWeakCampaigns(campaign(['template']), low, 1)).toBe(low);
    expect(heldByOneOperator({ kind: 'account', linkKinds: [] })).toBe(true);
  });
});

describe('liftChainCampaigns', () => {
  const subjects = (linkKinds: Array<'chain' | 'handover' | 'template'>) => buildSubjects([record('a'), record('b')],
    [{ id: 'campaign-x', members: ['lab-a/a', 'lab-a/b'], linkKinds, linkedMembers: linkKinds.map(() => 2) }], () => 0);
  // Subjects: lab-a/a, lab-a/b, the campaign; facets harvest, coverage, elicitation.
  const facets = [[0.58, 0.65, 0.55], [0.58, 0.65, 0.55], [0.58, 0.65, 0.55]];
  const scores = [0.58, 0.58, 0.58];

  it('scores a campaign held by a hand-over chain without its weakest facet', () => {
    const out = liftChainCampaigns(subjects(['chain']), facets, scores, 1);
    expect(out.slice(0, 2)).toEqual([0.58, 0.58]);
    expect(out[2]).toBeCloseTo(combineFacetScores([0.58, 0.65]), 12);
    expect(out[2]).toBeGreaterThan(0.6);
  });

  it('leaves other campaigns, and every campaign when nothing is spared', () => {
    expect(liftChainCampaigns(subjects(['handover', 'template']), facets, scores, 1)).toBe(scores);
    expect(liftChainCampaigns(subjects(['chain']), facets, scores, 0)).toBe(scores);
  });

  it('never lowers a score', () => {
    const high = [0.58, 0.58, 0.9];
    expect(liftChainCampaigns(subjects(['chain']), facets, high, 1)).toBe(high);
  });
});
