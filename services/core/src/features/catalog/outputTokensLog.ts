/**
 * `output_tokens_log`: how many tokens of answers an account received. Read per request by
 * `output_per_request_log` and `rich_output_log`, and charted by the dashboard.
 */
import { quantityLog } from '../declare.ts';

export const outputTokensLog = quantityLog('output_tokens_log', 'sum of `output_tokens`', (w) => w.outputTokens, { usedBy: ['subject-features', 'dashboard'] });
