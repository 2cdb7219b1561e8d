/**
 * `logprobs_share`: token probabilities are soft labels for a student model. It enriches
 * `rich_output_log` rather than standing alone: probabilities on one-letter answers harvest
 * little.
 */
import { perRequest } from '../declare.ts';

export const logprobsShare = perRequest('logprobs_share', 'requests with `logprobs` = true or `top_logprobs` > 0', (w) => w.logprobsRequests, {
  usedBy: ['subject-features'],
});
