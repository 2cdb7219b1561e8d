// Scorer state: a WindowScorer's whole mutable state as plain JSON, so the scorer service can
// changelog it to Kafka and a restarted (or newly elected) scorer continues with exactly the
// alerts an uninterrupted one would give. The model is not inside: models are large and change
// once a day, so the state names the model version and the service keeps models in their own
// compacted topic. Pure: no clock, no I/O; it must never change what the scorer decides.
import { CampaignLinker, type CampaignLinkerState } from '../campaigns/campaignLinker.ts';
import { AlertLifecycle, type AlertLifecycleJSON } from '../scoring/lifecycle.ts';
import { ConfirmationGate, type Crossing } from './confirmation.ts';
import type { ScoringModel, WindowScorer } from './scorer.ts';

export interface ScorerStateJSON {
  format: 'distillwatch.scorer-state';
  formatVersion: 1;
  linker: CampaignLinkerState;
  lifecycle: AlertLifecycleJSON;
  /** Subject -> [window end, requests] above the threshold (states written before requests were counted hold bare window ends). */
  confirmation: Record<string, Array<Crossing | number>>;
  /** [account key, 30-day spend, window_end it was seen at]. */
  spend30d: [string, number, number][];
  /** [`<subject>@<day>`, hash, day, model row]. */
  pool: [string, string, number, number[]][];
  firstWindowEnd: number | null;
  lastWindowEnd: number | null;
  /** Version of the model in force (null before the first training). */
  modelVersion: string | null;
}

export function scorerStateToJSON(scorer: WindowScorer): ScorerStateJSON {
  const s = scorer.internals;
  return {
    format: 'distillwatch.scorer-state',
    formatVersion: 1,
    linker: s.linker.snapshot(),
    lifecycle: s.lifecycle.toJSON(),
    confirmation: s.confirmation.toJSON(),
    spend30d: [...s.spend30d].map(([k, v]) => [k, v.spend, v.at]),
    pool: [...s.pool].map(([k, r]) => [k, r.hash, r.day, [...r.vector]]),
    firstWindowEnd: s.firstWindowEnd,
    lastWindowEnd: s.lastWindowEnd,
    modelVersion: s.model?.version ?? null,
  };
}

/**
 * Puts `state` into `scorer` (freshly constructed with the options the state was written
 * under). `model` must be the model named by `state.modelVersion`.
 */
export function restoreScorerState(scorer: WindowScorer, state: ScorerStateJSON, model: ScoringModel | null): void {
  if (state.format !== 'distillwatch.scorer-state' || state.formatVersion !== 1) {
    throw new RangeError('not a distillwatch.scorer-state version 1 document');
  }
  if ((model?.version ?? null) !== state.modelVersion) {
    throw new RangeError(`scorer state needs model ${String(state.modelVersion)}, got ${String(model?.version ?? null)}`);
  }
  scorer.internals = {
    linker: CampaignLinker.restore(state.linker, scorer.options.linker),
    lifecycle: AlertLifecycle.fromJSON(state.lifecycle),
    confirmation: ConfirmationGate.fromJSON(state.confirmation, scorer.options.confirmation),
    spend30d: new Map(state.spend30d.map(([k, spend, at]) => [k, { spend, at }])),
    pool: new Map(state.pool.map(([k, hash, day, v]) => [k, { hash, day, vector: Float64Array.from(v) }])),
    firstWindowEnd: state.firstWindowEnd,
    lastWindowEnd: state.lastWindowEnd,
    model,
  };
}
