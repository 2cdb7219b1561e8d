import { describe, expect, it } from 'vitest';
import { CampaignLinker, type CampaignLinkerState } from '../../src/campaigns/campaignLinker.ts';
import { ChainBook, isNew } from '../../src/campaigns/handoverChain.ts';
import type { AccountFeatures } from '../../src/schemas.generated.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 2, 2);
const SHAPE = [{ name: 'reasoning_share', tolerance: 0.25 }, { name: 'max_tokens_log', tolerance: 0.5 }];
const SCRIPT = { reasoning_share: 0.1, max_tokens_log: 8.3 };

interface Account { id: string; lab: string; first: number; last: number; shape: Record<string, number> }

/** The account's record for the window ending at `end` (one dollar per window active so far), or null when idle then. */
function windowOf(a: Account, end: number): AccountFeatures | null {
  const start = end - HOUR;
  if (a.first >= end || a.last < start) return null;
  const before = Math.max(0, Math.ceil((start - a.first) / HOUR));
  return {
    lab: a.lab, account_id: a.id, window_start: start, window_end: end, events: 10,
    first_event_time: Math.max(a.first, start), last_event_time: Math.min(a.last, end - 1),
    spend_usd_window: 1, spend_usd_30d: 1 + before, features: a.shape,
    topics: [], template_sketch: [], payment_fingerprints: [], network_agents: [],
  };
}

/** `n` throwaway accounts from `start`, each used `lifetime` and replaced `gap` after its last request. */
function churn(n: number, start: number, gap = 5 * MINUTE, lifetime = 5 * HOUR, shape = SCRIPT): Account[] {
  return Array.from({ length: n }, (_, k) => {
    const first = start + k * (lifetime + gap);
    return { id: `churn${k}`, lab: k % 2 ? 'lab-b' : 'lab-a', first, last: first + lifetime, shape };
  });
}

/** Feeds the linker hourly windows from T0 + 1 h to `hours` hours; no account is ever a suspect. */
function run(linker: CampaignLinker, accounts: readonly Account[], hours: number, from = 1): void {
  for (let h = from; h <= hours; h++) {
    const end = T0 + h * HOUR;
    linker.observeWindow(end, accounts.map((a) => windowOf(a, end)).filter((r): r is AccountFeatures => r !== null));
  }
}

// The linker starts at T0 + 1 h; chain arrivals are known after a day.
const AFTER_INCUMBENCY = T0 + 26 * HOUR;

describe('hand-over chains', () => {
  it('links throwaway accounts that are never suspects once they hand over three times in a row, across labs', () => {
    const linker = new CampaignLinker({}, SHAPE);
    const accounts = churn(5, AFTER_INCUMBENCY);
    // After three accounts (two hand-overs) nothing is linked.
    run(linker, accounts, 26 + 11);
    expect(linker.components()).toEqual([]);
    run(linker, accounts, 26 + 27, 26 + 12);
    const [campaign] = linker.components();
    expect(campaign!.members).toEqual(['lab-a/churn0', 'lab-a/churn2', 'lab-a/churn4', 'lab-b/churn1', 'lab-b/churn3']);
    expect(campaign!.linkKinds).toEqual(['chain']);
    expect(campaign!.linkedMembers).toEqual([5]);
  });

  it('does not link accounts that ask in different ways, or that arrive long after the last fell silent', () => {
    const varied = churn(6, AFTER_INCUMBENCY).map((a, k) => ({ ...a, shape: { ...SCRIPT, max_tokens_log: 6 + (k % 2) * 2.5 } }));
    const slow = churn(6, AFTER_INCUMBENCY, 45 * MINUTE);
    for (const accounts of [varied, slow]) {
      const linker = new CampaignLinker({}, SHAPE);
      run(linker, accounts, 26 + 40);
      expect(linker.components()).toEqual([]);
    }
  });

  it('knows no arrival during its first day: a customer starting its working day then is no newcomer', () => {
    const linker = new CampaignLinker({}, SHAPE);
    run(linker, churn(6, T0 + 13 * HOUR, 5 * MINUTE, 2 * HOUR), 25);
    expect(linker.snapshot().newcomers).toEqual([]);
    expect(linker.components()).toEqual([]);
  });

  it('drops a hand-over whose predecessor comes back, and with it the chain link', () => {
    const accounts = churn(5, AFTER_INCUMBENCY);
    const linker = new CampaignLinker({}, SHAPE);
    run(linker, accounts, 26 + 27);
    expect(linker.components()).toHaveLength(1);
    // churn0 is heard from again: it was not replaced, so churn1 no longer follows it.
    const back = [{ ...accounts[0]!, last: T0 + (26 + 28) * HOUR }];
    run(linker, back, 26 + 28, 26 + 28);
    expect(linker.components()[0]!.members).not.toContain('lab-a/churn0');
  });

  it('restores its newcomers and hand-overs from a snapshot, and a version-4 snapshot without them', () => {
    const accounts = churn(5, AFTER_INCUMBENCY);
    const linker = new CampaignLinker({}, SHAPE);
    run(linker, accounts, 26 + 16);
    const state = JSON.parse(JSON.stringify(linker.snapshot())) as CampaignLinkerState;
    expect(state.version).toBe(5);
    expect(state.handovers.length).toBeGreaterThan(0);
    const restored = CampaignLinker.restore(state, {}, SHAPE);
    run(linker, accounts, 26 + 27, 26 + 17);
    run(restored, accounts, 26 + 27, 26 + 17);
    expect(restored.snapshot()).toEqual(linker.snapshot());
    const { newcomers: _n, handovers: _h, ...v4 } = state;
    const fromV4 = CampaignLinker.restore({ ...v4, version: 4 }, {}, SHAPE);
    expect(fromV4.snapshot().handovers).toEqual([]);
  });
});

describe('ChainBook', () => {
  const settings = { minChainHandovers: 2, handoverSpanMs: 3 * HOUR, maxHandoverGapMs: 30 * MINUTE, maxShapeDistance: 1, memoryMs: 24 * HOUR };
  const shapeOf = (r: AccountFeatures) => SHAPE.map((f) => r.features[f.name] ?? 0);
  const feed = (book: ChainBook, accounts: readonly Account[], hours: number) => {
    for (let h = 1; h <= hours; h++) {
      const end = T0 + h * HOUR;
      const records = accounts.map((a) => windowOf(a, end)).filter((r): r is AccountFeatures => r !== null);
      book.observe(end, records, records.map((r) => `${r.lab}/${r.account_id}`), true, shapeOf);
    }
  };

  it('gives each predecessor one successor: of two arrivals at once the one closer in time follows it', () => {
    const book = new ChainBook(settings, SHAPE);
    const [a, b, c] = churn(3, T0 + 30 * MINUTE, 10 * MINUTE, 2 * HOUR);
    const early = { ...b!, id: 'early', first: b!.first - 5 * MINUTE, last: b!.last + 5 * MINUTE };
    feed(book, [a!, b!, early, c!], 10);
    expect(book.toRows().handovers.map(([from, to]) => [from, to])).toEqual([['lab-a/churn0', 'lab-b/early'], ['lab-b/early', 'lab-a/churn2']]);
    expect(book.chains()).toEqual([['lab-a/churn0', 'lab-b/early', 'lab-a/churn2']]);
  });

  it('forgets a newcomer, and its hand-overs, a memory after it was last active', () => {
    const book = new ChainBook(settings, SHAPE);
    feed(book, churn(3, T0 + 30 * MINUTE, 10 * MINUTE, 2 * HOUR), 40);
    expect(book.toRows()).toEqual({ newcomers: [], handovers: [] });
  });

  it('tells a new account by its whole 30-day spend falling in the window', () => {
    expect(isNew({ spend_usd_window: 2, spend_usd_30d: 2 })).toBe(true);
    expect(isNew({ spend_usd_window: 2, spend_usd_30d: 5 })).toBe(false);
    expect(isNew({ spend_usd_window: 0, spend_usd_30d: 0 })).toBe(false);
  });
});
