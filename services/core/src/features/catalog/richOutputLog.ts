/**
 * `rich_output_log`: answer tokens per request, enriched by log-probabilities. Log-probabilities
 * enrich every harvested token: worth much on long answers, little on the one-letter answers
 * of a benchmark run.
 */
import type { SubjectFeature } from '../feature.ts';
import { outputPerRequest } from './outputPerRequestLog.ts';

export const richOutputLog: SubjectFeature = {
  kind: 'subject',
  name: 'rich_output_log',
  role: { facet: 'harvest', suspicious: 'high' },
  usedBy: [],
  intensive: true,
  reads: ['output_tokens_log', 'logprobs_share', 'top_logprobs_mean'],
  doc: {
    definition: 'output tokens per request × (1 + log-probability share (shrunk by few requests) × mean `top_logprobs`) of the subject',
    scale: 'log1p',
  },
  derive: (s) => Math.log1p(outputPerRequest(s) * (1 + s.feature('logprobs_share') * s.keep * s.feature('top_logprobs_mean'))),
};
