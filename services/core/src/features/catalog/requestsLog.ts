/**
 * `requests_log`: how many requests an account made in the window. Heavy use is not
 * distillation (a SaaS app is heavy), so no forest sees it. The scorer reads it for the
 * per-request subject features, the shrinking of shares and confirmation; the dashboard charts it.
 */
import type { AccountFeature } from '../feature.ts';

export const requestsLog: AccountFeature = {
  kind: 'account',
  name: 'requests_log',
  role: null,
  usedBy: ['scorer', 'dashboard'],
  combine: 'sum',
  doc: { definition: 'events in the window', scale: 'log1p' },
  compute: (w) => Math.log1p(w.events),
};
