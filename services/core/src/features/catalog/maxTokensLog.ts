/**
 * `max_tokens_log`: a distiller asks for long answers. A level, not a quantity that adds up: a
 * campaign takes its largest member's.
 */
import type { AccountFeature } from '../feature.ts';
import { share } from '../measures.ts';

export const maxTokensLog: AccountFeature = {
  kind: 'account',
  name: 'max_tokens_log',
  role: { facet: 'elicitation', suspicious: 'high' },
  usedBy: [],
  combine: 'max',
  doc: { definition: 'mean `max_tokens` over the requests that set it (0 if none)', scale: 'log1p' },
  compute: (w) => Math.log1p(share(w.maxTokensSum, w.maxTokensRequests)),
};
