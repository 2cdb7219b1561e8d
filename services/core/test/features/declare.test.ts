// The short forms of features/declare.ts: what each declares, and what its computation gives.
import { describe, expect, it } from 'vitest';
import type { AccountProfile } from '../../src/features/accountProfile.ts';
import type { AccountWindow } from '../../src/features/accountWindow.ts';
import { accountFeature, facet, perRequest, quantityLog } from '../../src/features/declare.ts';

const profile = {} as AccountProfile;
const windowOf = (fields: Partial<AccountWindow>) => fields as AccountWindow;

describe('feature short forms', () => {
  it('declares a mean over requests: a share of the events by default, averaged over a campaign', () => {
    const f = perRequest('retry_share', 'requests that are retries', (w) => w.errors, { role: facet('harvest'), shrinkWithFewRequests: true });
    expect(f).toMatchObject({ kind: 'account', name: 'retry_share', role: { facet: 'harvest', suspicious: 'high' }, usedBy: [], combine: 'mean' });
    expect(f.doc).toEqual({ definition: 'requests that are retries', scale: 'share' });
    expect(f.shrinkWithFewRequests).toBe(true);
    expect(f.compute(windowOf({ errors: 3, events: 12 }), profile)).toBe(0.25);
    expect(f.compute(windowOf({ errors: 0, events: 0 }), profile)).toBe(0);
  });

  it('takes the mean over the requests `among` counts, on the scale given', () => {
    const f = perRequest('mean_thing', 'mean thing', (w) => w.errors, { usedBy: ['dashboard'], scale: 'raw', among: (w) => w.textPrompts });
    expect(f.role).toBeNull();
    expect(f.doc.scale).toBe('raw');
    expect('shrinkWithFewRequests' in f).toBe(false);
    expect(f.compute(windowOf({ errors: 6, events: 100, textPrompts: 4 }), profile)).toBe(1.5);
  });

  it('declares log1p of a quantity that a campaign sums', () => {
    const f = quantityLog('errors_log', 'failed requests', (w) => w.errors, { usedBy: ['dashboard'] });
    expect(f).toMatchObject({ role: null, usedBy: ['dashboard'], combine: 'sum', doc: { definition: 'failed requests', scale: 'log1p' } });
    expect(f.compute(windowOf({ errors: Math.E - 1 }), profile)).toBeCloseTo(1, 12);
  });

  it('spells out any other account feature, with no facet and no reader unless given', () => {
    const f = accountFeature('widest', { combine: 'max', doc: { definition: 'x', scale: 'raw' }, compute: (w) => w.events });
    expect(f).toMatchObject({ kind: 'account', name: 'widest', role: null, usedBy: [], combine: 'max' });
    expect(facet('coverage', 'low')).toEqual({ facet: 'coverage', suspicious: 'low' });
  });
});
