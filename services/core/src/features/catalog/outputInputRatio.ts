/**
 * `output_input_ratio`: distillation buys long answers to short questions. log1p tames the
 * heavy tail; a ratio, so a campaign averages it.
 */
import { accountFeature, facet } from '../declare.ts';

export const outputInputRatio = accountFeature('output_input_ratio', {
  role: facet('harvest'), combine: 'mean',
  doc: { definition: 'output tokens / max(1, input tokens)', scale: 'log1p' },
  compute: (w) => Math.log1p(w.outputTokens / Math.max(1, w.inputTokens)),
});
