/**
 * `spend_log`: what an account spent in the window. Spend is not distillation (slow campaigns
 * are cheap), so no forest sees it; the dashboard charts it, and alerts carry spend and KYC
 * tier from the record's own spend fields.
 */
import type { AccountFeature } from '../feature.ts';

export const spendLog: AccountFeature = {
  kind: 'account',
  name: 'spend_log',
  role: null,
  usedBy: ['dashboard'],
  combine: 'sum',
  doc: { definition: 'sum of `cost_usd` (USD)', scale: 'log1p' },
  compute: (w) => Math.log1p(Math.max(0, w.spend)),
};
