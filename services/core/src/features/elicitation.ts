/**
 * Elicitation features: how much of the model's inner workings an account asks for. A
 * distiller wants full reasoning traces, token probabilities (soft labels), several samples per
 * prompt and long answers; ordinary products rarely ask for all of these at once.
 * Shares are over all requests, except `reasoning_share`, which can only be read from prompt
 * text and so is over the prompts whose text was sent. Pure function of the window.
 */
import type { AccountWindow } from './accountWindow.ts';
import { share } from './volume.ts';

export const ELICITATION_FEATURES = [
  'reasoning_share', 'logprobs_share', 'top_logprobs_mean', 'multi_n_share', 'high_effort_share', 'max_tokens_log',
] as const;
export type ElicitationFeature = (typeof ELICITATION_FEATURES)[number];

export function elicitationFeatures(w: AccountWindow): Record<ElicitationFeature, number> {
  return {
    reasoning_share: share(w.reasoningPrompts, w.textPrompts),
    logprobs_share: share(w.logprobsRequests, w.events),
    top_logprobs_mean: share(w.topLogprobsSum, w.events),
    multi_n_share: share(w.multiCompletionRequests, w.events),
    high_effort_share: share(w.highEffortRequests, w.events),
    max_tokens_log: Math.log1p(share(w.maxTokensSum, w.maxTokensRequests)),
  };
}
