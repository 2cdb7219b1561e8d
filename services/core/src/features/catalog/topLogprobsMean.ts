/** `top_logprobs_mean`: how many alternatives per token an account asks for (see `rich_output_log`). */
import { perRequest } from '../declare.ts';

// A mean count, not a share: one request may ask for up to 20 alternatives.
export const topLogprobsMean = perRequest('top_logprobs_mean', 'mean `top_logprobs` over all requests (absent = 0)', (w) => w.topLogprobsSum, { usedBy: ['subject-features'], scale: 'raw' });
