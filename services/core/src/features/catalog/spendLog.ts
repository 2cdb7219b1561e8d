/**
 * `spend_log`: what an account spent in the window. Spend is not distillation (slow campaigns
 * are cheap), so no forest sees it; the dashboard charts it, and alerts carry spend and KYC
 * tier from the record's own spend fields.
 */
import { quantityLog } from '../declare.ts';

export const spendLog = quantityLog('spend_log', 'sum of `cost_usd` (USD)', (w) => Math.max(0, w.spend), { usedBy: ['dashboard'] });
