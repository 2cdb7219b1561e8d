/**
 * `topic_evenness`: a harvest covers its topics evenly; a product or a person returns to the
 * same few.
 */
import { accountFeature, facet } from '../declare.ts';
import { normalisedEntropy } from '../measures.ts';

export const topicEvenness = accountFeature('topic_evenness', {
  compute: (w) => normalisedEntropy(w.topTopics().map((t) => t.count)),
  doc: { definition: "entropy of the window's topic counts / ln(topics); 0 with ≤ 1 topic", scale: 'unit' },
  role: facet('coverage'), combine: 'mean',
});
