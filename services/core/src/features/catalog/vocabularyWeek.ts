/**
 * `vocabulary_7d_log`: breadth over days read from the words of the prompts, for an account
 * whose lab labels no topic: the size of the vocabulary its prompts draw from, estimated from
 * the words sampled over this window and its windows of the vocabulary week (`../vocabularySample.ts`,
 * `AccountProfile.weekVocabulary`). Distillation must cover the capability space, so its prompts
 * keep meeting new words; a researcher or a studio keeps to one field's terms for days, and its
 * sampled words repeat. No lexicon: it reads any language and any jargon.
 *
 * `sampled` words drawn evenly from a vocabulary of V words show V(1 − e^(−sampled/V)) distinct
 * ones (the linear-counting identity, Whang et al. 1990): solved for V, the distinct count of a
 * busy account (which keeps repeating) and of a quiet one (which has not yet had the chance)
 * are put on one scale, the vocabulary they come from, whatever their volume. An account that
 * repeated no word reads as MAX_VOCABULARY, as does a bitmap nearly full (its estimate is then
 * only a lower bound, and only a broad vocabulary fills it).
 *
 * It corroborates the coverage facet as `topics_7d_log` does, and stands in for it where that
 * is not observed: 0 ("not observed": neither corroborates nor refutes) when the lab labelled
 * a topic of the account this week, and below MIN_SAMPLED_WORDS (a handful of questions says
 * nothing about breadth). Most subjects do not show it (labelled labs, labs without text), so
 * it is ranked among those that do. A campaign adds its members' vocabularies, as shards of a
 * topic space would.
 */
import type { AccountFeature } from '../feature.ts';
import { VOCABULARY } from '../vocabularySample.ts';
import { labelledTopicsOfWeek } from './topicsWeekLog.ts';

/** Fewest sampled words (about 50 prompts) from which the week's vocabulary is observed. */
export const MIN_SAMPLED_WORDS = 100;
/** The largest vocabulary told apart: a quarter-sample of 16,384 words. */
export const MAX_VOCABULARY = 4096;
/** Distinct-word estimate of a bitmap with 7/8 of its bits set: at or above it the bitmap is full. */
const FULL_DISTINCT = VOCABULARY.bits * Math.log(8);

export const vocabularyWeek: AccountFeature = {
  kind: 'account',
  name: 'vocabulary_7d_log',
  role: { facet: 'coverage', suspicious: 'high', corroborates: true, rankedAmongObserved: true },
  usedBy: [],
  combine: 'sum',
  doc: { definition: "vocabulary size V solving V(1 - exp(-sampled/V)) = distinct, over the words sampled from the prompts of this window and of the account's vocabulary week (at most 4096); 0 when the lab labelled a topic of the account this week or fewer than 100 words were sampled", scale: 'log1p' },
  compute: (w, profile) => {
    if (labelledTopicsOfWeek(w, profile) > 0) return 0;
    const { distinct, sampled } = profile.weekVocabulary(w);
    if (sampled < MIN_SAMPLED_WORDS) return 0;
    if (distinct >= FULL_DISTINCT) return Math.log1p(MAX_VOCABULARY);
    return Math.log1p(vocabularySize(distinct, sampled));
  },
};

/**
 * The V in [distinct, MAX_VOCABULARY] with V(1 − e^(−sampled/V)) = distinct, by bisection (the
 * left side grows with V); MAX_VOCABULARY when even that vocabulary would repeat more.
 */
export function vocabularySize(distinct: number, sampled: number): number {
  const shown = (v: number) => v * (1 - Math.exp(-sampled / v));
  if (distinct >= shown(MAX_VOCABULARY)) return MAX_VOCABULARY;
  let low = Math.max(1, distinct);
  let high = MAX_VOCABULARY;
  for (let step = 0; step < 40; step++) {
    const mid = (low + high) / 2;
    if (shown(mid) < distinct) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
