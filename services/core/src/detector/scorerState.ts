// Scorer state: a WindowScorer's whole mutable state as plain JSON, so the scorer service can
// changelog it to Kafka and a restarted (or newly elected) scorer continues with exactly the
// alerts an uninterrupted one would give. The model is not inside: models are large and change
// once a day, so the state names the model version and the service keeps models in their own
// compacted topic. Pure: no clock, no I/O; it must never change what the scorer decides.
//
// Versions: 1 held the confirmation memory first as bare window ends, later as [window end,
// requests] (a shape change without a bump), and its training pool in the column order of the
// features before the registry. 2 records the feature set (FeatureRegistry.id) and holds
// [window end, requests] only. A state of another version or feature set is refused with a
// ScorerStateFormatError: its pool rows and the model it names do not fit this scorer.
import { CampaignLinker, type CampaignLinkerState } from '../campaigns/campaignLinker.ts';
import { AlertLifecycle, type AlertLifecycleJSON } from '../scoring/lifecycle.ts';
import { ConfirmationGate, type Crossing } from './confirmation.ts';
import type { ScoringModel, WindowScorer } from './scorer.ts';

export const SCORER_STATE_FORMAT_VERSION = 2;

/** A scorer state this scorer cannot continue from (another format version or feature set). */
export class ScorerStateFormatError extends Error {
  override readonly name = 'ScorerStateFormatError';
  /** Restoring the same document again cannot succeed. */
  readonly retriable = false;
}

export interface ScorerStateJSON {
  format: 'distillwatch.scorer-state';
  formatVersion: typeof SCORER_STATE_FORMAT_VERSION;
  /** The feature set the training pool's rows were computed with (FeatureRegistry.id). */
  featureSet: string;
  linker: CampaignLinkerState;
  lifecycle: AlertLifecycleJSON;
  /** Subject -> [window end, requests] above the threshold. */
  confirmation: Record<string, Crossing[]>;
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
    formatVersion: SCORER_STATE_FORMAT_VERSION,
    featureSet: scorer.registry.id,
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
  const { format, formatVersion, featureSet } = state as { format?: unknown; formatVersion?: unknown; featureSet?: unknown };
  if (format !== 'distillwatch.scorer-state') throw new ScorerStateFormatError('not a distillwatch.scorer-state document');
  if (formatVersion !== SCORER_STATE_FORMAT_VERSION) {
    throw new ScorerStateFormatError(`scorer state format version ${String(formatVersion)} cannot be restored (this scorer reads version ${SCORER_STATE_FORMAT_VERSION}): reset the scorer state and models topics and let the scorer train again`);
  }
  if (featureSet !== scorer.registry.id) {
    throw new ScorerStateFormatError(`scorer state was written for feature set ${String(featureSet)}, this scorer has ${scorer.registry.id}: reset the scorer state and models topics and let the scorer train again`);
  }
  if ((model?.version ?? null) !== state.modelVersion) {
    throw new RangeError(`scorer state needs model ${String(state.modelVersion)}, got ${String(model?.version ?? null)}`);
  }
  scorer.internals = {
    linker: CampaignLinker.restore(state.linker, scorer.options.linker, scorer.internals.linker.shape),
    lifecycle: AlertLifecycle.fromJSON(state.lifecycle),
    confirmation: ConfirmationGate.fromJSON(state.confirmation, scorer.options.confirmation),
    spend30d: new Map(state.spend30d.map(([k, spend, at]) => [k, { spend, at }])),
    pool: new Map(state.pool.map(([k, hash, day, v]) => [k, { hash, day, vector: Float64Array.from(v) }])),
    firstWindowEnd: state.firstWindowEnd,
    lastWindowEnd: state.lastWindowEnd,
    model,
  };
}
