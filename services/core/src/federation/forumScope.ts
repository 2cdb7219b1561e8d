// What the forum alerts: only what no lab can see alone. That is a subject with members at two
// or more labs, or one whose linked 30-day spend across labs puts it in another KYC tier than
// the spend a single lab sees of it (an account of a campaign that splits its spend across labs).
// Everything else is the lab's own to page with its local detection, so no lab receives the same
// single-lab subject twice (once from its own detector, once from the forum). The forum still
// scores every subject: single-lab subjects are part of the population its model learns from
// and of the campaigns it links. Pure.
import type { DistillationAlert } from '../schemas.generated.ts';
import { kycTier } from '../kyc.ts';
import { labsOf } from './labAlert.ts';

/** True when a forum alert tells its labs something their own detection cannot. */
export function needsForum(alert: Pick<DistillationAlert, 'accounts' | 'spend_usd_30d' | 'spend_usd_30d_all_labs'>): boolean {
  return labsOf(alert).length >= 2 || kycTier(alert.spend_usd_30d_all_labs) !== kycTier(alert.spend_usd_30d);
}
