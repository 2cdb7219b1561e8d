/**
 * `requests_log`: how many requests an account made in the window. Heavy use is not
 * distillation (a SaaS app is heavy), so no forest sees it. The scorer reads it for the
 * per-request subject features, the shrinking of shares and confirmation; the dashboard charts it.
 */
import { quantityLog } from '../declare.ts';

export const requestsLog = quantityLog('requests_log', 'events in the window', (w) => w.events, { usedBy: ['scorer', 'dashboard'] });
