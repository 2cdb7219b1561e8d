import { describe, expect, it } from 'vitest';
import type { AccountLabel } from '../src/index.ts';
import { eventTime } from './contract.ts';
import { sample } from './sample.ts';

const { output, events } = sample();
const labels = output.labels;
const key = (lab: unknown, id: unknown): string => `${String(lab)}/${String(id)}`;

// Valid events without retries, grouped by account.
const byAccount = new Map<string, Record<string, unknown>[]>();
{
  const seen = new Set<string>();
  for (const e of events) {
    const id = key(e['lab'], e['event_id']);
    if (seen.has(id)) continue;
    seen.add(id);
    const k = key(e['lab'], e['account_id']);
    const list = byAccount.get(k);
    if (list === undefined) byAccount.set(k, [e]);
    else list.push(e);
  }
}
const eventsOf = (a: { lab: string; account_id: string }): Record<string, unknown>[] => byAccount.get(key(a.lab, a.account_id)) ?? [];
const ofArchetype = (archetype: string): AccountLabel[] => labels.accounts.filter((a) => a.archetype === archetype);
const campaignsOf = (archetype: string) => labels.campaigns.filter((c) => c.archetype === archetype);

describe('held-out labels agree with the events', { timeout: 120_000 }, () => {
  it('counts every account\'s events, spend and first and last event time', () => {
    expect(labels.accounts.length).toBe(byAccount.size);
    for (const a of labels.accounts) {
      const es = eventsOf(a);
      expect(a.events).toBe(es.length);
      expect(a.spend_usd).toBeCloseTo(es.reduce((s, e) => s + (e['cost_usd'] as number), 0), 2);
      const times = es.map((e) => eventTime(e['event_time']));
      expect([a.first_event_time, a.last_event_time]).toEqual([Math.min(...times), Math.max(...times)]);
    }
  });

  it('sorts accounts by lab then account id, and lists each campaign\'s members as campaign accounts of that campaign', () => {
    const keys = labels.accounts.map((a) => `${a.lab}\u0000${a.account_id}`);
    expect(keys).toEqual([...keys].sort());
    for (const c of labels.campaigns) {
      for (const m of c.accounts) {
        const a = labels.accounts.find((x) => x.lab === m.lab && x.account_id === m.account_id);
        expect(a?.kind).toBe('campaign');
        expect(a?.campaign_id).toBe(c.campaign_id);
      }
      expect(c.events).toBe(c.accounts.reduce((n, m) => n + eventsOf(m).length, 0));
      expect(c.first_event_time).toBeGreaterThanOrEqual(c.start_time);
      expect(c.labs).toEqual([...new Set(c.accounts.map((m) => m.lab))].sort());
    }
    expect(labels.accounts.filter((a) => a.kind === 'benign').every((a) => a.campaign_id === null)).toBe(true);
  });

  it('totals the file: lines, events, duplicates, accounts, campaigns', () => {
    const t = labels.totals;
    expect(t.lines).toBe(output.lines.length);
    expect(t.events).toBe([...byAccount.values()].reduce((n, es) => n + es.length, 0));
    expect(t.duplicates).toBe(events.length - t.events);
    expect(t.duplicates).toBeGreaterThan(0);
    expect(t.delayed_within_lateness).toBeGreaterThan(0);
    expect(t.delayed_beyond_lateness).toBe(0);
    expect([t.accounts, t.campaigns, t.campaign_accounts]).toEqual([labels.accounts.length, labels.campaigns.length, labels.accounts.filter((a) => a.kind === 'campaign').length]);
    expect(labels).toMatchObject({ format: 'distillwatch-labels/1', scenario: 'heldout', seed: 7, allowed_lateness_ms: 120_000, events_file: 'events.ndjson' });
  });
});

describe('held-out populations', { timeout: 120_000 }, () => {
  it('has at least twelve benign kinds and eight campaign kinds, twelve to sixteen campaigns, all prefixed', () => {
    const benign = new Set(labels.accounts.filter((a) => a.kind === 'benign').map((a) => a.archetype));
    const campaign = new Set(labels.campaigns.map((c) => c.archetype));
    expect(benign.size).toBeGreaterThanOrEqual(12);
    expect(campaign.size).toBeGreaterThanOrEqual(8);
    expect(labels.campaigns.length).toBeGreaterThanOrEqual(12);
    expect(labels.campaigns.length).toBeLessThanOrEqual(16);
    expect([...benign].every((a) => a.startsWith('ho_'))).toBe(true);
    expect([...campaign].every((a) => a.startsWith('hc_'))).toBe(true);
  });

  it('starts campaigns at different times, not all at the start', () => {
    const starts = new Set(labels.campaigns.map((c) => Math.floor((c.start_time - labels.start_time) / 3_600_000)));
    expect(starts.size).toBeGreaterThanOrEqual(8);
  });

  it('lab-b withholds prompt text and sends the SimHash; lab-a labels topics; lab-c sends no topic', () => {
    const perLab = (lab: string) => events.filter((e) => e['lab'] === lab);
    expect(perLab('lab-b').every((e) => e['prompt_text'] === undefined && typeof e['prompt_simhash'] === 'string')).toBe(true);
    expect(perLab('lab-a').every((e) => typeof e['prompt_text'] === 'string')).toBe(true);
    expect(perLab('lab-c').some((e) => e['topic'] !== undefined)).toBe(false);
    expect(perLab('lab-a').filter((e) => e['topic'] !== undefined).length / perLab('lab-a').length).toBeGreaterThan(0.85);
  });

  it('churned accounts live for hours and share no payment instrument, network or key', () => {
    for (const c of campaignsOf('hc_churn')) {
      expect(c.accounts.length).toBeGreaterThanOrEqual(3);
      const seen = new Set<string>();
      for (const m of c.accounts) {
        const es = eventsOf(m);
        const ids = new Set(es.flatMap((e) => [`pay:${e['payment_fingerprint']}`, `net:${e['ip_prefix']}`, `key:${e['api_key_id']}`]));
        for (const id of ids) {
          expect(seen.has(id), id).toBe(false);
          seen.add(id);
        }
        const a = labels.accounts.find((x) => x.account_id === m.account_id && x.lab === m.lab) as AccountLabel;
        expect(a.last_event_time - a.first_event_time).toBeLessThan(9 * 3_600_000);
      }
    }
  });

  it('links a card-sharing cross-lab split by one payment fingerprint at the two labs that share a key', () => {
    const split = campaignsOf('hc_cross_lab_split').find((c) => c.link === 'payment_fingerprint');
    expect(split?.labs).toEqual(['lab-a', 'lab-b', 'lab-c']);
    const fingerprints = (lab: string) => new Set(split?.accounts.filter((m) => m.lab === lab).flatMap((m) => eventsOf(m).map((e) => e['payment_fingerprint'])));
    expect([...fingerprints('lab-a')]).toEqual([...fingerprints('lab-b')]);
  });

  it('gives each topic shard one lab and one narrow domain', () => {
    for (const c of campaignsOf('hc_topic_shard')) expect(c.labs).toEqual(['lab-a', 'lab-b', 'lab-c']);
  });

  it('makes researchers use a reasoning model at high effort, sweep temperature, ask for several completions and logprobs', () => {
    const es = ofArchetype('ho_researcher').flatMap(eventsOf);
    expect(es.every((e) => e['reasoning_effort'] === 'high')).toBe(true);
    expect(new Set(es.map((e) => e['temperature'])).size).toBeGreaterThanOrEqual(4);
    expect(es.some((e) => (e['n'] as number) > 1)).toBe(true);
    expect(es.some((e) => e['logprobs'] === true)).toBe(true);
  });

  it('gives coding agents long contexts and long answers in bursts of turns seconds apart', () => {
    const es = ofArchetype('ho_coding_agent').flatMap(eventsOf);
    const inputs = es.map((e) => e['input_tokens'] as number).sort((a, b) => a - b);
    expect(inputs[Math.floor(inputs.length / 2)]).toBeGreaterThan(10_000);
    const gaps = ofArchetype('ho_coding_agent').flatMap((a) => {
      const ts = eventsOf(a).map((e) => eventTime(e['event_time'])).sort((x, y) => x - y);
      return ts.slice(1).map((t, i) => t - (ts[i] as number));
    }).sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(60_000);
  });

  it('makes benchmark runners repeat items with one-letter answers', () => {
    const es = ofArchetype('ho_eval_runner').flatMap(eventsOf).filter((e) => e['lab'] !== 'lab-b');
    const prompts = es.map((e) => e['prompt_text']);
    expect(new Set(prompts).size).toBeLessThan(prompts.length);
    expect(es.every((e) => (e['output_tokens'] as number) <= 5)).toBe(true);
  });

  it('varies volume widely within a kind (heavy tails)', () => {
    for (const kind of ['ho_chat_saas', 'ho_cloud_startup', 'ho_hobbyist']) {
      const volumes = ofArchetype(kind).map((a) => a.events).sort((a, b) => a - b);
      expect((volumes[volumes.length - 1] as number) / Math.max(1, volumes[Math.floor(volumes.length / 2)] as number), kind).toBeGreaterThan(3);
    }
  });

  it('puts office workloads in local working hours', () => {
    const hours = ofArchetype('ho_rag_enterprise').flatMap(eventsOf).map((e) => new Date(eventTime(e['event_time'])).getUTCHours());
    const histogram = Array.from({ length: 24 }, (_, h) => hours.filter((x) => x === h).length);
    expect(Math.max(...histogram)).toBeGreaterThan(3 * Math.min(...histogram) + 1);
  });
});
