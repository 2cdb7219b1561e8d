/**
 * `output_per_request_log`: answer tokens per request of a subject. Per subject, not per
 * account, so that a campaign's value is its members' tokens over their requests.
 */
import type { SubjectFeature } from '../feature.ts';

export const outputPerRequestLog: SubjectFeature = {
  kind: 'subject',
  name: 'output_per_request_log',
  role: { facet: 'harvest', suspicious: 'high' },
  usedBy: [],
  intensive: true,
  reads: ['output_tokens_log'],
  doc: { definition: 'output tokens / max(1, requests) of the subject', scale: 'log1p' },
  derive: (s) => Math.log1p(outputPerRequest(s)),
};

/** Output tokens per request of a subject (also the base of `rich_output_log`). */
export function outputPerRequest(s: { feature(name: string): number; requests: number }): number {
  return Math.expm1(s.feature('output_tokens_log')) / Math.max(1, s.requests);
}
