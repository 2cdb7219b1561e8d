import { describe, expect, it } from 'vitest';
import { TemplatePrevalence } from '../../src/campaigns/templatePrevalence.ts';

const HOUR = 3_600_000;
const T0 = 1_772_409_600_000;
const options = { commonTemplateAccounts: 5, templateMemoryMs: 24 * HOUR };
const accounts = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `lab-a/u${from + i}`);

describe('TemplatePrevalence', () => {
  it('calls an entry common once more distinct accounts than the limit used it, over several windows', () => {
    const p = new TemplatePrevalence(options);
    p.note('e1', accounts(3), T0);
    p.note('e1', accounts(3, 1), T0 + HOUR);
    expect(p.isCommon('e1')).toBe(false);
    p.note('e1', accounts(2, 4), T0 + 2 * HOUR);
    expect(p.isCommon('e1')).toBe(true);
    expect(p.isCommon('e2')).toBe(false);
  });

  it('forgets holders and commonness not seen within the memory', () => {
    const p = new TemplatePrevalence(options);
    p.note('e1', accounts(6), T0);
    p.note('e2', accounts(4), T0);
    p.note('e2', accounts(2, 10), T0 + 30 * HOUR);
    p.expire(T0 + 30 * HOUR);
    expect(p.isCommon('e1')).toBe(false);
    expect(p.toRows()).toEqual([['e2', T0 + 30 * HOUR, [['lab-a/u10', T0 + 30 * HOUR], ['lab-a/u11', T0 + 30 * HOUR]]]]);
  });

  it('restores from rows', () => {
    const p = new TemplatePrevalence(options);
    p.note('e1', accounts(6), T0);
    p.note('e2', accounts(2), T0);
    const restored = TemplatePrevalence.fromRows(JSON.parse(JSON.stringify(p.toRows())), options);
    expect(restored.toRows()).toEqual(p.toRows());
    expect(restored.isCommon('e1')).toBe(true);
  });
});
