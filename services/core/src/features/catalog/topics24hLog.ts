/**
 * `topics_24h_log`: breadth over the trailing day (this window and the 24 h before it; the
 * profile remembers at most TOPIC_MEMORY topics). A slow sweep shows few topics an hour but
 * many a day.
 */
import type { AccountFeature } from '../feature.ts';

export const topics24hLog: AccountFeature = {
  kind: 'account',
  name: 'topics_24h_log',
  role: null,
  usedBy: ['subject-features'],
  combine: 'sum',
  doc: { definition: "distinct topics of this window and of the account's windows in the previous 24 h (16 remembered)", scale: 'log1p' },
  compute: (w, profile) => {
    const dayTopics = new Set(profile.recentTopics(w.windowStart));
    for (const id of w.topicIds()) dayTopics.add(id);
    return Math.log1p(dayTopics.size);
  },
};
