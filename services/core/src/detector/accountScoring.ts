// Account scoring: the share of a window's scoring that depends on one account alone, so that
// N scorer instances can each do it for their own accounts while one owner does the rest.
//
// What parallelises by account (stage 1, here): the account's model row (its features and its
// topic mix against the window's population), the forest's view of that row (population
// percentiles of the model), and the forest's facet scores. What stays with the owner (stage 2,
// WindowScorer.linkWindow, then finishWindow with an AccountScoreBook): the training pool and
// the daily model fit, campaign linking, campaign subjects, the 30-day spend across labs,
// confirmation, verdicts, the alert lifecycle and the alerts. The first is 47 to 50 % of a scored window's CPU at 10^4
// accounts and 33 to 42 % at 10^5 (BENCHMARKS.md, "The scorer split in two stages").
//
// Every input of stage 1 comes from the owner as a WindowContext: the window's population topic
// mix over every account, and the model the owner will score the window with (trained by the
// owner alone, from windows before this one). Given the same context and record, any instance
// computes the same bits, so the alerts do not depend on how many instances share the accounts.
// This module must never train, link, or keep anything between windows.
import type { AccountFeatures, TopicCount } from '../schemas.generated.ts';
import { fnv1a64Hex } from '../campaigns/hash.ts';
import { topicShares } from '../features/topicMix.ts';
import { buildSubjects, populationTopics, type Subject } from './subjects.ts';
import type { ScoringModel, WindowScorer } from './scorer.ts';

/** What the owner hands every instance before they score a window's accounts. */
export interface WindowContext {
  windowEnd: number;
  /** The topic counts of every account of the window, in populationTopics order. */
  population: TopicCount[];
  /** The model that scores the window (WindowScorer.modelFor); null during the warm-up. */
  model: ScoringModel | null;
}

/** One account's stage-1 result: what the owner would otherwise compute for its account subject. */
export interface AccountScore {
  /** `<lab>/<account_id>`: the account subject's id. */
  account: string;
  /** The model row (WindowScorer.modelRow): for the training pool and the alert's reasons. */
  vector: Float64Array;
  /** The forest's view of the row and each facet's score; null without a model. */
  view: Float64Array | null;
  facetScores: number[] | null;
}

/**
 * The owner's first step for a window: the population mix and the model that scores it (trained
 * now if a refresh is due; WindowScorer.modelFor). Windows in event-time order, as scoreWindow.
 */
export function windowContext(owner: WindowScorer, windowEnd: number, records: readonly AccountFeatures[]): WindowContext {
  return { windowEnd, population: populationTopics(records), model: owner.modelFor(windowEnd) };
}

/** Stage 1: scores `records` (any subset of the window's accounts) in `context`. */
export function scoreAccounts(scorer: WindowScorer, context: WindowContext, records: readonly AccountFeatures[]): AccountScore[] {
  const population = topicShares(context.population);
  const { model } = context;
  return buildSubjects(records, [], () => 0).map((s) => {
    const vector = scorer.modelRow(s, population);
    if (!model) return { account: s.id, vector, view: null, facetScores: null };
    const view = scorer.forestView(vector, model.profile);
    return { account: s.id, vector, view, facetScores: model.forest.facetScores(view) };
  });
}

/**
 * Which of `instances` scores an account: a hash of its key, so that an account goes to the
 * same instance in every window, whatever else is active.
 */
export function accountInstance(accountKey: string, instances: number): number {
  return Number.parseInt(fnv1a64Hex(accountKey).slice(8), 16) % instances;
}

/** Every instance's stage-1 results for one window, as the owner looks them up. */
export class AccountScoreBook {
  /** Version of the model the scores were computed with (null: none). */
  readonly modelVersion: string | null;
  private readonly byAccount = new Map<string, AccountScore>();

  constructor(modelVersion: string | null, scores: Iterable<AccountScore>) {
    this.modelVersion = modelVersion;
    for (const s of scores) this.byAccount.set(s.account, s);
  }

  /** The account subject's scores; undefined for a campaign, which the owner scores itself. */
  get(subject: Subject): AccountScore | undefined {
    if (subject.kind !== 'account') return undefined;
    const score = this.byAccount.get(subject.id);
    if (!score) throw new MissingAccountScoreError(subject.id);
    return score;
  }
}

/** The owner holds an account-window that no instance scored: the instances' routing is broken. */
export class MissingAccountScoreError extends Error {
  override readonly name = 'MissingAccountScoreError';
  readonly retriable = false;
  constructor(account: string) {
    super(`no instance scored account ${account}: every account of the window needs its stage-1 score`);
  }
}

/** Stage-1 scores computed with another model than the owner's for the window: they cannot be used. */
export class AccountScoreModelError extends Error {
  override readonly name = 'AccountScoreModelError';
  readonly retriable = false;
  constructor(windowEnd: number, scoredWith: string | null, model: ScoringModel | null) {
    super(`window ${windowEnd}: accounts scored with model ${scoredWith ?? 'none'}, but the owner scores it with ${model?.version ?? 'none'}`);
  }
}
