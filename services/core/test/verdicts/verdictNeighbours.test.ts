import { describe, expect, it } from 'vitest';
import { neighbourShift, type VerdictExample } from '../../src/verdicts/verdictNeighbours.ts';

const ex = (subjectId: string, row: number[], label: -1 | 1): VerdictExample => ({ subjectId, row, label });
const options = { bandwidth: 0.05, maxShift: 0.1, minExamples: 2 };

describe('neighbourShift', () => {
  const benign = ex('b', [0.9, 0.9, 0.6], -1);
  const campaign = ex('c', [0.95, 0.95, 0.95], 1);

  it('moves nothing before the minimum number of verdicts exists', () => {
    expect(neighbourShift([0.9, 0.9, 0.6], [benign], options)).toBe(0);
  });

  it('lowers a look-alike of a benign subject by half the largest shift at distance 0', () => {
    // Only the benign example is near: its weight is 1, the campaign's ~0.
    expect(neighbourShift([0.9, 0.9, 0.6], [benign, campaign], options)).toBeCloseTo(-0.05, 3);
  });

  it('raises a look-alike of a judged campaign, and less the farther it is', () => {
    const near = neighbourShift([0.95, 0.95, 0.93], [benign, campaign], options);
    const far = neighbourShift([0.95, 0.95, 0.8], [benign, campaign], options);
    expect(near).toBeGreaterThan(0.045);
    expect(far).toBeGreaterThan(0);
    expect(far).toBeLessThan(near);
  });

  it('abstains far from every judged example', () => {
    expect(Math.abs(neighbourShift([0.5, 0.5, 0.5], [benign, campaign], options))).toBeLessThan(1e-6);
  });

  it('never moves a score by more than the largest shift, however many examples agree', () => {
    const many = Array.from({ length: 50 }, (_, i) => ex(`b${i}`, [0.9, 0.9, 0.6], -1));
    const s = neighbourShift([0.9, 0.9, 0.6], many, options);
    expect(s).toBeLessThan(-0.098);
    expect(s).toBeGreaterThanOrEqual(-0.1);
  });
});
