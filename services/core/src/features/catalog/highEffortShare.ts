/** `high_effort_share`: a distiller asks the model to think as hard as it can. */
import type { AccountFeature } from '../feature.ts';
import { share } from '../measures.ts';

export const highEffortShare: AccountFeature = {
  kind: 'account',
  name: 'high_effort_share',
  role: { facet: 'elicitation', suspicious: 'high' },
  usedBy: [],
  combine: 'mean',
  shrinkWithFewRequests: true,
  doc: { definition: 'requests with `reasoning_effort` = `high`', scale: 'share' },
  compute: (w) => share(w.highEffortRequests, w.events),
};
