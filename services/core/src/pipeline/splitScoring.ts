/**
 * SplitScoring: one window scored in two stages, the way N scorer instances share the work -
 * the owner sets the window's context (population mix, model), each instance scores its own
 * accounts (detector/accountScoring.ts) while the owner links the window (the half of scoring
 * that needs no account scores), and the owner then scores the window with their results
 * (campaigns, pool, alerts). Here every stage runs in this process, one after the
 * other: it is the reference the split must equal (the alerts of WindowScorer.scoreWindow alone)
 * and what the scorer bench times stage by stage. Pure: no clock, no I/O.
 */
import type { AccountFeatures, DistillationAlert } from '../schemas.generated.ts';
import type { LinkedWindow, WindowScorer } from '../detector/scorer.ts';
import { AccountScoreBook, accountInstance, scoreAccounts, windowContext, type AccountScore, type WindowContext } from '../detector/accountScoring.ts';

export class SplitScoring {
  readonly owner: WindowScorer;
  /** Scorers of the same configuration as the owner; only their stage-1 methods are used. */
  readonly instances: readonly WindowScorer[];
  /** How each instance receives the owner's context (a test passes it through the model's JSON). */
  private readonly publish: (context: WindowContext) => WindowContext;

  constructor(owner: WindowScorer, instances: readonly WindowScorer[], publish: (context: WindowContext) => WindowContext = (c) => c) {
    if (instances.length < 1) throw new RangeError('SplitScoring needs at least one instance');
    this.owner = owner;
    this.instances = instances;
    this.publish = publish;
  }

  /** The records of each instance: account `a` goes to instance accountInstance(a, N). */
  shards(records: readonly AccountFeatures[]): AccountFeatures[][] {
    const shards = this.instances.map((): AccountFeatures[] => []);
    for (const r of records) shards[accountInstance(`${r.lab}/${r.account_id}`, shards.length)]!.push(r);
    return shards;
  }

  /** Scores one closed window (as WindowScorer.scoreWindow: event-time order, any record order). */
  scoreWindow(windowStart: number, windowEnd: number, records: readonly AccountFeatures[]): DistillationAlert[] {
    const context = this.context(windowEnd, records);
    const linked = this.owner.linkWindow(windowStart, context, records);
    const scores = this.shards(records).map((shard, k) => this.scoreShard(k, context, shard));
    return this.finish(linked, context, scores);
  }

  /** Owner, first: the window's context (trains the model first when a refresh is due). */
  context(windowEnd: number, records: readonly AccountFeatures[]): WindowContext {
    return windowContext(this.owner, windowEnd, records);
  }

  /** Instance `k`: scores its shard of the window's accounts in the context the owner published. */
  scoreShard(k: number, context: WindowContext, shard: readonly AccountFeatures[]): AccountScore[] {
    return scoreAccounts(this.instances[k]!, this.publish(context), shard);
  }

  /** Owner, last: the window it linked (WindowScorer.linkWindow) scored with every instance's account scores. */
  finish(linked: LinkedWindow, context: WindowContext, scores: readonly (readonly AccountScore[])[]): DistillationAlert[] {
    return this.owner.finishWindow(linked, new AccountScoreBook(context.model?.version ?? null, scores.flat()));
  }
}
