/**
 * `output_tokens_log`: how many tokens of answers an account received. Read per request by
 * `output_per_request_log` and `rich_output_log`, and charted by the dashboard.
 */
import type { AccountFeature } from '../feature.ts';

export const outputTokensLog: AccountFeature = {
  kind: 'account',
  name: 'output_tokens_log',
  role: null,
  usedBy: ['subject-features', 'dashboard'],
  combine: 'sum',
  doc: { definition: 'sum of `output_tokens`', scale: 'log1p' },
  compute: (w) => Math.log1p(w.outputTokens),
};
