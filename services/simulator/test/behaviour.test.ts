import { describe, expect, it } from 'vitest';
import { buildPopulation, labelsOf, scenarioByName, Simulation, type AccountLabel } from '../src/index.ts';

// Two simulated days of the small scenario, grouped per account: enough for every archetype
// to show its behaviour (eval runners run their benchmarks at least twice).
const sim = new Simulation(buildPopulation(scenarioByName('small')!, { seed: 11, days: 2 }));
interface Seen { topics: Set<string>; prompts: string[]; ipAgents: Set<string>; cards: Set<string>; reasoning: number; events: number }
const seen = new Map<string, Seen>();
const ids = new Set<string>();
for (const e of sim.events()) {
  if (ids.has(`${e.lab}/${e.event_id}`)) continue; // a duplicate delivery, not a new request
  ids.add(`${e.lab}/${e.event_id}`);
  const key = `${e.lab}/${e.account_id}`;
  let s = seen.get(key);
  if (!s) {
    s = { topics: new Set(), prompts: [], ipAgents: new Set(), cards: new Set(), reasoning: 0, events: 0 };
    seen.set(key, s);
  }
  s.events++;
  if (e.topic) s.topics.add(e.topic);
  s.prompts.push(e.prompt_text ?? e.prompt_simhash ?? '');
  s.ipAgents.add(`${e.ip_prefix}|${e.user_agent}`);
  s.cards.add(e.payment_fingerprint!);
  if (e.reasoning_effort === 'high') s.reasoning++;
}
const labels = labelsOf(sim, null);
const days = (labels.end_time - labels.start_time) / 86_400_000;
const of = (archetype: string): AccountLabel[] => labels.accounts.filter((a) => a.archetype === archetype && a.events > 0);
const stats = (a: AccountLabel): Seen => seen.get(`${a.lab}/${a.account_id}`)!;
const repeatShare = (prompts: string[]): number => 1 - new Set(prompts).size / prompts.length;

describe('simulated behaviour: what separates campaigns from their look-alikes', () => {
  it('coverage sweeps walk nearly every topic without repeating a prompt; individuals mostly stay on a few', () => {
    for (const a of of('coverage_sweep').filter((x) => x.lab !== 'lab-a')) expect(stats(a).topics.size).toBeGreaterThanOrEqual(30);
    for (const a of of('coverage_sweep').filter((x) => x.lab !== 'lab-c')) expect(repeatShare(stats(a).prompts)).toBe(0);
    const individualTopics = of('individual').filter((x) => x.lab !== 'lab-a').map((a) => stats(a).topics.size).sort((x, y) => x - y);
    expect(individualTopics[Math.floor(individualTopics.length / 2)]).toBeLessThanOrEqual(6);
    expect(individualTopics.at(-1)).toBeLessThan(30);
  });

  it('eval runners are diverse but replay the same benchmark items; eval mimicry never repeats', () => {
    const replays = of('eval_runner').map((a) => repeatShare(stats(a).prompts));
    expect(Math.max(...replays)).toBeGreaterThan(0.3);
    // Texts only: near-duplicate items can share a SimHash, which is what SimHash is for.
    for (const a of of('eval_mimicry').filter((x) => x.lab !== 'lab-c')) expect(repeatShare(stats(a).prompts)).toBe(0);
  });

  it('SaaS apps are high-volume and above the $5,000-a-month pace, on a few topics', () => {
    const big = of('saas_app').filter((a) => a.spend_usd / days >= 5000 / 30);
    expect(big.length).toBeGreaterThan(0);
    for (const a of of('saas_app').filter((x) => x.lab !== 'lab-a')) expect(stats(a).topics.size).toBeLessThanOrEqual(2);
  });

  it('researchers elicit high-effort reasoning at low volume; slow-and-low campaigns do it every time', () => {
    const researchers = of('researcher');
    expect(researchers.some((a) => stats(a).reasoning > 0)).toBe(true);
    for (const a of researchers) expect(a.events / days).toBeLessThan(200);
    for (const a of of('slow_and_low')) {
      expect(stats(a).reasoning).toBe(a.events);
      expect(a.events / days).toBeLessThan(200);
    }
  });

  it('splits each cross-lab campaign into accounts below $5,000 a month at every lab, together above it', () => {
    for (const c of labels.campaigns.filter((x) => x.archetype === 'cross_lab_split')) {
      expect(c.labs.length).toBeGreaterThanOrEqual(2);
      const members = labels.accounts.filter((a) => a.campaign_id === c.campaign_id);
      for (const m of members) expect((m.spend_usd / days) * 30).toBeLessThan(5000);
      // ...while the campaign's own pace is above the line.
      const activeDays = (labels.end_time - c.first_event_time!) / 86_400_000;
      expect((c.spend_usd / activeDays) * 30).toBeGreaterThan(5000);
    }
  });

  it('builds swarms of tiny accounts on a shared network and client, each with its own card', () => {
    for (const c of labels.campaigns.filter((x) => x.archetype === 'account_swarm')) {
      const members = labels.accounts.filter((a) => a.campaign_id === c.campaign_id && a.events > 0);
      expect(members.length).toBeGreaterThanOrEqual(6);
      const agents = new Set(members.flatMap((m) => [...stats(m).ipAgents]));
      const cards = new Set(members.flatMap((m) => [...stats(m).cards]));
      expect(agents.size).toBeLessThanOrEqual(3);
      expect(cards.size).toBe(members.length);
      for (const m of members) expect((m.spend_usd / days) * 30).toBeLessThan(1000);
      const activeDays = (labels.end_time - c.first_event_time!) / 86_400_000;
      expect((c.spend_usd / activeDays) * 30).toBeGreaterThan(2000);
    }
  });

  it('gives multi-lab companies one card across labs, like a split campaign linked by payment', () => {
    const companies = new Map<string, AccountLabel[]>();
    for (const a of of('multi_lab_company')) companies.set(a.entity, [...(companies.get(a.entity) ?? []), a]);
    for (const members of companies.values()) {
      expect(new Set(members.map((m) => m.lab)).size).toBeGreaterThanOrEqual(2);
      expect(new Set(members.flatMap((m) => [...stats(m).cards])).size).toBe(1);
    }
  });
});
