// WindowScorer: turns the closed account-windows of one event-time window into alerts.
//
// For each window, in window_end order: link campaigns, build subjects (accounts and
// campaigns), compare each subject's topic mix with the window's population, score the
// subjects with the isolation forest, calibrate to the alert budget, explain, and let the
// alert lifecycle decide what on-call people see. The model is trained unsupervised once the
// warm-up has passed and refreshed on a fixed event-time schedule from a training pool chosen by
// hashing (subject, window) — never by arrival order — so the same windows give the same model
// and the same alerts, offline or streaming. Pure: no clock, no I/O, no Math.random.
import type { AccountFeatures, AccountRef, DistillationAlert } from '../schemas.generated.ts';
import { CampaignLinker, type CampaignLinkerOptions, type LinkKind } from '../campaigns/campaignLinker.ts';
import { fnv1a64Hex } from '../campaigns/hash.ts';
import { combineFacetScores, FacetForest, type Facet, type FacetForestJSON } from './facetForest.ts';
import { calibrate, severityOf, type Calibration } from '../scoring/calibration.ts';
import { AlertLifecycle } from '../scoring/lifecycle.ts';
import { evidenceView, featurePercentile } from '../scoring/evidenceView.ts';
import { PopulationProfile, topReasons } from '../scoring/reasons.ts';
import { kycTier } from '../kyc.ts';
import { ConfirmationGate, DEFAULT_CONFIRMATION, type ConfirmationOptions } from './confirmation.ts';
import { buildSubjects, populationTopics, accountKeyOf, requestShapeOf, type Subject } from './subjects.ts';
import { campaignRows, capWeakCampaigns, liftChainCampaigns } from './campaignRow.ts';
import { ModelFormatError } from '../forest/isolationForest.ts';
import { REGISTRY, UnknownFeatureError, type FeatureRegistry } from '../features/registry.ts';
import type { Feature, SubjectView } from '../features/feature.ts';
import { topicShares } from '../features/topicMix.ts';
import type { VerdictBook } from '../verdicts/verdictBook.ts';
import { AccountScoreModelError, windowContext, type AccountScoreBook, type WindowContext } from './accountScoring.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ScorerOptions {
  /** Seed of the forest and of the training-pool hash. Default 42. */
  seed: number;
  /** Event time from the first scored window before the first model is trained. Default 12 h. */
  warmupMs: number;
  /** Event time between model refreshes. Default 24 h. */
  refreshMs: number;
  /** How far back the training pool reaches. Default 7 days. */
  trainingHorizonMs: number;
  /**
   * Training rows kept per day: the subjects of the day with the smallest hashes (a bottom-k
   * sample, so the same rows whatever the order). Default 16,384: the forest draws 256 rows a
   * tree, and 7 days of this many rows fix the population percentiles to a fraction of a point;
   * without a bound the pool holds a vector per active subject and day (~450 bytes each, over
   * 3 GB at 10^6 accounts a day).
   */
  trainingRowsPerDay: number;
  /** Isolation forest: trees and subsample size ψ. Defaults 100 and 256 (Liu et al. 2008). */
  trees: number;
  sampleSize: number;
  /**
   * Ceiling on alert volume: when more than this share of training subject-days scores above
   * `minScore`, the threshold rises to the (1 - alertBudget) quantile. Default 0.25: drift
   * protection only; a lower ceiling lifts the threshold above every campaign in a small or
   * heavily infiltrated population.
   */
  alertBudget: number;
  /**
   * The threshold in a healthy population. Isolation scores are normalised by c(ψ), so a score
   * means the same in any population: 0.5 is an average row, and the facet soft-minimum is
   * above 0.59 only when every behaviour facet is clearly unusual. Default 0.59.
   */
  minScore: number;
  /** What a subject needs above the threshold before it alerts (see ConfirmationGate). */
  confirmation: ConfirmationOptions;
  /** Event time below threshold after which a subject alerts again. Default 24 h. */
  rearmAfterMs: number;
  /** Reasons per alert, most important first. Default 5 (the contract asks at least 3). */
  reasons: number;
  linker: Partial<CampaignLinkerOptions>;
  /**
   * What the forests read for a corroborating feature that was not observed (breadth over days
   * where the lab labels no topic), in [0.5, 1]. Default 1: neither corroborates nor refutes;
   * 0.625 counts half of the coverage facet's score above 0.5 there (scoring/evidenceView.ts).
   */
  unobservedBreadth: number;
  /**
   * How far the share and per-request features of a campaign of accounts that pay apart on one
   * network move from its members' average toward its most suspicious active member's, in
   * [0, 1] (detector/campaignRow.ts). Default 1: such a campaign is as suspicious as its
   * strongest account (the average hid a 20-account swarm on `default` seed 11); 0 scores the
   * average.
   */
  campaignStrongestMember: number;
  /**
   * A campaign that no link shows to be one operator (only phrasing, schedule, complementary
   * topics or company on a shared egress hold it) scores no higher than its active member of this
   * rank (detector/campaignRow.ts). Default 1: its strongest member; 2 asks two members above the
   * threshold on their own at once (`wide` seed 11 benign flagged 73 -> 61, but `default` seed 7
   * 24 -> 23 campaigns: README "On populations").
   */
  weakCampaignMembers: number;
  /**
   * How many of its weakest facets a campaign held by a hand-over chain (`linker.minChainHandovers`
   * same-shaped hand-overs in a row) is scored without (detector/campaignRow.ts). Default 1; 0
   * scores it as any campaign.
   */
  chainSparedFacets: number;
}

export const DEFAULT_SCORER_OPTIONS: ScorerOptions = {
  seed: 42,
  warmupMs: 12 * HOUR,
  refreshMs: DAY,
  trainingHorizonMs: 7 * DAY,
  trainingRowsPerDay: 16_384,
  trees: 100,
  sampleSize: 256,
  alertBudget: 0.25,
  minScore: 0.59,
  confirmation: { ...DEFAULT_CONFIRMATION },
  rearmAfterMs: DAY,
  reasons: 5,
  linker: {},
  unobservedBreadth: 1,
  campaignStrongestMember: 1,
  weakCampaignMembers: 1,
  chainSparedFacets: 1,
};

/** A trained model with everything needed to score and explain, serialisable as JSON. */
export interface ScoringModel {
  version: string;
  trainedThrough: number;
  /** The feature set it was trained on (FeatureRegistry.id). */
  featureSet: string;
  featureNames: string[];
  forest: FacetForest;
  calibration: Calibration;
  profile: PopulationProfile;
}

/**
 * Version 2 records the feature set; version 1 models (before the feature registry) saw their
 * columns in another order and are refused: train again.
 */
export const SCORING_MODEL_FORMAT_VERSION = 2;

export interface ScoringModelJSON {
  format: 'distillwatch.scoring-model';
  formatVersion: typeof SCORING_MODEL_FORMAT_VERSION;
  version: string;
  trainedThrough: number;
  featureSet: string;
  featureNames: string[];
  forest: FacetForestJSON;
  calibration: Calibration;
  profile: ReturnType<PopulationProfile['toJSON']>;
}

export function modelToJSON(m: ScoringModel): ScoringModelJSON {
  return {
    format: 'distillwatch.scoring-model', formatVersion: SCORING_MODEL_FORMAT_VERSION, version: m.version,
    trainedThrough: m.trainedThrough, featureSet: m.featureSet, featureNames: m.featureNames, forest: m.forest.toJSON(),
    calibration: m.calibration, profile: m.profile.toJSON(),
  };
}

export function modelFromJSON(json: unknown): ScoringModel {
  const j = json as Partial<ScoringModelJSON> | null;
  if (!j || j.format !== 'distillwatch.scoring-model') {
    throw new ModelFormatError(`not a distillwatch scoring model (format distillwatch.scoring-model, version ${SCORING_MODEL_FORMAT_VERSION})`);
  }
  if (j.formatVersion !== SCORING_MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(`scoring model format version ${String(j.formatVersion)} is not supported (this distillwatch reads version ${SCORING_MODEL_FORMAT_VERSION}): train the model again`);
  }
  return {
    version: String(j.version), trainedThrough: Number(j.trainedThrough), featureSet: String(j.featureSet), featureNames: [...j.featureNames!],
    forest: FacetForest.fromJSON(j.forest, j.featureNames!.length), calibration: j.calibration!, profile: PopulationProfile.fromJSON(j.profile),
  };
}

/**
 * Share features of a subject with few requests are shrunk toward zero as if it had made
 * SHRINK_REQUESTS more ordinary requests (features with `shrinkWithFewRequests`).
 */
export const SHRINK_REQUESTS = 4;

/** One subject's score in one window, alerted or not. */
export interface SubjectScore {
  window_end: number;
  subject_kind: 'account' | 'campaign';
  subject_id: string;
  /** Every account the subject covers. */
  accounts: AccountRef[];
  score: number;
  /** Score of each behaviour facet (see FeatureRegistry.facets); the subject's score is their soft minimum. */
  facets: Record<string, number>;
  threshold: number;
  alerted: boolean;
}

/** A window between the two halves of WindowScorer.scoreWindow. */
export interface LinkedWindow {
  windowStart: number;
  windowEnd: number;
  /** The model that scores it (null in the warm-up). */
  model: ScoringModel | null;
  subjects: Subject[];
  /** The window's population topic shares. */
  population: ReadonlyMap<string, number>;
}

/** A training candidate: one subject's window, the one with the smallest hash of its day. */
export interface PoolRow { hash: string; day: number; vector: Float64Array }

/** Everything a WindowScorer changes while scoring; detector/scorerState.ts snapshots it. */
export interface ScorerInternals {
  linker: CampaignLinker;
  lifecycle: AlertLifecycle;
  confirmation: ConfirmationGate;
  spend30d: Map<string, { spend: number; at: number }>;
  pool: Map<string, PoolRow>;
  firstWindowEnd: number | null;
  lastWindowEnd: number | null;
  model: ScoringModel | null;
}

export class WindowScorer {
  readonly options: ScorerOptions;
  readonly registry: FeatureRegistry;
  /** What the forests see, in column order (see FeatureRegistry.scored), and their names. */
  private readonly scored: readonly Feature[];
  readonly modelFeatureNames: readonly string[];
  private linker: CampaignLinker;
  private lifecycle: AlertLifecycle;
  private confirmation: ConfirmationGate;
  /** Latest known 30-day spend per account, for linked spend across labs. */
  private spend30d = new Map<string, { spend: number; at: number }>();
  /** Training pool: `<subject>@<day>` -> that subject's window of the day with the smallest hash. */
  private pool = new Map<string, PoolRow>();
  private firstWindowEnd: number | null = null;
  private lastWindowEnd: number | null = null;
  private model: ScoringModel | null = null;
  /** A fixed model (from --model) is never refreshed. */
  private readonly fixedModel: boolean;
  /** Called with every scored subject-window, alerted or not (for `detect --scores-out`). */
  onScore: ((scored: SubjectScore) => void) | null = null;
  /** On-call verdicts in force (`--verdicts`, the alert-verdicts topic); null scores unsupervised only. */
  verdicts: VerdictBook | null = null;

  constructor(options: Partial<ScorerOptions> = {}, model?: ScoringModel, registry: FeatureRegistry = REGISTRY) {
    this.options = { ...DEFAULT_SCORER_OPTIONS, ...options };
    this.registry = registry;
    // The scorer itself reads the request count (shrinking, confirmation): it must be registered.
    registry.get('requests_log', 'the scorer');
    this.scored = registry.scored;
    this.modelFeatureNames = this.scored.map((f) => f.name);
    this.linker = new CampaignLinker(this.options.linker, requestShapeOf(registry));
    this.lifecycle = new AlertLifecycle({ rearmAfterMs: this.options.rearmAfterMs });
    this.confirmation = new ConfirmationGate(this.options.confirmation);
    this.fixedModel = model !== undefined;
    if (model) {
      if (model.featureSet !== registry.id || model.featureNames.join(',') !== this.modelFeatureNames.join(',')) {
        throw new ModelFormatError(`model features [${model.featureNames.join(', ')}] (${model.featureSet}) differ from this detector's [${this.modelFeatureNames.join(', ')}] (${registry.id})`);
      }
      this.model = model;
    }
  }

  /** The model in force, if any. */
  get currentModel(): ScoringModel | null {
    return this.model;
  }

  /** The mutable state, by reference: only for detector/scorerState.ts (changelog snapshot and restore). */
  get internals(): ScorerInternals {
    return { linker: this.linker, lifecycle: this.lifecycle, confirmation: this.confirmation, spend30d: this.spend30d,
      pool: this.pool, firstWindowEnd: this.firstWindowEnd, lastWindowEnd: this.lastWindowEnd, model: this.model };
  }

  set internals(s: ScorerInternals) {
    ({ linker: this.linker, lifecycle: this.lifecycle, confirmation: this.confirmation, spend30d: this.spend30d,
      pool: this.pool, firstWindowEnd: this.firstWindowEnd, lastWindowEnd: this.lastWindowEnd, model: this.model } = s);
  }

  /**
   * Scores one closed window. `records` are all account-windows with this window_end (any
   * order). Windows must come in increasing window_end order. Returns the alerts, sorted by
   * alert_id. `accountScores`: every account's row and forest scores, computed by the instances
   * of a split scorer with the model of modelFor (detector/accountScoring.ts); without it the
   * scorer computes them itself, with the same result.
   */
  scoreWindow(windowStart: number, windowEnd: number, records: readonly AccountFeatures[], accountScores?: AccountScoreBook): DistillationAlert[] {
    return this.finishWindow(this.linkWindow(windowStart, windowContext(this, windowEnd, records), records), accountScores);
  }

  /**
   * The first half of scoreWindow, which needs no account scores: linking and subjects, in the
   * window's `context` (windowContext: its model and population mix, which the owner of a split
   * scorer has already handed to the instances, so neither is computed twice). The owner runs it
   * while the instances score the accounts.
   */
  linkWindow(windowStart: number, context: WindowContext, records: readonly AccountFeatures[]): LinkedWindow {
    const { windowEnd, model } = context;
    if (this.lastWindowEnd !== null && windowEnd <= this.lastWindowEnd) throw new Error(`window ${windowEnd} linked after window ${this.lastWindowEnd}: ask windowContext for each window in event-time order`);
    this.lastWindowEnd = windowEnd;
    this.verdicts?.beginWindow(windowEnd);
    const sorted = byAccountKey(records);
    for (const r of sorted) this.spend30d.set(accountKeyOf(r), { spend: r.spend_usd_30d, at: windowEnd });
    this.expireSpend(windowEnd);

    const campaigns = this.linker.observeWindow(windowEnd, sorted);
    const subjects = buildSubjects(sorted, campaigns, (k) => this.spend30d.get(k)?.spend ?? 0);
    return { windowStart, windowEnd, model, subjects, population: topicShares(context.population) };
  }

  /** The second half of scoreWindow, for the window linkWindow gave last: rows, pool, scores, alerts. */
  finishWindow(w: LinkedWindow, accountScores?: AccountScoreBook): DistillationAlert[] {
    if (w.windowEnd !== this.lastWindowEnd) throw new Error(`window ${w.windowEnd} finished after window ${this.lastWindowEnd} was linked`);
    if (accountScores && accountScores.modelVersion !== (w.model?.version ?? null)) throw new AccountScoreModelError(w.windowEnd, accountScores.modelVersion, w.model);
    const rows = w.subjects.map((s) => accountScores?.get(s)?.vector ?? this.modelRow(s, w.population));
    // The pool keeps every campaign's combined row: how campaigns are judged (by their strongest
    // member, campaignRow.ts) must not move the model, and with it every account's score.
    this.addToPool(w.windowEnd, w.subjects, rows);
    const vectors = campaignRows(w.subjects, rows, this.scored, this.options.campaignStrongestMember);
    if (!w.model) return [];
    return this.alertsFor(w.windowStart, w.windowEnd, w.subjects, vectors, w.model, accountScores);
  }

  /**
   * The model that scores window `windowEnd`, trained first when a refresh is due. scoreWindow
   * asks it; the owner of a split scorer asks it before the window is scored, to hand the model
   * to the instances that score its accounts (detector/accountScoring.ts). Training reads only
   * the pool of earlier windows, so asking early changes nothing.
   */
  modelFor(windowEnd: number): ScoringModel | null {
    if (this.lastWindowEnd !== null && windowEnd <= this.lastWindowEnd) {
      throw new Error(`window ${windowEnd} scored after window ${this.lastWindowEnd}: windows must come in event-time order`);
    }
    this.firstWindowEnd ??= windowEnd;
    this.maybeTrain(windowEnd);
    return this.model;
  }

  /** The subject's row of the features the forests see, unclipped (also stage 1 of a split scorer). */
  modelRow(s: Subject, population: ReadonlyMap<string, number>): Float64Array {
    const feature = (name: string) => {
      const value = s.features[name];
      if (value === undefined) throw new UnknownFeatureError(name, `the features of subject ${s.id}`);
      return value;
    };
    const requests = Math.expm1(feature('requests_log'));
    const keep = requests / (requests + SHRINK_REQUESTS);
    const view: SubjectView = { feature, requests, keep, topics: s.topics, populationTopics: population };
    const v = new Float64Array(this.scored.length);
    this.scored.forEach((f, k) => {
      const value = f.kind === 'account' ? feature(f.name) : f.derive(view);
      v[k] = f.shrinkWithFewRequests ? value * keep : value;
    });
    return v;
  }

  /** What the forest sees: each feature's evidence view (scoring/evidenceView.ts; also stage 1 of a split scorer). */
  forestView(row: Float64Array, profile: PopulationProfile): Float64Array {
    const v = new Float64Array(row.length);
    for (let k = 0; k < row.length; k++) {
      const role = this.scored[k]!.role!;
      v[k] = evidenceView(role, row[k]!, featurePercentile(role, profile, k, row[k]!), this.options.unobservedBreadth);
    }
    return v;
  }

  /**
   * Each subject offers at most one window a day to the training pool, the one with the
   * smallest hash of (seed, subject, window_end): every account weighs the same in the
   * population however many hours it is active, and the choice does not depend on order. Of a
   * day's subjects only the `trainingRowsPerDay` smallest hashes stay (`trimPoolDay`).
   */
  private addToPool(windowEnd: number, subjects: readonly Subject[], vectors: readonly Float64Array[]): void {
    const day = Math.floor((windowEnd - 1) / DAY);
    subjects.forEach((s, i) => {
      const hash = fnv1a64Hex(`${this.options.seed}|${s.id}|${windowEnd}`);
      const key = `${s.id}@${day}`;
      const held = this.pool.get(key);
      if (!held || hash < held.hash) this.pool.set(key, { hash, day, vector: vectors[i]! });
    });
    this.trimPoolDay(day);
    const horizonDay = Math.floor((windowEnd - this.options.trainingHorizonMs) / DAY);
    if (windowEnd % DAY === 0) for (const [k, r] of this.pool) if (r.day < horizonDay) this.pool.delete(k);
  }

  /**
   * Keeps the day's `trainingRowsPerDay` rows of smallest hash (ties by key). A row dropped here
   * could only come back with a smaller hash, which is what a bottom-k sample of each subject's
   * smallest hash of the day would hold too: the pool does not depend on the order of windows.
   */
  private trimPoolDay(day: number): void {
    const rows: Array<[string, PoolRow]> = [];
    for (const entry of this.pool) if (entry[1].day === day) rows.push(entry);
    if (rows.length <= this.options.trainingRowsPerDay) return;
    rows.sort(([ka, a], [kb, b]) => cmp(a.hash, b.hash) || cmp(ka, kb));
    for (let i = this.options.trainingRowsPerDay; i < rows.length; i++) this.pool.delete(rows[i]![0]);
  }

  private maybeTrain(windowEnd: number): void {
    if (this.fixedModel) return;
    const due = this.model
      ? windowEnd - this.model.trainedThrough >= this.options.refreshMs
      : windowEnd - this.firstWindowEnd! >= this.options.warmupMs;
    if (!due) return;
    const horizonDay = Math.floor((windowEnd - this.options.trainingHorizonMs) / DAY);
    const held = [...this.pool.values()].filter((r) => r.day >= horizonDay).sort((a, b) => cmp(a.hash, b.hash));
    if (held.length < 32) return;
    const rows = held.map((r) => r.vector);
    const profile = PopulationProfile.fromRows(rows, this.modelFeatureNames);
    const clippedRows = rows.map((r) => this.forestView(r, profile));
    const column = (n: string) => this.modelFeatureNames.indexOf(n);
    const facets: Facet[] = this.registry.facets.map((f) => ({
      name: f.name, columns: f.features.map(column), corroboration: f.corroboration.map(column),
    }));
    const forest = FacetForest.fit(clippedRows, facets, this.modelFeatureNames,
      { trees: this.options.trees, sampleSize: this.options.sampleSize, seed: this.options.seed });
    const calibration = calibrate(forest.scoreMany(clippedRows), { alertBudget: this.options.alertBudget, minScore: this.options.minScore });
    this.model = {
      version: `iforest-v1-s${this.options.seed}-${new Date(windowEnd).toISOString().replace(/[-:]|\.\d+/g, '')}`,
      trainedThrough: windowEnd, featureSet: this.registry.id, featureNames: [...this.modelFeatureNames], forest, calibration, profile,
    };
  }

  private alertsFor(windowStart: number, windowEnd: number, subjects: readonly Subject[],
    vectors: readonly Float64Array[], model: ScoringModel, accountScores?: AccountScoreBook): DistillationAlert[] {
    const alerts: DistillationAlert[] = [];
    const covered = new Set<string>();
    const suspects: AccountFeatures[] = [];
    this.confirmation.expire(windowEnd);
    // Campaigns first: an account inside an alerting campaign is reported by the campaign's alert.
    const order = subjects.map((_, i) => i).sort((a, b) =>
      (subjects[a]!.kind === 'campaign' ? 0 : 1) - (subjects[b]!.kind === 'campaign' ? 0 : 1) || a - b);
    const judged = subjects.map((s, i) => {
      const scored = accountScores?.get(s);
      const row = scored?.view ?? this.forestView(vectors[i]!, model.profile);
      const facetScores = scored?.facetScores ?? model.forest.facetScores(row);
      return { row, facetScores, unsupervised: combineFacetScores(facetScores) };
    });
    // A campaign that no link shows to be one operator counts no more than its strongest member.
    // A hand-over chain's campaign is scored without its weakest facet (campaignRow.ts).
    const held = liftChainCampaigns(subjects, judged.map((j) => j.facetScores),
      capWeakCampaigns(subjects, judged.map((j) => j.unsupervised), this.options.weakCampaignMembers), this.options.chainSparedFacets);
    for (const i of order) {
      const s = subjects[i]!;
      const { row, facetScores } = judged[i]!;
      const unsupervised = held[i]!;
      const score = this.verdicts ? Math.min(1, Math.max(0, unsupervised + this.verdicts.shift(row))) : unsupervised;
      const above = severityOf(score, model.calibration);
      if (above !== null && s.kind === 'account') suspects.push(s.windows[0]!);
      const requests = Math.round(Math.expm1(s.features['requests_log']!));
      let severity = above !== null && this.confirmation.confirm(s.id, windowEnd, requests, score - model.calibration.threshold) ? above : null;
      if (this.verdicts?.judge(s.id, severity && { windowEnd, row: [...row], score: unsupervised, severity, members: s.accounts.length })) severity = null;
      const decision = this.lifecycle.decide({ subjectId: s.id, windowStart, windowEnd, severity, memberCount: s.accounts.length });
      if (this.onScore) {
        this.onScore({ window_end: windowEnd, subject_kind: s.kind, subject_id: s.id, accounts: s.accounts,
          score: round(score, 6), facets: facetRecord(model.forest, facetScores),
          threshold: round(model.calibration.threshold, 6), alerted: severity !== null });
      }
      // A campaign above the threshold speaks for its members in this window, whether or not
      // the lifecycle lets its alert repeat: one harvest must not page once per account.
      if (s.kind === 'campaign' && severity !== null) for (const a of s.accounts) covered.add(`${a.lab}/${a.account_id}`);
      if (!decision.emit || severity === null) continue;
      if (s.kind === 'account' && covered.has(s.id)) continue;
      const reasons = topReasons(model.forest.explain(row), vectors[i]!, model.profile, this.options.reasons);
      alerts.push(alertOf(s, windowStart, windowEnd, score, severity, reasons, model));
    }
    this.linker.observeSuspects(windowEnd, suspects);
    return alerts.sort((a, b) => cmp(a.alert_id, b.alert_id));
  }

  private expireSpend(windowEnd: number): void {
    if (windowEnd % DAY !== 0) return;
    for (const [k, v] of this.spend30d) if (v.at <= windowEnd - 30 * DAY) this.spend30d.delete(k);
  }
}

/** The alert a subject raises in a window: rounded as the contract's fields are, its links as reasons. */
function alertOf(s: Subject, windowStart: number, windowEnd: number, score: number, severity: DistillationAlert['severity'],
  reasons: ReturnType<typeof topReasons>, model: ScoringModel): DistillationAlert {
  return {
    alert_id: `alert-${fnv1a64Hex(`${s.id}|${windowEnd}|${model.version}`)}`,
    window_start: windowStart,
    window_end: windowEnd,
    subject_kind: s.kind,
    subject_id: s.id,
    accounts: s.accounts,
    score: round(score, 6),
    threshold: round(model.calibration.threshold, 6),
    severity,
    reasons: [
      ...reasons.map((r) => ({ feature: r.feature, value: round(r.value, 6), baseline: round(r.baseline, 6),
        percentile: round(r.percentile, 3), contribution: round(r.contribution, 6) })),
      ...s.behaviourLinks.map(linkReason),
    ],
    spend_usd_window: round(s.spendWindow, 6),
    spend_usd_30d: round(s.spend30dOneLab, 6),
    spend_usd_30d_all_labs: round(s.spend30dAllLabs, 6),
    kyc_tier: kycTier(s.spend30dAllLabs),
    model_version: model.version,
  };
}

/**
 * A campaign held together by behaviour alone names each such link (CONTRACT.md §6): the value
 * is how many members it links. It adds nothing to the score (linking never alerts on its own),
 * and no single account is linked that way, hence a baseline of 0 at the 100th percentile.
 */
function linkReason(link: { kind: LinkKind; members: number }): DistillationAlert['reasons'][number] {
  return { feature: `link.${link.kind}`, value: link.members, baseline: 0, percentile: 100, contribution: 0 };
}

function facetRecord(forest: FacetForest, scores: readonly number[]): Record<string, number> {
  return Object.fromEntries(forest.facets.map((f, k) => [f.name, round(scores[k]!, 4)]));
}

/**
 * The records sorted by account key, each key built once: a comparator that builds both keys
 * made two strings per comparison, tens of millions at the close of a 10^6-account hour.
 */
function byAccountKey(records: readonly AccountFeatures[]): AccountFeatures[] {
  const keys = records.map(accountKeyOf);
  const order = Array.from(records.keys()).sort((a, b) => cmp(keys[a]!, keys[b]!));
  return order.map((i) => records[i]!);
}

const round = (x: number, digits: number) => { const f = 10 ** digits; return Math.round(x * f) / f; };
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
