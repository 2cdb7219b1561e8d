/**
 * `reasoning_share`: a distiller wants full reasoning traces. Read from prompt text only, so
 * over the prompts whose text was sent.
 */
import type { AccountFeature } from '../feature.ts';
import { share } from '../measures.ts';

export const reasoningShare: AccountFeature = {
  kind: 'account',
  name: 'reasoning_share',
  role: { facet: 'elicitation', suspicious: 'high' },
  usedBy: ['dashboard'],
  combine: 'mean',
  shrinkWithFewRequests: true,
  doc: {
    definition: 'prompts with text that ask for reasoning ("step by step", "explain your reasoning", "show your work", "chain of thought", "walk me through", "detailed explanation", "justify your answer", "think carefully", …) / prompts with text',
    scale: 'share',
  },
  compute: (w) => share(w.reasoningPrompts, w.textPrompts),
};
