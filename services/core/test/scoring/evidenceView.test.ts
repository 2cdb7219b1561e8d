import { describe, expect, it } from 'vitest';
import { evidenceView, featurePercentile } from '../../src/scoring/evidenceView.ts';
import { PopulationProfile } from '../../src/scoring/reasons.ts';
import { FACET_EVIDENCE_SPAN, weighByEvidence } from '../../src/detector/facetForest.ts';
import { DEFAULT_SCORER_OPTIONS } from '../../src/detector/scorer.ts';
import type { FacetRole } from '../../src/features/feature.ts';

const high: FacetRole = { facet: 'coverage', suspicious: 'high' };
const low: FacetRole = { facet: 'coverage', suspicious: 'low' };
const breadth: FacetRole = { facet: 'coverage', suspicious: 'high', corroborates: true };
const unobserved = DEFAULT_SCORER_OPTIONS.unobservedBreadth;
const half = 0.5 + FACET_EVIDENCE_SPAN / 2;

describe('evidenceView', () => {
  it('is the percentile on the suspicious side, floored at the median', () => {
    expect(evidenceView(high, 3, 0.9, unobserved)).toBe(0.9);
    expect(evidenceView(high, 1, 0.2, unobserved)).toBe(0.5);
    expect(evidenceView(low, 0.1, 0.1, unobserved)).toBeCloseTo(0.9, 12);
    expect(evidenceView(low, 0.9, 0.8, unobserved)).toBe(0.5);
  });

  it('reads an observed corroborating feature like any other, whatever the setting', () => {
    expect(evidenceView(breadth, Math.log1p(12), 0.97, half)).toBe(0.97);
    expect(evidenceView(breadth, Math.log1p(2), 0.4, half)).toBe(0.5);
  });

  it('by default lets breadth that was not observed (no labelled topic) neither corroborate nor refute', () => {
    expect(unobserved).toBe(1);
    expect(weighByEvidence(0.7, Math.min(1, evidenceView(breadth, 0, 0.3, unobserved)))).toBeCloseTo(0.7, 12);
  });

  it('with unobservedBreadth at half the evidence span, counts half of a coverage facet read from SimHash regions alone', () => {
    expect(evidenceView(breadth, 0, 0.3, half)).toBe(half);
    expect(weighByEvidence(0.7, Math.min(1, evidenceView(breadth, 0, 0, half)))).toBeCloseTo(0.6, 12);
    expect(weighByEvidence(0.7, Math.min(1, evidenceView(breadth, Math.log1p(12), 0.97, half)))).toBeCloseTo(0.7, 12);
  });

  it('ranks a breadth declared rankedAmongObserved among the subjects that show it, so a narrow one refutes', () => {
    const ranked: FacetRole = { ...breadth, rankedAmongObserved: true };
    const profile = PopulationProfile.fromRows([0, 0, 0, 0, 0, 0, 0.6, 0.7, 0.8, 0.9].map((v) => [v]), ['vocabulary_7d_log']);
    expect(featurePercentile(breadth, profile, 0, 0.6)).toBe(0.65);
    expect(featurePercentile(ranked, profile, 0, 0.6)).toBe(0.125);
    expect(featurePercentile(ranked, profile, 0, 0)).toBe(0.3);
    expect(weighByEvidence(0.7, evidenceView(ranked, 0.6, featurePercentile(ranked, profile, 0, 0.6), unobserved))).toBe(0.5);
  });

  it('reads a feature declared presence by presence, not by rank: seen and none refutes, any ask corroborates in full', () => {
    const asked: FacetRole = { facet: 'elicitation', suspicious: 'high', corroborates: true, rankedAmongObserved: true, presence: true };
    expect(evidenceView(asked, 1, 0.3, half)).toBe(0.5);
    expect(evidenceView(asked, 1.05, 0.62, half)).toBe(1);
    expect(evidenceView(asked, 0, 0, half)).toBe(1);
    expect(weighByEvidence(0.7, Math.min(0.9, evidenceView(asked, 1, 0.3, unobserved)))).toBe(0.5);
    expect(weighByEvidence(0.7, Math.min(0.9, evidenceView(asked, 1.05, 0.62, unobserved)))).toBeCloseTo(0.7, 12);
  });
});
