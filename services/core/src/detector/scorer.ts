// WindowScorer: turns the closed account-windows of one event-time window into alerts.
//
// For each window, in window_end order: link campaigns, build subjects (accounts and
// campaigns), compare each subject's topic mix with the window's population, score the
// subjects with the isolation forest, calibrate to the alert budget, explain, and let the
// alert lifecycle decide what on-call people see. The model is trained unsupervised once the
// warm-up has passed and refreshed on a fixed event-time schedule from a training pool chosen by
// hashing (subject, window) — never by arrival order — so the same windows give the same model
// and the same alerts, offline or streaming. Pure: no clock, no I/O, no Math.random.
import type { AccountFeatures, DistillationAlert, TopicCount } from '../schemas.generated.ts';
import { CampaignLinker, type CampaignLinkerOptions } from '../campaigns/campaignLinker.ts';
import { fnv1a64Hex } from '../campaigns/hash.ts';
import { IsolationForest } from '../forest/isolationForest.ts';
import { calibrate, severityOf, type Calibration } from '../scoring/calibration.ts';
import { AlertLifecycle } from '../scoring/lifecycle.ts';
import { PopulationProfile, topReasons } from '../scoring/reasons.ts';
import { kycTier } from '../kyc.ts';
import { buildSubjects, populationTopics, accountKeyOf, type Subject } from './subjects.ts';

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
  /** Subject-windows kept per window for training (smallest hashes win). Default 256. */
  trainingRowsPerWindow: number;
  /** Isolation forest: trees and subsample size ψ. Defaults 100 and 256 (Liu et al. 2008). */
  trees: number;
  sampleSize: number;
  /** Target share of training subject-windows above the threshold. Default 2e-4. */
  alertBudget: number;
  /** Floor of the threshold. Default 0.6. */
  minScore: number;
  /** Event time below threshold after which a subject alerts again. Default 24 h. */
  rearmAfterMs: number;
  /** Reasons per alert, most important first. Default 5 (the contract asks at least 3). */
  reasons: number;
  linker: Partial<CampaignLinkerOptions>;
}

export const DEFAULT_SCORER_OPTIONS: ScorerOptions = {
  seed: 42,
  warmupMs: 12 * HOUR,
  refreshMs: DAY,
  trainingHorizonMs: 7 * DAY,
  trainingRowsPerWindow: 256,
  trees: 100,
  sampleSize: 256,
  alertBudget: 2e-4,
  minScore: 0.6,
  rearmAfterMs: DAY,
  reasons: 5,
  linker: {},
};

/** A trained model with everything needed to score and explain, serialisable as JSON. */
export interface ScoringModel {
  version: string;
  trainedThrough: number;
  featureNames: string[];
  forest: IsolationForest;
  calibration: Calibration;
  profile: PopulationProfile;
}

export interface ScoringModelJSON {
  format: 'distillwatch.scoring-model';
  formatVersion: 1;
  version: string;
  trainedThrough: number;
  featureNames: string[];
  forest: ReturnType<IsolationForest['toJSON']>;
  calibration: Calibration;
  profile: ReturnType<PopulationProfile['toJSON']>;
}

export function modelToJSON(m: ScoringModel): ScoringModelJSON {
  return {
    format: 'distillwatch.scoring-model', formatVersion: 1, version: m.version,
    trainedThrough: m.trainedThrough, featureNames: m.featureNames, forest: m.forest.toJSON(),
    calibration: m.calibration, profile: m.profile.toJSON(),
  };
}

export function modelFromJSON(json: unknown): ScoringModel {
  const j = json as Partial<ScoringModelJSON> | null;
  if (!j || j.format !== 'distillwatch.scoring-model' || j.formatVersion !== 1) {
    throw new Error('not a distillwatch scoring model (format distillwatch.scoring-model, version 1)');
  }
  return {
    version: String(j.version), trainedThrough: Number(j.trainedThrough), featureNames: [...j.featureNames!],
    forest: IsolationForest.fromJSON(j.forest), calibration: j.calibration!, profile: PopulationProfile.fromJSON(j.profile),
  };
}

/** Features the scorer adds to the per-account ones: they need a view across accounts. */
export const SUBJECT_FEATURE_NAMES = ['topic_divergence', 'linked_accounts_log', 'labs'] as const;

interface PoolRow { hash: string; vector: Float64Array }

export class WindowScorer {
  readonly options: ScorerOptions;
  private readonly accountFeatureNames: readonly string[];
  readonly featureNames: readonly string[];
  private readonly linker: CampaignLinker;
  private readonly lifecycle: AlertLifecycle;
  /** Latest known 30-day spend per account, for linked spend across labs. */
  private readonly spend30d = new Map<string, { spend: number; at: number }>();
  /** Training pool: window_end -> the window's rows with the smallest hashes. */
  private readonly pool = new Map<number, PoolRow[]>();
  private firstWindowEnd: number | null = null;
  private lastWindowEnd: number | null = null;
  private model: ScoringModel | null = null;
  /** A fixed model (from --model) is never refreshed. */
  private readonly fixedModel: boolean;

  constructor(accountFeatureNames: readonly string[], options: Partial<ScorerOptions> = {}, model?: ScoringModel) {
    this.options = { ...DEFAULT_SCORER_OPTIONS, ...options };
    this.accountFeatureNames = accountFeatureNames;
    this.featureNames = [...accountFeatureNames, ...SUBJECT_FEATURE_NAMES];
    this.linker = new CampaignLinker(this.options.linker);
    this.lifecycle = new AlertLifecycle({ rearmAfterMs: this.options.rearmAfterMs });
    this.fixedModel = model !== undefined;
    if (model) {
      if (model.featureNames.join(',') !== this.featureNames.join(',')) {
        throw new Error(`model features [${model.featureNames.join(', ')}] differ from this detector's [${this.featureNames.join(', ')}]`);
      }
      this.model = model;
    }
  }

  /** The model in force, if any. */
  get currentModel(): ScoringModel | null {
    return this.model;
  }

  /**
   * Scores one closed window. `records` are all account-windows with this window_end (any
   * order). Windows must come in increasing window_end order. Returns the alerts, sorted by
   * alert_id.
   */
  scoreWindow(windowStart: number, windowEnd: number, records: readonly AccountFeatures[]): DistillationAlert[] {
    if (this.lastWindowEnd !== null && windowEnd <= this.lastWindowEnd) {
      throw new Error(`window ${windowEnd} scored after window ${this.lastWindowEnd}: windows must come in event-time order`);
    }
    this.lastWindowEnd = windowEnd;
    this.firstWindowEnd ??= windowEnd;
    const sorted = [...records].sort((a, b) => cmp(accountKeyOf(a), accountKeyOf(b)));
    for (const r of sorted) this.spend30d.set(accountKeyOf(r), { spend: r.spend_usd_30d, at: windowEnd });
    this.expireSpend(windowEnd);

    const campaigns = this.linker.observeWindow(windowEnd, sorted);
    const subjects = buildSubjects(sorted, campaigns, (k) => this.spend30d.get(k)?.spend ?? 0);
    const population = toShares(populationTopics(sorted));
    const vectors = subjects.map((s) => this.vectorOf(s, population));

    this.maybeTrain(windowEnd);
    this.addToPool(windowEnd, subjects, vectors);
    if (!this.model) return [];
    return this.alertsFor(windowStart, windowEnd, subjects, vectors, this.model);
  }

  private vectorOf(s: Subject, population: Map<string, number>): Float64Array {
    const v = new Float64Array(this.featureNames.length);
    this.accountFeatureNames.forEach((name, j) => { v[j] = finite(s.features[name]); });
    const base = this.accountFeatureNames.length;
    v[base] = jensenShannon(toShares(s.topics), population);
    v[base + 1] = Math.log1p(s.accounts.length);
    v[base + 2] = s.labs;
    return v;
  }

  private addToPool(windowEnd: number, subjects: readonly Subject[], vectors: readonly Float64Array[]): void {
    const rows = subjects.map((s, i) => ({ hash: fnv1a64Hex(`${this.options.seed}|${s.id}|${windowEnd}`), vector: vectors[i]! }));
    rows.sort((a, b) => cmp(a.hash, b.hash));
    this.pool.set(windowEnd, rows.slice(0, this.options.trainingRowsPerWindow));
    const horizon = windowEnd - this.options.trainingHorizonMs;
    for (const end of this.pool.keys()) if (end <= horizon) this.pool.delete(end);
  }

  private maybeTrain(windowEnd: number): void {
    if (this.fixedModel) return;
    const due = this.model
      ? windowEnd - this.model.trainedThrough >= this.options.refreshMs
      : windowEnd - this.firstWindowEnd! >= this.options.warmupMs;
    if (!due) return;
    const rows: Float64Array[] = [];
    for (const end of [...this.pool.keys()].sort((a, b) => a - b)) for (const r of this.pool.get(end)!) rows.push(r.vector);
    if (rows.length < 32) return;
    const forest = new IsolationForest({ trees: this.options.trees, sampleSize: this.options.sampleSize, seed: this.options.seed })
      .fit(rows, { featureNames: this.featureNames });
    const calibration = calibrate(forest.scoreMany(rows), { alertBudget: this.options.alertBudget, minScore: this.options.minScore });
    const profile = PopulationProfile.fromRows(rows, this.featureNames);
    this.model = {
      version: `iforest-v1-s${this.options.seed}-${new Date(windowEnd).toISOString().replace(/[-:]|\.\d+/g, '')}`,
      trainedThrough: windowEnd, featureNames: [...this.featureNames], forest, calibration, profile,
    };
  }

  private alertsFor(windowStart: number, windowEnd: number, subjects: readonly Subject[],
    vectors: readonly Float64Array[], model: ScoringModel): DistillationAlert[] {
    const alerts: DistillationAlert[] = [];
    const covered = new Set<string>();
    // Campaigns first: an account inside an alerting campaign is reported by the campaign's alert.
    const order = subjects.map((_, i) => i).sort((a, b) =>
      (subjects[a]!.kind === 'campaign' ? 0 : 1) - (subjects[b]!.kind === 'campaign' ? 0 : 1) || a - b);
    for (const i of order) {
      const s = subjects[i]!;
      const score = model.forest.score(vectors[i]!);
      const severity = severityOf(score, model.calibration);
      const decision = this.lifecycle.decide({ subjectId: s.id, windowStart, windowEnd, severity, memberCount: s.accounts.length });
      if (!decision.emit || severity === null) continue;
      if (s.kind === 'account' && covered.has(s.id)) continue;
      if (s.kind === 'campaign') for (const a of s.accounts) covered.add(`${a.lab}/${a.account_id}`);
      const reasons = topReasons(model.forest.explain(vectors[i]!), vectors[i]!, model.profile, this.options.reasons);
      alerts.push({
        alert_id: `alert-${fnv1a64Hex(`${s.id}|${windowEnd}|${model.version}`)}`,
        window_start: windowStart,
        window_end: windowEnd,
        subject_kind: s.kind,
        subject_id: s.id,
        accounts: s.accounts,
        score: round(score, 6),
        threshold: round(model.calibration.threshold, 6),
        severity,
        reasons: reasons.map((r) => ({ feature: r.feature, value: round(r.value, 6), baseline: round(r.baseline, 6),
          percentile: round(r.percentile, 3), contribution: round(r.contribution, 6) })),
        spend_usd_window: round(s.spendWindow, 6),
        spend_usd_30d: round(s.spend30dOneLab, 6),
        spend_usd_30d_all_labs: round(s.spend30dAllLabs, 6),
        kyc_tier: kycTier(s.spend30dAllLabs),
        model_version: model.version,
      });
    }
    return alerts.sort((a, b) => cmp(a.alert_id, b.alert_id));
  }

  private expireSpend(windowEnd: number): void {
    if (windowEnd % DAY !== 0) return;
    for (const [k, v] of this.spend30d) if (v.at <= windowEnd - 30 * DAY) this.spend30d.delete(k);
  }
}

function toShares(topics: readonly TopicCount[]): Map<string, number> {
  const total = topics.reduce((s, t) => s + t.count, 0);
  const shares = new Map<string, number>();
  if (total > 0) for (const t of topics) shares.set(t.topic, t.count / total);
  return shares;
}

/** Jensen-Shannon divergence (base 2, in [0, 1]) of two topic mixes; 0 when either is empty. */
export function jensenShannon(p: Map<string, number>, q: Map<string, number>): number {
  if (p.size === 0 || q.size === 0) return 0;
  let d = 0;
  const term = (a: number, m: number) => (a > 0 ? a * Math.log2(a / m) : 0);
  for (const [t, a] of p) { const b = q.get(t) ?? 0; d += 0.5 * term(a, (a + b) / 2); }
  for (const [t, b] of q) { const a = p.get(t) ?? 0; d += 0.5 * term(b, (a + b) / 2); }
  return Math.min(1, Math.max(0, d));
}

const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : 0);
const round = (x: number, digits: number) => { const f = 10 ** digits; return Math.round(x * f) / f; };
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
