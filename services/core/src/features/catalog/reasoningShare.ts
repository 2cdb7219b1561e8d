/**
 * `reasoning_share`: a distiller wants full reasoning traces. Read from prompt text only, so
 * over the prompts whose text was sent.
 */
import { facet, perRequest } from '../declare.ts';

export const reasoningShare = perRequest(
  'reasoning_share',
  'prompts with text that ask for reasoning ("step by step", "explain your reasoning", "show your work", "chain of thought", "walk me through", "detailed explanation", "justify your answer", "think carefully", …) / prompts with text',
  (w) => w.reasoningPrompts,
  { role: facet('elicitation'), usedBy: ['dashboard'], shrinkWithFewRequests: true, among: (w) => w.textPrompts },
);
