/**
 * `reasoning_asked`: whether the subject asks the model to reason at all, where that can be
 * seen. It corroborates the elicitation facet by presence, not by rank (FacetRole.presence):
 * distillation elicits the model's capability, and its most valuable answers are reasoning
 * traces; `n` > 1 and a long `max_tokens` are also every product's generation settings (a
 * studio's draft variants, a labelling vendor's votes, a probe suite's samples), so a subject
 * seen to ask for no reasoning at all is eliciting nothing the facet is about, however it sets
 * them. Whether any share counts, not how large: a reseller mixes a small harvest into genuine
 * traffic, and a population where most customers ask for reasoning must not refute a campaign.
 *
 * A request shows a reasoning ask by its phrasing, readable only where the lab sends prompt
 * text, or by `reasoning_effort` = `high`. So the value is 0 ("not observed": neither
 * corroborates nor refutes) in a window with no prompt text and no high-effort request (a lab
 * that withholds text: a request without high effort may still ask step by step in words);
 * otherwise 1 + the larger of the reasoning share among text prompts and the high-effort share
 * among requests, so 1 is "seen, and none asked". A campaign takes its most asking member's
 * (`max`), and is not observed when a member is not (that member may be the one who asks).
 */
import { accountFeature } from '../declare.ts';
import { share } from '../measures.ts';

export const reasoningAsked = accountFeature('reasoning_asked', {
  role: { facet: 'elicitation', suspicious: 'high', corroborates: true, rankedAmongObserved: true, presence: true },
  combine: 'max',
  doc: {
    definition: '0 when the window has no prompt text and no request with `reasoning_effort` = `high` (not observed); else 1 + the larger of the share of text prompts asking for reasoning (as `reasoning_share`) and the share of requests with high effort',
    scale: 'raw',
  },
  compute: (w) => {
    if (w.textPrompts === 0 && w.highEffortRequests === 0) return 0;
    return 1 + Math.max(share(w.reasoningPrompts, w.textPrompts), share(w.highEffortRequests, w.events));
  },
});
