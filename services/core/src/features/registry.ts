/**
 * The feature registry: every feature the detector computes, in one ordered list, checked once
 * at start. The scorer, the campaign combination (detector/subjects.ts), the record writer
 * (extractFeatures.ts) and the generated table in schemas/README.md read it; nothing else
 * knows a feature by name. A name that is not registered is an `UnknownFeatureError`, never a
 * silent 0.
 *
 * Order matters and is part of the model format: records list account features in this order,
 * and the forests see the features with a facet in this order (facet by facet, as each facet's
 * forest draws its split columns by position). Adding a feature: one module in `catalog/`, one
 * line here; `FEATURE_SET` changes with it, so states and models of the old set are refused.
 * Must never compute a feature itself.
 */
import { fnv1a64Hex } from '../campaigns/hash.ts';
import { FACET_NAMES, type AccountFeature, type Feature, type FacetName, type SubjectFeature } from './feature.ts';
import { requestsLog } from './catalog/requestsLog.ts';
import { outputTokensLog } from './catalog/outputTokensLog.ts';
import { spendLog } from './catalog/spendLog.ts';
import { outputInputRatio } from './catalog/outputInputRatio.ts';
import { outputPerRequestLog } from './catalog/outputPerRequestLog.ts';
import { richOutputLog } from './catalog/richOutputLog.ts';
import { topicsTouchedLog } from './catalog/topicsTouchedLog.ts';
import { topics24hLog } from './catalog/topics24hLog.ts';
import { topicsWeekLog } from './catalog/topicsWeekLog.ts';
import { vocabularyWeek } from './catalog/vocabularyWeek.ts';
import { novelTopicsLog } from './catalog/novelTopicsLog.ts';
import { novelTopics24hLog } from './catalog/novelTopics24hLog.ts';
import { topicEvenness } from './catalog/topicEvenness.ts';
import { topicDivergence } from './catalog/topicDivergence.ts';
import { promptRepeatShare } from './catalog/promptRepeatShare.ts';
import { reasoningShare } from './catalog/reasoningShare.ts';
import { reasoningAsked } from './catalog/reasoningAsked.ts';
import { logprobsShare } from './catalog/logprobsShare.ts';
import { topLogprobsMean } from './catalog/topLogprobsMean.ts';
import { highEffortShare } from './catalog/highEffortShare.ts';
import { maxTokensLog } from './catalog/maxTokensLog.ts';
import { multiNShare } from './catalog/multiNShare.ts';

/** Every registered feature, in registry order. */
export const FEATURES: readonly Feature[] = [
  requestsLog, outputTokensLog, spendLog,
  outputInputRatio, outputPerRequestLog, richOutputLog,
  topicsTouchedLog, topics24hLog, topicsWeekLog, vocabularyWeek, novelTopicsLog, novelTopics24hLog, topicEvenness, topicDivergence, promptRepeatShare,
  reasoningShare, reasoningAsked, logprobsShare, topLogprobsMean, highEffortShare, maxTokensLog, multiNShare,
];

/** A feature name that the registry does not hold (a typo, or a record or model of another feature set). */
export class UnknownFeatureError extends Error {
  readonly feature: string;
  constructor(feature: string, where: string) {
    super(`unknown feature "${feature}" in ${where}`);
    this.name = 'UnknownFeatureError';
    this.feature = feature;
  }
}

/** A registry whose declarations contradict each other (found at start, never while scoring). */
export class FeatureRegistryError extends Error {
  constructor(message: string) {
    super(`feature registry: ${message}`);
    this.name = 'FeatureRegistryError';
  }
}

export class FeatureRegistry {
  readonly all: readonly Feature[];
  /** Written into every AccountFeatures record, in this order. */
  readonly account: readonly AccountFeature[];
  readonly subject: readonly SubjectFeature[];
  /**
   * What the model row holds, in column order: facet by facet, the forest's features in
   * registry order, then the facet's corroborating features.
   */
  readonly scored: readonly Feature[];
  /** Each facet's forest features, and the features that corroborate it (FacetRole.corroborates). */
  readonly facets: ReadonlyArray<{ name: FacetName; features: readonly string[]; corroboration: readonly string[] }>;
  /**
   * Identifies the feature set (names, kinds, facets, sides, combine modes, in order). States
   * and models record it; a different set refuses them.
   */
  readonly id: string;
  private readonly byName: ReadonlyMap<string, Feature>;

  constructor(features: readonly Feature[]) {
    this.all = features;
    this.byName = new Map(features.map((f) => [f.name, f]));
    this.account = features.filter((f): f is AccountFeature => f.kind === 'account');
    this.subject = features.filter((f): f is SubjectFeature => f.kind === 'subject');
    this.facets = FACET_NAMES.map((name) => {
      const own = features.filter((f) => f.role?.facet === name);
      const corroborating = (f: Feature) => f.role!.corroborates === true;
      return { name, features: own.filter((f) => !corroborating(f)).map((f) => f.name), corroboration: own.filter(corroborating).map((f) => f.name) };
    });
    this.scored = this.facets.flatMap((f) => [...f.features, ...f.corroboration].map((n) => this.get(n, 'the facets')));
    this.id = `features-${fnv1a64Hex(JSON.stringify(features.map((f) => [f.name, f.kind, f.role, 'combine' in f ? f.combine : null, f.shrinkWithFewRequests ?? false])))}`;
    this.check();
  }

  get(name: string, where: string): Feature {
    const f = this.byName.get(name);
    if (!f) throw new UnknownFeatureError(name, where);
    return f;
  }

  /** The first account feature missing from a record's features (written by another feature set), or null. */
  missingFrom(features: Readonly<Record<string, number>>): string | null {
    return this.account.find((f) => features[f.name] === undefined)?.name ?? null;
  }

  private check(): void {
    if (this.byName.size !== this.all.length) throw new FeatureRegistryError('a feature name is registered twice');
    for (const f of this.all) {
      if (!/^[a-z][a-z0-9_]*$/.test(f.name)) throw new FeatureRegistryError(`"${f.name}" is not a snake_case name`);
      if (f.role === null && f.usedBy.length === 0) throw new FeatureRegistryError(`${f.name} has no facet and no user: remove it`);
      if (f.role?.rankedAmongObserved && !f.role.corroborates) throw new FeatureRegistryError(`${f.name} is ranked among observed values but corroborates nothing`);
      if (f.role?.presence && !f.role.corroborates) throw new FeatureRegistryError(`${f.name} corroborates by presence but corroborates nothing`);
      if (f.kind === 'account' && f.combine === 'sum' && f.doc.scale !== 'log1p') {
        throw new FeatureRegistryError(`${f.name} combines by sum but is not log1p-scaled`);
      }
      if (f.kind === 'subject') {
        for (const input of f.reads) {
          if (this.byName.get(input)?.kind !== 'account') throw new FeatureRegistryError(`${f.name} reads "${input}", which is not an account feature`);
        }
      }
    }
    for (const f of this.all.filter((g) => g.usedBy.includes('subject-features'))) {
      if (!this.subject.some((s) => s.reads.includes(f.name))) throw new FeatureRegistryError(`${f.name} says a subject feature reads it, but none does`);
    }
    for (const facet of this.facets) if (facet.features.length === 0) throw new FeatureRegistryError(`facet ${facet.name} has no feature`);
  }
}

/** The detector's registry. */
export const REGISTRY = new FeatureRegistry(FEATURES);

/** Names of the account features, in record order. */
export const FEATURE_NAMES: readonly string[] = Object.freeze(REGISTRY.account.map((f) => f.name));
