/**
 * `max_tokens_log`: a distiller asks for long answers. A level, not a quantity that adds up: a
 * campaign takes its largest member's.
 */
import { accountFeature, facet } from '../declare.ts';
import { share } from '../measures.ts';

export const maxTokensLog = accountFeature('max_tokens_log', {
  doc: { definition: 'mean `max_tokens` over the requests that set it (0 if none)', scale: 'log1p' },
  compute: (w) => Math.log1p(share(w.maxTokensSum, w.maxTokensRequests)),
  role: facet('elicitation'), combine: 'max',
});
