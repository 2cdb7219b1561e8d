/**
 * `prompt_repeat_share`: a harvest wants new answers and never asks the same prompt twice; a
 * benchmark run replays the same items every time: diverse, but not new. It discounts the
 * coverage subject features.
 */
import { accountFeature } from '../declare.ts';

export const promptRepeatShare = accountFeature('prompt_repeat_share', {
  usedBy: ['subject-features'],
  combine: 'mean',
  doc: {
    definition: "share of the window's sampled prompts (bottom-8 of prompt hashes) that the account sent before: the profile keeps the 8 smallest prompt hashes ever seen, so a sampled hash at or below the largest of them was seen before exactly when it is held (exact on the sample, independent of arrival order; 0 when nothing is comparable)",
    scale: 'share',
  },
  compute: (w, profile) => profile.promptRepeatShare(w.promptSample()),
});
