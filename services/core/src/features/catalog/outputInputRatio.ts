/**
 * `output_input_ratio`: distillation buys long answers to short questions. log1p tames the
 * heavy tail; a ratio, so a campaign averages it.
 */
import type { AccountFeature } from '../feature.ts';

export const outputInputRatio: AccountFeature = {
  kind: 'account',
  name: 'output_input_ratio',
  role: { facet: 'harvest', suspicious: 'high' },
  usedBy: [],
  combine: 'mean',
  doc: { definition: 'output tokens / max(1, input tokens)', scale: 'log1p' },
  compute: (w) => Math.log1p(w.outputTokens / Math.max(1, w.inputTokens)),
};
