/**
 * `topics_24h_log`: breadth over the trailing day (this window and the 24 h before it; the
 * profile remembers at most TOPIC_MEMORY topics). A slow sweep shows few topics an hour but
 * many a day.
 */
import { quantityLog } from '../declare.ts';

export const topics24hLog = quantityLog(
  'topics_24h_log',
  "distinct topics of this window and of the account's windows in the previous 24 h (16 remembered)",
  (w, profile) => new Set([...profile.recentTopics(w.windowStart), ...w.topicIds()]).size,
  { usedBy: ['subject-features'] },
);
