import { describe, expect, it } from 'vitest';
import { ScorerBypassCheck } from '../../src/federation/scorerBypass.ts';

const alert = (source: string | null | undefined) => ({ alert_id: `a-${String(source)}`, source });

describe('ScorerBypassCheck', () => {
  it('ignores the alerts the bridge writes, local and forum', () => {
    const check = new ScorerBypassCheck();
    expect([check.observe(alert('local')), check.observe(alert('forum'))]).toEqual([false, false]);
    expect(check.alerts).toBe(0);
  });

  it('reports the first alert without a source (a scorer run without --federated) once, and counts every one', () => {
    const check = new ScorerBypassCheck();
    expect([check.observe(alert(null)), check.observe(alert('local')), check.observe(alert(undefined))]).toEqual([true, false, false]);
    expect(check.alerts).toBe(2);
  });
});
