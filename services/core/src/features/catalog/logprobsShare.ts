/**
 * `logprobs_share`: token probabilities are soft labels for a student model. It enriches
 * `rich_output_log` rather than standing alone: probabilities on one-letter answers harvest
 * little.
 */
import type { AccountFeature } from '../feature.ts';
import { share } from '../measures.ts';

export const logprobsShare: AccountFeature = {
  kind: 'account',
  name: 'logprobs_share',
  role: null,
  usedBy: ['subject-features'],
  combine: 'mean',
  doc: { definition: 'requests with `logprobs` = true or `top_logprobs` > 0', scale: 'share' },
  compute: (w) => share(w.logprobsRequests, w.events),
};
