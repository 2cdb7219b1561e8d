/**
 * `novel_topics_24h_log`: the trailing day's breadth, counted only when the prompts are new
 * (see `novel_topics_log`).
 */
import type { SubjectFeature } from '../feature.ts';

export const novelTopics24hLog: SubjectFeature = {
  kind: 'subject',
  name: 'novel_topics_24h_log',
  role: { facet: 'coverage', suspicious: 'high' },
  usedBy: [],
  reads: ['topics_24h_log', 'prompt_repeat_share'],
  doc: { definition: '`topics_24h_log` × (1 − `prompt_repeat_share`) of the subject', scale: 'log1p' },
  derive: (s) => s.feature('topics_24h_log') * (1 - s.feature('prompt_repeat_share')),
};
