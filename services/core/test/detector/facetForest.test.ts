import { describe, expect, it } from 'vitest';
import { FACET_EVIDENCE_SPAN, FacetForest, weighByEvidence, type Facet } from '../../src/detector/facetForest.ts';
import { SeededRandom } from '../../src/random.ts';

// Rows as the scorer feeds them: percentiles in [0.5, 1] (the innocent side floored at the
// median). Two facets of two columns each; the population is ordinary in both.
const facets: Facet[] = [{ name: 'harvest', columns: [0, 1], corroboration: [] }, { name: 'coverage', columns: [2, 3], corroboration: [] }];
const names = ['output_per_request_log', 'logprobs_share', 'novel_topics_log', 'topic_evenness'];
const random = new SeededRandom(3);
const population = Array.from({ length: 512 }, () => Float64Array.from({ length: 4 }, () => 0.5 + 0.3 * random.nextFloat()));
const forest = FacetForest.fit(population, facets, names, { trees: 100, sampleSize: 256, seed: 42 });

const ordinary = Float64Array.of(0.6, 0.6, 0.6, 0.6);
const harvestOnly = Float64Array.of(1, 1, 0.6, 0.6);
const coverageOnly = Float64Array.of(0.6, 0.6, 1, 1);
const both = Float64Array.of(1, 1, 1, 1);

describe('FacetForest', () => {
  it('scores a row extreme in one facet lower than a row extreme in every facet', () => {
    expect(forest.score(harvestOnly)).toBeLessThan(forest.score(both));
    expect(forest.score(coverageOnly)).toBeLessThan(forest.score(both));
    expect(forest.score(both)).toBeGreaterThan(0.62);
  });

  it('stays close to the score of the most ordinary facet (a soft minimum)', () => {
    const [harvest, coverage] = forest.facetScores(harvestOnly);
    expect(harvest).toBeGreaterThan(0.62);
    expect(forest.score(harvestOnly)).toBeLessThan(harvest!);
    expect(forest.score(harvestOnly)).toBeLessThan(coverage! + 0.05);
    expect(forest.score(harvestOnly)).toBeLessThan(0.62);
    expect(forest.score(ordinary)).toBeLessThan(0.62);
  });

  it('scores each facet by its own columns only', () => {
    const [harvest, coverage] = forest.facetScores(harvestOnly);
    expect(forest.facetScores(both)[0]).toBeCloseTo(harvest!, 12);
    expect(forest.facetScores(ordinary)[1]).toBeCloseTo(coverage!, 12);
  });

  it('explains a score with shares of the columns that sum to 1 when a facet is above 0.5', () => {
    for (const row of [both, harvestOnly, coverageOnly]) {
      expect(forest.facetScores(row).some((s) => s > 0.5)).toBe(true);
      const shares = forest.explain(row);
      expect(shares).toHaveLength(4);
      expect(shares.every((s) => s >= 0)).toBe(true);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });

  it('explains a row extreme in one facet by that facet\'s columns', () => {
    const shares = forest.explain(harvestOnly);
    expect(shares[0]! + shares[1]!).toBeGreaterThan(shares[2]! + shares[3]!);
  });

  it('gives identical scores and explanations after a JSON round trip', () => {
    const restored = FacetForest.fromJSON(JSON.parse(JSON.stringify(forest.toJSON())), names.length);
    expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(forest.toJSON()));
    for (const row of [ordinary, harvestOnly, coverageOnly, both, ...population.slice(0, 50)]) {
      expect(restored.score(row)).toBe(forest.score(row));
      expect(restored.explain(row)).toEqual(forest.explain(row));
    }
  });

  it('trains the same forest from the same rows and seed, another with another seed', () => {
    const again = FacetForest.fit(population, facets, names, { trees: 100, sampleSize: 256, seed: 42 });
    const reseeded = FacetForest.fit(population, facets, names, { trees: 100, sampleSize: 256, seed: 43 });
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(forest.toJSON()));
    expect(JSON.stringify(reseeded.toJSON())).not.toBe(JSON.stringify(forest.toJSON()));
  });

  it('counts a facet only as far as its corroborating column is unusual too', () => {
    // A fifth column corroborates coverage (as the week's breadth does): the forests never see it.
    const corroborated = FacetForest.fit(population.map((r) => Float64Array.of(...r, 0.5)),
      [facets[0]!, { ...facets[1]!, corroboration: [4] }], [...names, 'topics_7d_log'], { trees: 100, sampleSize: 256, seed: 42 });
    const narrow = Float64Array.of(1, 1, 1, 1, 0.5);
    const broad = Float64Array.of(1, 1, 1, 1, 1);
    expect(corroborated.facetScores(broad)).toEqual(forest.facetScores(both));
    expect(corroborated.facetScores(broad)[1]).toBeGreaterThan(0.6);
    expect(corroborated.facetScores(narrow)[1]).toBe(0.5);
    expect(corroborated.score(narrow)).toBeLessThan(0.55);
    expect(corroborated.facetScores(Float64Array.of(1, 1, 1, 1, 0.5 + FACET_EVIDENCE_SPAN / 2))[1]).toBeCloseTo((0.5 + forest.facetScores(both)[1]!) / 2, 12);
  });

  it('rejects a document that is not a facet forest', () => {
    expect(() => FacetForest.fromJSON({ format: 'distillwatch.facet-forest', version: 1 }, 4)).toThrow(/not a distillwatch facet forest/);
  });
});

describe('weighByEvidence', () => {
  it('does not call a facet unusual when no feature of it is above the population median', () => {
    expect(weighByEvidence(0.7, 0.5)).toBe(0.5);
  });

  it('counts a facet score in full once its most suspicious feature reaches the median plus the span', () => {
    expect(weighByEvidence(0.7, 0.5 + FACET_EVIDENCE_SPAN)).toBeCloseTo(0.7, 12);
    expect(weighByEvidence(0.7, 1)).toBeCloseTo(0.7, 12);
    expect(weighByEvidence(0.7, 0.5 + FACET_EVIDENCE_SPAN / 2)).toBeCloseTo(0.6, 12);
  });

  it('never raises a score, and keeps scores at or below 0.5', () => {
    expect(weighByEvidence(0.45, 0.5)).toBe(0.45);
    expect(weighByEvidence(0.45, 1)).toBe(0.45);
  });

  it('scores a row sitting in a sparsely held floored corner as ordinary', () => {
    // The population never sits exactly on the floor, so the forest isolates the corner fast.
    const corner = Float64Array.of(0.5, 0.5, 0.5, 0.5);
    expect(forest.facetScores(corner).every((x) => x <= 0.5)).toBe(true);
  });
});

