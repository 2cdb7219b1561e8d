/** `top_logprobs_mean`: how many alternatives per token an account asks for (see `rich_output_log`). */
import type { AccountFeature } from '../feature.ts';
import { share } from '../measures.ts';

export const topLogprobsMean: AccountFeature = {
  kind: 'account',
  name: 'top_logprobs_mean',
  role: null,
  usedBy: ['subject-features'],
  combine: 'mean',
  doc: { definition: 'mean `top_logprobs` over all requests (absent = 0)', scale: 'raw' },
  compute: (w) => share(w.topLogprobsSum, w.events),
};
