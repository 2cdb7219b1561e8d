/**
 * `prompt_domains_7d_log`: breadth over days read from the prompts themselves, for an account
 * whose lab labels no topic: how many top-level domains (`../promptDomains.ts`) the prompts of
 * this window and of the account's windows of the last 7 UTC days named, counting a domain
 * only once two prompts named it. It stands in for `topics_7d_log` where that is not observed,
 * and corroborates the coverage facet as that one does: distillation must cover the capability
 * space, while a researcher's prompts, however many SimHash regions they fall into, name one or
 * two fields for days.
 *
 * 0 ("not observed": neither corroborates nor refutes) when the account has labelled topics
 * this week, since `topics_7d_log` measures its breadth then, and when no prompt named a
 * domain twice (no prompt text, or none of its words in the lexicon). Most subjects do not
 * show it (labelled labs, labs without text), so it is ranked among the subjects that do.
 */
import type { AccountFeature } from '../feature.ts';
import { domainCount } from '../promptDomains.ts';
import { labelledTopicsOfWeek } from './topicsWeekLog.ts';

export const promptDomainsWeekLog: AccountFeature = {
  kind: 'account',
  name: 'prompt_domains_7d_log',
  role: { facet: 'coverage', suspicious: 'high', corroborates: true, rankedAmongObserved: true },
  usedBy: [],
  combine: 'sum',
  doc: { definition: "top-level domains named by at least two prompts of this window and of the account's windows of the last 7 UTC days, read from the prompt text; 0 when the lab labelled a topic of the account this week", scale: 'log1p' },
  compute: (w, profile) => {
    if (labelledTopicsOfWeek(w, profile) > 0) return 0;
    return Math.log1p(domainCount(profile.weekDomains(w.windowStart, w.promptDomains())));
  },
};
