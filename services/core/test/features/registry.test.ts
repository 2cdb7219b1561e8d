import { describe, expect, it } from 'vitest';
import type { AccountFeatures } from '../../src/schemas.generated.ts';
import { FEATURES, FeatureRegistry, FeatureRegistryError, REGISTRY, UnknownFeatureError } from '../../src/features/registry.ts';
import type { AccountFeature, SubjectFeature } from '../../src/features/feature.ts';
import { extractFeatures } from '../../src/features/extractFeatures.ts';
import { WindowScorer } from '../../src/detector/scorer.ts';
import { restoreScorerState, scorerStateToJSON, ScorerStateFormatError } from '../../src/detector/scorerState.ts';
import { accountFeatures } from '../../src/features/extractFeatures.ts';
import { inputTokensLog } from './fixtures/inputTokensLog.ts';
import { event, hourOf, newAccount, T0 } from './traffic.ts';

const HOUR = 3_600_000;

describe('the feature registry', () => {
  it('gives every facet a feature, and every feature without a facet a reader', () => {
    for (const facet of REGISTRY.facets) expect(facet.features.length).toBeGreaterThan(0);
    for (const f of REGISTRY.all) if (f.role === null) expect(f.usedBy.length).toBeGreaterThan(0);
  });

  it('lists the scored features facet by facet, each facet\'s corroboration after its forest\'s features', () => {
    expect(REGISTRY.scored.map((f) => f.name)).toEqual(REGISTRY.facets.flatMap((f) => [...f.features, ...f.corroboration]));
  });

  it('lets the week\'s breadth corroborate the coverage facet and a reasoning ask the elicitation facet, outside their forests, and nothing else corroborate', () => {
    expect(REGISTRY.facets.map((f) => [f.name, f.corroboration])).toEqual([['harvest', []], ['coverage', ['topics_7d_log', 'vocabulary_7d_log']], ['elicitation', ['reasoning_asked']]]);
    expect(REGISTRY.facets.flatMap((f) => f.features)).not.toContain('reasoning_asked');
    expect(REGISTRY.facets.flatMap((f) => f.features)).not.toContain('topics_7d_log');
    expect(REGISTRY.facets.flatMap((f) => f.features)).not.toContain('vocabulary_7d_log');
  });

  it('refuses, at start, a feature ranked among observed values that corroborates nothing', () => {
    const ranked: AccountFeature = {
      kind: 'account', name: 'ranked_share', role: { facet: 'coverage', suspicious: 'high', rankedAmongObserved: true }, usedBy: [], combine: 'max',
      doc: { definition: 'a breadth that corroborates nothing', scale: 'unit' }, compute: () => 0,
    };
    expect(() => new FeatureRegistry([...FEATURES, ranked])).toThrow(/ranked among observed values but corroborates nothing/);
  });

  it('refuses, at start, a feature that corroborates by presence but corroborates nothing', () => {
    const present: AccountFeature = {
      kind: 'account', name: 'present_share', role: { facet: 'elicitation', suspicious: 'high', presence: true }, usedBy: [], combine: 'max',
      doc: { definition: 'a presence that corroborates nothing', scale: 'raw' }, compute: () => 0,
    };
    expect(() => new FeatureRegistry([...FEATURES, present])).toThrow(/corroborates by presence but corroborates nothing/);
  });

  it('refuses an unknown name with an UnknownFeatureError', () => {
    expect(() => REGISTRY.get('reasoning_shar', 'a test')).toThrow(UnknownFeatureError);
    expect(() => REGISTRY.get('reasoning_shar', 'a test')).toThrow(/unknown feature "reasoning_shar" in a test/);
  });

  it('refuses, at start, a subject feature that reads a feature nobody registered', () => {
    const typo: SubjectFeature = {
      kind: 'subject', name: 'typo_log', role: { facet: 'harvest', suspicious: 'high' }, usedBy: [], reads: ['output_token_log'],
      doc: { definition: 'a typo', scale: 'log1p' }, derive: (s) => s.feature('output_token_log'),
    };
    expect(() => new FeatureRegistry([...FEATURES, typo])).toThrow(FeatureRegistryError);
  });

  it('refuses a feature that serves nothing, a name given twice, and a sum over a scale that does not add up', () => {
    const unused: AccountFeature = { ...inputTokensLog, role: null, usedBy: [] };
    expect(() => new FeatureRegistry([...FEATURES, unused])).toThrow(/no facet and no user/);
    expect(() => new FeatureRegistry([...FEATURES, FEATURES[0]!])).toThrow(/registered twice/);
    expect(() => new FeatureRegistry([...FEATURES, { ...inputTokensLog, doc: { ...inputTokensLog.doc, scale: 'share' } }])).toThrow(/sum/);
  });
});

describe('adding a feature (one module, one line in the registry list)', () => {
  const extended = new FeatureRegistry([...FEATURES, inputTokensLog]);

  it('writes it into every record', () => {
    const profile = newAccount();
    const window = accountFeatures.openWindow(profile, T0, T0 + HOUR);
    for (const e of hourOf(3, () => ({ input_tokens: 100 }))) accountFeatures.add(window, e);
    const record = extractFeatures(window, profile, extended);
    expect(record.features.input_tokens_log).toBeCloseTo(Math.log1p(300), 12);
    expect(Object.keys(record.features)).toEqual(extended.account.map((f) => f.name));
  });

  it('lets its facet\'s forest see it', () => {
    const scorer = new WindowScorer({}, undefined, extended);
    expect(extended.facets.find((f) => f.name === 'harvest')!.features).toContain('input_tokens_log');
    expect(scorer.modelFeatureNames).toContain('input_tokens_log');
  });

  it('refuses a record written without it, instead of scoring it as 0', () => {
    const profile = newAccount();
    const window = accountFeatures.openWindow(profile, T0, T0 + HOUR);
    accountFeatures.add(window, event());
    const old: AccountFeatures = extractFeatures(window, profile);
    expect(() => new WindowScorer({}, undefined, extended).scoreWindow(T0, T0 + HOUR, [old])).toThrow(UnknownFeatureError);
  });

  it('changes the feature set, so a scorer state of the old set is refused', () => {
    expect(extended.id).not.toBe(REGISTRY.id);
    const state = scorerStateToJSON(new WindowScorer());
    expect(() => restoreScorerState(new WindowScorer({}, undefined, extended), state, null)).toThrow(ScorerStateFormatError);
  });
});
