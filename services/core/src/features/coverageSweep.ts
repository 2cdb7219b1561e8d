/**
 * Coverage-sweep features: whether an account walks systematically across subject matter.
 * A distillation harvest covers many topics evenly, keeps opening new ones and seldom comes
 * back; a product or a person returns to the same few. Topics are the lab's `topic` label,
 * else a coarse SimHash region of the prompt (`sim:00`..`sim:1f`, see AccountWindow).
 * "New" and "revisited" are judged against the topics the account's profile saw in windows
 * that ended in the 24 hours before this window started, so this must run before the window
 * is recorded into the profile. Reads the profile, never changes it.
 *
 * The population side (how far an account's topic mix is from everybody's) needs all accounts
 * of the window and is the scorer's (`jensenShannon` in detector/scorer.ts).
 */
import type { AccountProfile } from './accountProfile.ts';
import type { AccountWindow } from './accountWindow.ts';
import { clamp01 } from './promptDiversity.ts';
import { share } from './volume.ts';

export const COVERAGE_SWEEP_FEATURES = ['topics_touched_log', 'topics_24h_log', 'topic_evenness', 'new_topic_rate', 'topic_revisit_rate', 'prompt_repeat_share'] as const;
export type CoverageSweepFeature = (typeof COVERAGE_SWEEP_FEATURES)[number];

export function coverageSweepFeatures(w: AccountWindow, profile: AccountProfile): Record<CoverageSweepFeature, number> {
  const touched = w.distinctTopics();
  const ids = new Set(w.topicIds());
  const recent = profile.recentTopics(w.windowStart);
  let revisited = 0;
  for (const id of recent) if (ids.has(id)) revisited++;
  const dayTopics = new Set(recent);
  for (const id of ids) dayTopics.add(id);
  return {
    topics_touched_log: Math.log1p(touched),
    // Breadth over the trailing day (this window and the 24 h before it; the profile remembers
    // at most TOPIC_MEMORY topics): a slow sweep shows few topics an hour but many a day.
    topics_24h_log: Math.log1p(dayTopics.size),
    topic_evenness: normalisedEntropy(w.topTopics().map((t) => t.count)),
    // New topics per request: a sweep keeps opening topics, a product settles into a few.
    new_topic_rate: share(Math.max(0, touched - revisited), w.events),
    // With nothing seen recently there is nothing abandoned either: count it as fully revisited.
    topic_revisit_rate: recent.length === 0 ? 1 : revisited / recent.length,
    // A harvest wants new answers and never asks the same prompt twice; a benchmark run
    // replays the same items every time: diverse, but not new.
    prompt_repeat_share: profile.promptRepeatShare(w.promptSample()),
  };
}

/** Entropy of counts divided by ln(number of counts): 1 for perfectly even, 0 for one category. */
export function normalisedEntropy(counts: readonly number[]): number {
  const k = counts.length;
  if (k < 2) return 0;
  let total = 0;
  for (const c of counts) total += c;
  if (total <= 0) return 0;
  let entropy = 0;
  for (const c of counts) {
    if (c <= 0) continue;
    const p = c / total;
    entropy -= p * Math.log(p);
  }
  return clamp01(entropy / Math.log(k));
}

