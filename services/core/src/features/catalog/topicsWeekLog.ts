/**
 * `topics_7d_log`: how many subject domains an account covered over the trailing week (this
 * window and its windows of the 7 days before; the profile remembers the 16 topics it saw last),
 * counting only the lab's own topic labels. Distillation must cover the capability space, so a
 * harvest touches many domains over days; a deep researcher or a content studio may be as busy
 * and as rich in reasoning, yet keeps to one or a few domains for days. It corroborates the
 * coverage facet: that facet counts only as far as this breadth is unusual.
 *
 * The SimHash regions given to unlabelled prompts are buckets of prompt space, not domains
 * (a researcher's prompts on one field fall in many of them), so they are left out: 0 means the
 * lab labelled no topic of the account this week, and then the feature neither corroborates
 * nor refutes (see the scorer's forest view); `vocabulary_7d_log` measures the breadth then.
 */
import { DERIVED_TOPIC_IDS, type AccountWindow } from '../accountWindow.ts';
import type { AccountProfile } from '../accountProfile.ts';
import type { AccountFeature } from '../feature.ts';

/** How far back the week's breadth reaches, in the profile's UTC hours. */
export const BREADTH_HOURS = 7 * 24;

export const topicsWeekLog: AccountFeature = {
  kind: 'account',
  name: 'topics_7d_log',
  role: { facet: 'coverage', suspicious: 'high', corroborates: true },
  usedBy: [],
  combine: 'sum',
  doc: { definition: "distinct labelled topics (not SimHash regions) of this window and of the account's windows in the previous 7 days (16 remembered)", scale: 'log1p' },
  compute: (w, profile) => Math.log1p(labelledTopicsOfWeek(w, profile)),
};

/** Distinct topics the lab labelled in this window and the account's windows of the 7 days before. */
export function labelledTopicsOfWeek(w: AccountWindow, profile: AccountProfile): number {
  const domains = new Set(profile.recentTopics(w.windowStart, BREADTH_HOURS));
  for (const id of w.topicIds()) domains.add(id);
  for (const id of DERIVED_TOPIC_IDS) domains.delete(id);
  return domains.size;
}
