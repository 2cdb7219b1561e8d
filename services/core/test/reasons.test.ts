import { describe, expect, it } from 'vitest';
import { IsolationForest } from '../src/forest/isolationForest.ts';
import { SeededRandom } from '../src/random.ts';
import { PopulationProfile, topReasons } from '../src/scoring/reasons.ts';

const names = ['requests', 'distinct_topics', 'logprobs_share', 'spend_usd'];

/** 2,000 windows: requests ~ 100 ± 20, topics ~ 12 ± 3, logprobs share mostly 0, spend ~ 5 ± 1. */
function population(): number[][] {
  const random = new SeededRandom(99);
  return Array.from({ length: 2000 }, () => [
    100 + 20 * random.nextGaussian(),
    12 + 3 * random.nextGaussian(),
    random.nextFloat() < 0.9 ? 0 : random.nextFloat() * 0.2,
    5 + random.nextGaussian(),
  ]);
}

describe('PopulationProfile', () => {
  it('ranks a positive value among the observed (positive) values only, for a breadth most rows cannot show', () => {
    // Six rows unobserved (0), four observed: 0.6, 0.7, 0.8, 0.9.
    const profile = PopulationProfile.fromRows([0, 0, 0, 0, 0, 0, 0.6, 0.7, 0.8, 0.9].map((v) => [v]), ['vocabulary_7d_log']);
    expect(profile.percentile(0, 0.6)).toBe(65); // above every unobserved row
    expect(profile.percentileAmongObserved(0, 0.6)).toBe(12.5); // the narrowest of those observed
    expect(profile.percentileAmongObserved(0, 0.85)).toBe(75);
    expect(profile.percentileAmongObserved(0, 1)).toBe(100);
    expect(PopulationProfile.fromRows([[0], [0]], ['vocabulary_7d_log']).percentileAmongObserved(0, 0.5)).toBe(100);
  });

  it('gives the exact mid-rank percentile and median of a small population', () => {
    const profile = PopulationProfile.fromRows([[1], [2], [3], [4]], ['requests']);
    expect(profile.median(0)).toBe(2.5);
    expect(profile.percentile(0, 0)).toBe(0);
    expect(profile.percentile(0, 3)).toBe(62.5); // two below, one tied (counted half), of four
    expect(profile.percentile(0, 2.5)).toBe(50);
    expect(profile.percentile(0, 99)).toBe(100);
  });

  it('counts ties half, so a value shared by 90% of the population sits at the 45th percentile', () => {
    const rows = Array.from({ length: 100 }, (_, i) => [i < 90 ? 0 : i]);
    expect(PopulationProfile.fromRows(rows, ['logprobs_share']).percentile(0, 0)).toBe(45);
  });

  it('summarises a large population in a 1,001-point grid that stays within 0.2 percentile points of exact', () => {
    const rows = population();
    const profile = PopulationProfile.fromRows(rows, names);
    const sorted = rows.map((row) => row[0]!).sort((a, b) => a - b);
    for (const value of [60, 90, 100, 110, 140]) {
      const exact = (100 * sorted.filter((v) => v < value).length) / sorted.length;
      expect(Math.abs(profile.percentile(0, value) - exact)).toBeLessThan(0.2);
    }
    expect(profile.toJSON().grids[0]).toHaveLength(1001);
  });

  it('survives a JSON round trip unchanged', () => {
    const profile = PopulationProfile.fromRows(population(), names);
    const loaded = PopulationProfile.fromJSON(JSON.parse(JSON.stringify(profile)));
    expect(loaded.toJSON()).toEqual(profile.toJSON());
    expect(() => PopulationProfile.fromJSON({ format: 'other' })).toThrow(RangeError);
  });

  it('rejects feature names that do not match the columns', () => {
    expect(() => PopulationProfile.fromRows([[1, 2]], ['requests'])).toThrow(RangeError);
  });
});

describe('topReasons', () => {
  const rows = population();
  const forest = new IsolationForest({ trees: 100, seed: 5 }).fit(rows, { featureNames: names });
  const profile = PopulationProfile.fromRows(rows, names);

  it('names the features that made a heavy logprobs user stand out, most important first', () => {
    const row = [105, 40, 0.95, 5.2];
    const reasons = topReasons(forest.explain(row), row, profile);
    expect(reasons).toHaveLength(3);
    expect(reasons.slice(0, 2).map((r) => r.feature).sort()).toEqual(['distinct_topics', 'logprobs_share']);
    for (let i = 1; i < reasons.length; i++) expect(reasons[i]!.contribution).toBeLessThanOrEqual(reasons[i - 1]!.contribution);
  });

  it('reports each reason against the population: value, median baseline and percentile', () => {
    const row = [105, 40, 0.95, 5.2];
    const topics = topReasons(forest.explain(row), row, profile).find((r) => r.feature === 'distinct_topics')!;
    expect(topics.value).toBe(40);
    expect(topics.baseline).toBeCloseTo(12, 0);
    expect(topics.percentile).toBe(100);
    expect(topics.contribution).toBeGreaterThan(0.25);
  });

  it('returns as many reasons as asked, up to the number of features', () => {
    const row = [105, 40, 0.95, 5.2];
    expect(topReasons(forest.explain(row), row, profile, 10)).toHaveLength(4);
  });

  it('breaks contribution ties by column order', () => {
    const reasons = topReasons([0.25, 0.25, 0.25, 0.25], [1, 2, 3, 4], profile);
    expect(reasons.map((r) => r.feature)).toEqual(['requests', 'distinct_topics', 'logprobs_share']);
  });

  it('rejects contributions or values of the wrong width', () => {
    expect(() => topReasons([1], [1, 2, 3, 4], profile)).toThrow(RangeError);
  });
});
