/**
 * What a feature is: one named number per account-window (an *account* feature, computed by
 * the aggregator and written into the AccountFeatures record) or per scored subject (a
 * *subject* feature, derived by the scorer because it needs a view across accounts or
 * windows). Each feature lives in one module of `catalog/` that declares everything the rest
 * of the tree needs to know about it: how it is computed, which behaviour facet scores it and on
 * which side a value is suspicious (or, with no facet, who reads it), how a campaign combines
 * it, and its documentation (from which schemas/README.md's table is generated).
 *
 * This module holds only types: it must never compute anything or know a feature by name.
 */
import type { TopicCount } from '../schemas.generated.ts';
import type { AccountProfile } from './accountProfile.ts';
import type { AccountWindow } from './accountWindow.ts';

/** The behaviour facets, each scored by its own forest (detector/facetForest.ts), in scoring order. */
export const FACET_NAMES = ['harvest', 'coverage', 'elicitation'] as const;
export type FacetName = (typeof FACET_NAMES)[number];

/** Where a feature counts in scoring: its facet, and the side of the population that is suspicious. */
export interface FacetRole {
  facet: FacetName;
  suspicious: 'high' | 'low';
  /**
   * Not a column of the facet's forest but its corroboration: the facet's score counts only as
   * far as this feature, too, is unusual on its suspicious side (detector/facetForest.ts,
   * `weighByEvidence`): behaviour the facet needs, not merely shows. A value of 0 is "not
   * observed" and neither corroborates nor refutes.
   */
  corroborates?: true;
  /**
   * Ranked among the population's observed (non-zero) values only (scoring/evidenceView.ts):
   * for a corroborating breadth most subjects cannot show, whose zeros would otherwise rank
   * below every observed value and make a narrow one look broad.
   */
  rankedAmongObserved?: true;
  /**
   * Corroborates by presence, not by rank (scoring/evidenceView.ts): an observed value of 1
   * ("seen, and none") refutes in full, any value above 1 corroborates in full, whatever the
   * population around it. For a behaviour whose mere absence says the facet is not about it.
   */
  presence?: true;
}

/**
 * Who reads a feature besides the forests: subject features derived from it, the scorer itself
 * (the request count that shrinks shares and confirms crossings), or the on-call dashboard
 * (services/oncall). Campaign linking reads the record's lists, not features, and alert
 * reasons are drawn from the features a forest sees.
 */
export type FeatureUse = 'subject-features' | 'scorer' | 'dashboard';

/** How the values of several accounts combine into a campaign's value. */
export type CombineMode =
  /** Add up the quantity under log1p: log1p(Σ expm1(v)). Only for log1p-scaled features. */
  | 'sum'
  /** The largest member value. */
  | 'max'
  /** The mean over the members, weighted by their events in the window. */
  | 'mean';

/** How the raw quantity is scaled, for the documentation and for `sum`. */
export type FeatureScale = 'log1p' | 'share' | 'unit' | 'raw';

export interface FeatureDoc {
  /** What the raw quantity is, in one sentence of the schemas/README.md table. */
  definition: string;
  scale: FeatureScale;
}

interface FeatureCommon {
  name: string;
  /** Its facet, or null when no forest sees it (then `usedBy` says who reads it). */
  role: FacetRole | null;
  usedBy: readonly FeatureUse[];
  /**
   * Shrunk toward 0 in the scoring row as if the subject had made SHRINK_REQUESTS more ordinary
   * requests: one person asking one question step by step is not a 100 % elicitation account.
   */
  shrinkWithFewRequests?: boolean;
  doc: FeatureDoc;
}

/** A feature of one account's window, written into its AccountFeatures record. */
export interface AccountFeature extends FeatureCommon {
  kind: 'account';
  combine: CombineMode;
  /**
   * The value for a closed window. `profile` is the account's history before this window (the
   * window is recorded into it afterwards); must not change either argument.
   */
  compute(window: AccountWindow, profile: AccountProfile): number;
}

/** What a subject feature is derived from: a subject's combined account features and topic mix. */
export interface SubjectView {
  /** Combined account feature by name; throws UnknownFeatureError for a name not registered. */
  feature(name: string): number;
  /** The subject's requests in the window, and the share `shrinkWithFewRequests` keeps. */
  requests: number;
  keep: number;
  topics: readonly TopicCount[];
  /** The window population's topic shares. */
  populationTopics: ReadonlyMap<string, number>;
}

/** A feature the scorer derives per subject (account or campaign), never written in a record. */
export interface SubjectFeature extends FeatureCommon {
  kind: 'subject';
  /** Account features it reads (checked against the registry at start). */
  reads: readonly string[];
  /**
   * A quantity per request or a share, which does not add up over accounts: a campaign is
   * at least as suspicious on it as its most suspicious active member (detector/campaignRow.ts).
   * Account features are intensive when they combine by `mean` or `max`.
   */
  intensive?: true;
  derive(subject: SubjectView): number;
}

export type Feature = AccountFeature | SubjectFeature;
