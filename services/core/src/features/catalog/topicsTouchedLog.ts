/**
 * `topics_touched_log`: how many topics an account touched in the window. Breadth alone is
 * also a benchmark replay's; `novel_topics_log` counts it only for new prompts. Charted by the
 * dashboard.
 */
import { quantityLog } from '../declare.ts';

export const topicsTouchedLog = quantityLog('topics_touched_log', 'distinct topics in the window', (w) => w.distinctTopics(), {
  usedBy: ['subject-features', 'dashboard'],
});
