import { describe, expect, it } from 'vitest';
import { calibrate, perWindowBudget, severityOf, SEVERITY_MIN_STEP } from '../src/scoring/calibration.ts';
import { SeededRandom } from '../src/random.ts';

/** 100,000 training scores spread like a forest's: mostly 0.35-0.5, a thin tail towards 0.8. */
function trainingScores(): Float64Array {
  const random = new SeededRandom(17);
  return Float64Array.from({ length: 100_000 }, () => 0.42 + 0.03 * random.nextGaussian() + 0.05 * random.nextFloat() ** 8);
}

describe('calibrate', () => {
  const scores = trainingScores();

  it('puts the threshold where about the budgeted share of training windows lies above it', () => {
    const calibration = calibrate(scores, { alertBudget: 1e-3, minScore: 0 });
    const above = scores.filter((s) => s > calibration.threshold).length;
    expect(above).toBeGreaterThanOrEqual(99);
    expect(above).toBeLessThanOrEqual(101);
    expect(calibration.populationSize).toBe(100_000);
  });

  it('never sets the threshold below the minimum score, whatever the budget', () => {
    const calibration = calibrate(scores, { alertBudget: 0.5, minScore: 0.55 });
    expect(calibration.threshold).toBe(0.55);
  });

  it('defaults to a budget of 1e-3 with the paper\'s 0.5 floor', () => {
    const calibration = calibrate(scores);
    expect(calibration.alertBudget).toBe(1e-3);
    expect(calibration.minScore).toBe(0.5);
    expect(calibration.threshold).toBeGreaterThanOrEqual(0.5);
  });

  it('makes each severity band about ten times rarer than the one below it', () => {
    const calibration = calibrate(scores, { alertBudget: 1e-2, minScore: 0 });
    const count = (level: string) => Array.from(scores).filter((s) => severityOf(s, calibration) === level).length;
    expect(count('low')).toBeGreaterThan(800);
    expect(count('medium')).toBeGreaterThan(60);
    expect(count('medium')).toBeLessThan(120);
    expect(count('high') + count('critical')).toBeLessThan(20);
  });

  it('keeps the bands strictly increasing when the population is too small to resolve them', () => {
    const calibration = calibrate([0.4, 0.41, 0.42, 0.6], { alertBudget: 0.1, minScore: 0 });
    const { threshold, bands } = calibration;
    expect(bands.medium).toBeGreaterThanOrEqual(threshold + SEVERITY_MIN_STEP);
    expect(bands.high).toBeGreaterThanOrEqual(bands.medium + SEVERITY_MIN_STEP);
    expect(bands.critical).toBeGreaterThanOrEqual(bands.high + SEVERITY_MIN_STEP);
  });

  it('rejects budgets, floors and populations it cannot calibrate from', () => {
    expect(() => calibrate(scores, { alertBudget: 0 })).toThrow(RangeError);
    expect(() => calibrate(scores, { alertBudget: 1 })).toThrow(RangeError);
    expect(() => calibrate(scores, { minScore: 1.5 })).toThrow(RangeError);
    expect(() => calibrate([])).toThrow(RangeError);
    expect(() => calibrate([0.5, Number.NaN])).toThrow(RangeError);
  });
});

describe('severityOf', () => {
  const calibration = { threshold: 0.6, bands: { medium: 0.65, high: 0.7, critical: 0.8 }, alertBudget: 1e-3, minScore: 0.5, populationSize: 1000 };

  it('is null at or below the threshold', () => {
    expect(severityOf(0.6, calibration)).toBeNull();
    expect(severityOf(0.3, calibration)).toBeNull();
  });

  it('grades scores above the threshold by band, each band starting at its bound', () => {
    expect(severityOf(0.6000001, calibration)).toBe('low');
    expect(severityOf(0.65, calibration)).toBe('medium');
    expect(severityOf(0.7, calibration)).toBe('high');
    expect(severityOf(0.8, calibration)).toBe('critical');
    expect(severityOf(1, calibration)).toBe('critical');
  });
});

describe('perWindowBudget', () => {
  it('spreads a weekly share of alerted accounts over the hourly windows of a week', () => {
    const budget = perWindowBudget(0.01, 168);
    expect(budget).toBeCloseTo(5.982e-5, 8);
    expect(1 - (1 - budget) ** 168).toBeCloseTo(0.01, 12);
  });

  it('shows why a per-window budget of 1e-3 is too loose for hourly windows', () => {
    expect(perWindowBudget(0.155, 168)).toBeCloseTo(1e-3, 5);
  });

  it('rejects shares outside (0, 1) and non-positive window counts', () => {
    expect(() => perWindowBudget(0, 168)).toThrow(RangeError);
    expect(() => perWindowBudget(0.01, 0)).toThrow(RangeError);
  });
});
