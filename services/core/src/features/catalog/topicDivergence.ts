/**
 * `topic_divergence`: how far a subject's topic mix is from the window population's. A sweep's
 * mix is broad, so close to the population's: low divergence is its side (a niche user
 * diverges). Per subject because it needs every account of the window.
 */
import type { SubjectFeature } from '../feature.ts';
import { jensenShannon, topicShares } from '../topicMix.ts';

export const topicDivergence: SubjectFeature = {
  kind: 'subject',
  name: 'topic_divergence',
  role: { facet: 'coverage', suspicious: 'low' },
  usedBy: [],
  reads: [],
  doc: { definition: "Jensen–Shannon divergence (base 2) of the subject's topic mix from the window population's", scale: 'unit' },
  derive: (s) => jensenShannon(topicShares(s.topics), s.populationTopics),
};
