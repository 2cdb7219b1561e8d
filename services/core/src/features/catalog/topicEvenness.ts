/**
 * `topic_evenness`: a harvest covers its topics evenly; a product or a person returns to the
 * same few.
 */
import type { AccountFeature } from '../feature.ts';
import { normalisedEntropy } from '../measures.ts';

export const topicEvenness: AccountFeature = {
  kind: 'account',
  name: 'topic_evenness',
  role: { facet: 'coverage', suspicious: 'high' },
  usedBy: [],
  combine: 'mean',
  doc: { definition: "entropy of the window's topic counts / ln(topics); 0 with ≤ 1 topic", scale: 'unit' },
  compute: (w) => normalisedEntropy(w.topTopics().map((t) => t.count)),
};
