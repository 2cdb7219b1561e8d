/**
 * The forest's view of one feature value: its population percentile, floored at the median on
 * the innocent side (values in [0.5, 1]), so that being unusually innocent never looks
 * suspicious. The scorer builds every row the forests train on and score with from it.
 *
 * A corroborating feature (FacetRole.corroborates) that was not observed (0: the lab labelled
 * no topic of the subject this week) reads as the scorer's `unobservedBreadth`. By default 1:
 * what cannot be seen neither corroborates nor refutes. Lower values make the coverage facet
 * count only part of its score above 0.5 where breadth over days cannot be seen
 * (detector/facetForest.ts, `weighByEvidence`): coverage read from SimHash regions alone is
 * coverage of prompt space, not of the capability space, and a researcher's prompts on one field
 * fall into as many regions as a sweep's. The price is recall on that lab's lone campaigns,
 * which cannot show their breadth either (README, "Detector settings", has the figures).
 *
 * A feature declared `rankedAmongObserved` is ranked among the observed values only
 * (`featurePercentile`): where most subjects cannot show a breadth (`vocabulary_7d_log`, read only
 * where a lab sends text and labels no topic), their zeros must not make a narrow value look broad.
 * A feature declared `presence` corroborates by presence, not by rank: 1 ("seen, and none": a
 * subject seen to ask for no reasoning at all) reads as the median, so the facet it corroborates
 * counts nothing above 0.5; anything above 1 reads as 1; not observed (0) reads as 1 whatever
 * `unobservedBreadth` says (that setting is about breadth).
 * Must never read a clock, a label or prompt text.
 */
import type { FacetRole } from '../features/feature.ts';
import type { PopulationProfile } from './reasons.ts';

/** The population percentile (0-1) of feature `j`'s `value` that the forest's view reads. */
export function featurePercentile(role: FacetRole, profile: PopulationProfile, j: number, value: number): number {
  return (role.rankedAmongObserved && value > 0 ? profile.percentileAmongObserved(j, value) : profile.percentile(j, value)) / 100;
}

/** The forest's view of a value of a feature with `role`, at population percentile `percentile` (0-1). */
export function evidenceView(role: FacetRole, value: number, percentile: number, unobservedBreadth: number): number {
  if (role.presence) return value === 0 || value > 1 ? 1 : 0.5;
  if (role.corroborates && value === 0) return unobservedBreadth;
  return Math.max(0.5, role.suspicious === 'high' ? percentile : 1 - percentile);
}
