/**
 * `novel_topics_log`: coverage counts only when the prompts are new. A benchmark replay is
 * broad but harvests nothing.
 */
import type { SubjectFeature } from '../feature.ts';

export const novelTopicsLog = novelPart('novel_topics_log', 'topics_touched_log');

/** A breadth feature counted only for new prompts: `breadth` × (1 − `prompt_repeat_share`). */
export function novelPart(name: string, breadth: string): SubjectFeature {
  return {
    kind: 'subject',
    name,
    role: { facet: 'coverage', suspicious: 'high' },
    usedBy: [],
    reads: [breadth, 'prompt_repeat_share'],
    doc: { definition: `\`${breadth}\` × (1 − \`prompt_repeat_share\`) of the subject`, scale: 'log1p' },
    derive: (s) => s.feature(breadth) * (1 - s.feature('prompt_repeat_share')),
  };
}
