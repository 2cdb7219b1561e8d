/** `multi_n_share`: several samples per prompt give a student model a distribution, not one answer. */
import type { AccountFeature } from '../feature.ts';
import { share } from '../measures.ts';

export const multiNShare: AccountFeature = {
  kind: 'account',
  name: 'multi_n_share',
  role: { facet: 'elicitation', suspicious: 'high' },
  usedBy: [],
  combine: 'mean',
  shrinkWithFewRequests: true,
  doc: { definition: 'requests with `n` > 1', scale: 'share' },
  compute: (w) => share(w.multiCompletionRequests, w.events),
};
