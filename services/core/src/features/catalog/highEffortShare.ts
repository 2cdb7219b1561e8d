/** `high_effort_share`: a distiller asks the model to think as hard as it can. */
import { facet, perRequest } from '../declare.ts';

export const highEffortShare = perRequest('high_effort_share', 'requests with `reasoning_effort` = `high`', (w) => w.highEffortRequests, {
  role: facet('elicitation'), shrinkWithFewRequests: true,
});
