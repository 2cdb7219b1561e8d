/** `multi_n_share`: several samples per prompt give a student model a distribution, not one answer. */
import { facet, perRequest } from '../declare.ts';

export const multiNShare = perRequest('multi_n_share', 'requests with `n` > 1', (w) => w.multiCompletionRequests, { role: facet('elicitation'), shrinkWithFewRequests: true });
