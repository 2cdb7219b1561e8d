// A campaign linked by behaviour alone is one subject: one subject_id that gains each member as
// it appears, whose latest alert names every member seen so far. Scored end to end by the
// WindowScorer with a model trained on the test population; the campaigns are made from the
// lone harvester's windows, carried by throwaway accounts (churn) or split by topic (shards).
import { describe, expect, it } from 'vitest';
import type { DistillationAlert } from '../../src/schemas.generated.ts';
import { parseDetectorConfig } from '../../src/detector/config.ts';
import { WindowScorer, type ScoringModel } from '../../src/detector/scorer.ts';
import { HOUR, LONE_HARVESTER, population } from '../detector/population.ts';
import { windowsOf, type Window } from '../detector/populationWindows.ts';


const EAGER = { confirmation: { windows: 1, spanMs: 4 * HOUR, minRequests: 0, oneWindowMargin: 1 } };

function alertsOf(ws: readonly Window[], model?: ScoringModel): { alerts: DistillationAlert[]; scorer: WindowScorer } {
  const scorer = new WindowScorer({ ...parseDetectorConfig({}).scorer, ...EAGER }, model);
  return { alerts: ws.flatMap((w) => scorer.scoreWindow(w.start, w.end, w.records)), scorer };
}

const windows = windowsOf(5);
const model = alertsOf(windows).scorer.currentModel!;

/** Member k of a churn takes `lifetime` windows of the harvester, new on the stream (its 30-day spend starts with it). */
function churnOf(ws: readonly Window[], lifetime: number): Window[] {
  const spent = new Map<string, number>();
  return ws.map((w, k) => ({
    ...w,
    records: w.records.map((r) => {
      if (`${r.lab}/${r.account_id}` !== LONE_HARVESTER) return r;
      const accountId = `churn-${Math.floor(k / lifetime)}`;
      const spend = (spent.get(accountId) ?? 0) + r.spend_usd_window;
      spent.set(accountId, spend);
      return { ...r, account_id: accountId, spend_usd_30d: spend };
    }),
  }));
}

/** The harvester's windows as `shards` accounts at three labs, each on its own disjoint slice of topics, shard k joining at window 2k. */
function shardsOf(ws: readonly Window[], shards: number): Window[] {
  return ws.map((w, k) => ({
    ...w,
    records: w.records.flatMap((r) => {
      if (`${r.lab}/${r.account_id}` !== LONE_HARVESTER) return [r];
      return Array.from({ length: shards }, (_, s) => s).filter((s) => k >= 2 * s).map((s) => ({
        ...r, lab: `lab-${'abc'[s % 3]!}`, account_id: `shard-${s}`,
        topics: [{ topic: `field-${2 * s}`, count: 20 }, { topic: `field-${2 * s + 1}`, count: 20 }],
      }));
    }),
  }));
}

/** Checks the one-subject property for the campaign made of accounts whose id starts with `prefix`. */
function expectOneGrowingSubject(ws: readonly Window[], alerts: readonly DistillationAlert[], prefix: string, link: string): void {
  const mine = alerts.filter((a) => a.accounts.some((r) => r.account_id.startsWith(prefix)));
  const campaign = mine.filter((a) => a.subject_kind === 'campaign');
  expect(new Set(campaign.map((a) => a.subject_id)).size).toBe(1);
  const sizes = campaign.map((a) => a.accounts.length);
  expect(sizes.length).toBeGreaterThan(1);
  expect([...sizes].sort((x, y) => x - y)).toEqual(sizes);
  const latest = campaign.at(-1)!;
  const seen = new Set(ws.filter((w) => w.end <= latest.window_end).flatMap((w) => w.records)
    .map((r) => `${r.lab}/${r.account_id}`).filter((id) => id.split('/')[1]!.startsWith(prefix)));
  expect(latest.accounts.map((r) => `${r.lab}/${r.account_id}`)).toEqual([...seen].sort());
  expect(latest.reasons.some((r) => r.feature === link)).toBe(true);
  // Once linked, a member pages on its own only in its first window, before its link is seen.
  const arrival = new Map<string, number>();
  for (const w of ws) for (const r of w.records) if (!arrival.has(r.account_id)) arrival.set(r.account_id, w.end);
  for (const a of mine.filter((x) => x.subject_kind === 'account' && x.window_end > campaign[0]!.window_end)) {
    expect(a.window_end).toBe(arrival.get(a.accounts[0]!.account_id));
  }
}

describe('a campaign linked by behaviour is one subject', () => {
  it('a churning campaign gains each throwaway account as it appears, and its latest alert names every member so far', () => {
    const ws = churnOf(windows, 3);
    expectOneGrowingSubject(ws, alertsOf(ws, model).alerts, 'churn-', 'link.handover');
  });

  it('a campaign sharding the topics across labs gains each shard as it appears, and its latest alert names every shard so far', () => {
    const ws = shardsOf(windows, 4);
    expectOneGrowingSubject(ws, alertsOf(ws, model).alerts, 'shard-', 'link.coverage');
  });
});
