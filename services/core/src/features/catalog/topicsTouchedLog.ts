/**
 * `topics_touched_log`: how many topics an account touched in the window. Breadth alone is
 * also a benchmark replay's; `novel_topics_log` counts it only for new prompts. Charted by the
 * dashboard.
 */
import type { AccountFeature } from '../feature.ts';

export const topicsTouchedLog: AccountFeature = {
  kind: 'account',
  name: 'topics_touched_log',
  role: null,
  usedBy: ['subject-features', 'dashboard'],
  combine: 'sum',
  doc: { definition: 'distinct topics in the window', scale: 'log1p' },
  compute: (w) => Math.log1p(w.distinctTopics()),
};
