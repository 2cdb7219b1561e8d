/**
 * Turns anomaly scores into alert decisions: a threshold set from the scores of a training
 * population of subject-windows so that only a target share of windows (the alert budget) lies
 * above it, and severity bands above the threshold. It must never look at labels (detection is
 * unsupervised) and never adapt to the window being scored: the calibration is fixed with the
 * model, so a replay decides exactly as the live scorer did.
 *
 * The budget is per subject-window, and that share compounds: an account scored every hour for
 * a week is judged 168 times, so a per-window budget of 1e-3 could reach up to 1 - 0.999^168 ≈ 15%
 * of benign accounts over the week if their windows were independent draws. `perWindowBudget`
 * converts the share of distinct accounts one is willing to alert over a period into the
 * per-window budget; `minScore` additionally keeps the threshold out of the population's bulk.
 */
import { quantileSorted } from 'simple-statistics';
import type { Severity } from '../schemas.generated.ts';

export interface CalibrationOptions {
  /** Target share of training subject-windows scoring above the threshold. Default 1e-3. */
  alertBudget?: number;
  /**
   * Floor of the threshold. Default 0.5: the paper's line below which a score says the row is
   * not distinct from the population, so a quiet population never produces alerts.
   */
  minScore?: number;
}

/** A threshold and severity bands, fixed with the model and published with it (plain JSON). */
export interface Calibration {
  /** A window alerts when its score is strictly above this. */
  threshold: number;
  /** Lowest score of each band above `low`; strictly increasing from `threshold`. */
  bands: { medium: number; high: number; critical: number };
  alertBudget: number;
  minScore: number;
  /** Number of training scores the quantiles came from. */
  populationSize: number;
}

/** Each band holds a tenth of the windows of the band below it. */
export const SEVERITY_TAIL_RATIO = 10;
/**
 * Smallest score gap between bands. Quantiles beyond 1 - 1/populationSize cannot be resolved
 * and all equal the population's maximum, which would merge the upper bands.
 */
export const SEVERITY_MIN_STEP = 0.02;

/** Threshold and severity bands from the scores of a training population. */
export function calibrate(scores: ArrayLike<number>, options: CalibrationOptions = {}): Calibration {
  const alertBudget = options.alertBudget ?? 1e-3;
  const minScore = options.minScore ?? 0.5;
  if (!(alertBudget > 0 && alertBudget < 1)) throw new RangeError(`alertBudget must be in (0, 1), got ${alertBudget}`);
  if (!(minScore >= 0 && minScore <= 1)) throw new RangeError(`minScore must be in [0, 1], got ${minScore}`);
  if (scores.length === 0) throw new RangeError('calibration needs the scores of at least one training window');
  const sorted = Array.from(scores).sort((a, b) => a - b);
  if (!sorted.every(Number.isFinite)) throw new RangeError('training scores must be finite numbers');

  const threshold = Math.max(minScore, quantileSorted(sorted, 1 - alertBudget));
  const band = (level: number, below: number): number =>
    Math.max(quantileSorted(sorted, 1 - alertBudget / SEVERITY_TAIL_RATIO ** level), below + SEVERITY_MIN_STEP);
  const medium = band(1, threshold);
  const high = band(2, medium);
  const critical = band(3, high);
  return { threshold, bands: { medium, high, critical }, alertBudget, minScore, populationSize: sorted.length };
}

/** Severity of a score, or null when it does not exceed the threshold. */
export function severityOf(score: number, calibration: Calibration): Severity | null {
  if (!(score > calibration.threshold)) return null;
  const { medium, high, critical } = calibration.bands;
  if (score >= critical) return 'critical';
  if (score >= high) return 'high';
  if (score >= medium) return 'medium';
  return 'low';
}

/**
 * Per-window budget b such that an account judged `windowsPerPeriod` times, each time with
 * chance b, is alerted at least once in the period with chance `accountShare`:
 * b = 1 - (1 - accountShare)^(1 / windowsPerPeriod). Independence is the worst case: a benign
 * account's windows are correlated, so fewer distinct accounts alert in practice.
 */
export function perWindowBudget(accountShare: number, windowsPerPeriod: number): number {
  if (!(accountShare > 0 && accountShare < 1)) throw new RangeError(`accountShare must be in (0, 1), got ${accountShare}`);
  if (!Number.isInteger(windowsPerPeriod) || windowsPerPeriod < 1) {
    throw new RangeError(`windowsPerPeriod must be a positive integer, got ${windowsPerPeriod}`);
  }
  // -expm1(log1p(-s) / w) is 1 - (1 - s)^(1/w) without cancellation for tiny shares.
  return -Math.expm1(Math.log1p(-accountShare) / windowsPerPeriod);
}
