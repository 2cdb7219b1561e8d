/**
 * `novel_topics_log`: coverage counts only when the prompts are new. A benchmark replay is
 * broad but harvests nothing.
 */
import type { SubjectFeature } from '../feature.ts';

export const novelTopicsLog: SubjectFeature = {
  kind: 'subject',
  name: 'novel_topics_log',
  role: { facet: 'coverage', suspicious: 'high' },
  usedBy: [],
  reads: ['topics_touched_log', 'prompt_repeat_share'],
  doc: { definition: '`topics_touched_log` × (1 − `prompt_repeat_share`) of the subject', scale: 'log1p' },
  derive: (s) => s.feature('topics_touched_log') * (1 - s.feature('prompt_repeat_share')),
};
