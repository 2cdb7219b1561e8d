import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildPopulation, labelsOf, Random, scenarioByName, Simulation, WIDE_BENIGN_ARCHETYPES, type AccountLabel } from '../src/index.ts';

// The wide-small scenario (two days), grouped per account: every kind of the wider customer
// base and every new campaign kind shows its defining behaviour.
const sim = new Simulation(buildPopulation(scenarioByName('wide-small')!, { seed: 5 }));
interface Seen {
  topics: Set<string>; texts: string[]; prefixes: Set<string>; agents: Set<string>; cards: Set<string>; keys: Set<string>;
  times: number[]; input: number[]; output: number[]; temperatures: Set<number | undefined>; hours: Set<number>;
  highEffort: number; n: number; logprobs: number; embeddings: number; batch: number; events: number;
}
const seen = new Map<string, Seen>();
const ids = new Set<string>();
for (const e of sim.events()) {
  if (ids.has(`${e.lab}/${e.event_id}`)) continue;
  ids.add(`${e.lab}/${e.event_id}`);
  const key = `${e.lab}/${e.account_id}`;
  let s = seen.get(key);
  if (!s) {
    s = {
      topics: new Set(), texts: [], prefixes: new Set(), agents: new Set(), cards: new Set(), keys: new Set(), times: [], input: [], output: [],
      temperatures: new Set(), hours: new Set(), highEffort: 0, n: 0, logprobs: 0, embeddings: 0, batch: 0, events: 0,
    };
    seen.set(key, s);
  }
  const time = typeof e.event_time === 'number' ? e.event_time : Date.parse(e.event_time);
  s.events++;
  if (e.topic) s.topics.add(e.topic);
  if (e.prompt_text) s.texts.push(e.prompt_text);
  s.prefixes.add(e.ip_prefix!);
  s.agents.add(e.user_agent!);
  s.cards.add(e.payment_fingerprint!);
  s.keys.add(e.api_key_id!);
  s.times.push(time);
  s.hours.add(new Date(time).getUTCHours());
  s.input.push(e.input_tokens);
  if (e.status === 200 && e.endpoint !== 'embeddings') s.output.push(e.output_tokens);
  s.temperatures.add(e.temperature ?? undefined);
  if (e.reasoning_effort === 'high') s.highEffort++;
  if ((e.n ?? 1) > 1) s.n++;
  if (e.logprobs) s.logprobs++;
  if (e.endpoint === 'embeddings') s.embeddings++;
  if (e.endpoint === 'batch') s.batch++;
}
const labels = labelsOf(sim, null);
const of = (archetype: string): AccountLabel[] => labels.accounts.filter((a) => a.archetype === archetype && a.events > 0);
const stats = (a: AccountLabel): Seen => seen.get(`${a.lab}/${a.account_id}`)!;
const withTopics = (accounts: AccountLabel[]): AccountLabel[] => accounts.filter((a) => a.lab !== 'lab-a');
const withText = (accounts: AccountLabel[]): AccountLabel[] => accounts.filter((a) => a.lab !== 'lab-c');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const repeatShare = (texts: string[]): number => 1 - new Set(texts).size / texts.length;
const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);
const members = (campaignId: string): AccountLabel[] => labels.accounts.filter((a) => a.campaign_id === campaignId && a.events > 0);

describe('wide scenarios: the population', () => {
  it('holds at least twelve benign kinds, each with accounts that sent events', () => {
    const kinds = new Set(labels.accounts.filter((a) => a.kind === 'benign' && a.events > 0).map((a) => a.archetype));
    expect(kinds.size).toBeGreaterThanOrEqual(18);
    for (const kind of WIDE_BENIGN_ARCHETYPES) expect(kinds.has(kind), kind).toBe(true);
  });

  it('draws each kind\'s accounts from distributions: no kind is a point mass', () => {
    for (const kind of WIDE_BENIGN_ARCHETYPES) {
      const accounts = of(kind);
      if (accounts.length < 3) continue;
      const volume = accounts.map((a) => a.events);
      const size = accounts.map((a) => mean(stats(a).input));
      expect(Math.max(...volume) / Math.min(...volume), kind).toBeGreaterThan(1.3);
      expect(Math.max(...size) / Math.min(...size), kind).toBeGreaterThan(1.1);
    }
  });

  it('sizes the wide scenario as the brief asks: ~3,500-4,000 accounts, 16-24 campaigns', () => {
    const pop = buildPopulation(scenarioByName('wide')!, { seed: 1 });
    expect(pop.actors.length).toBeGreaterThanOrEqual(3500);
    expect(pop.actors.length).toBeLessThanOrEqual(4000);
    expect(pop.campaigns.length).toBeGreaterThanOrEqual(16);
    expect(pop.campaigns.length).toBeLessThanOrEqual(24);
  });

  it('generates wide-small deterministically', () => {
    const run = (): string => {
      const hash = createHash('sha256');
      const again = new Simulation(buildPopulation(scenarioByName('wide-small')!, { seed: 5, days: 0.25 }));
      for (const e of again.events()) hash.update(JSON.stringify(e) + '\n');
      return hash.update(JSON.stringify(labelsOf(again, null))).digest('hex');
    };
    expect(run()).toBe(run());
  }, 60_000);
});

describe('wide scenarios: each benign kind shows its defining behaviour', () => {
  it('coding agents: very long contexts, bursts of tool turns seconds apart, long outputs', () => {
    for (const a of of('coding_agent')) {
      const s = stats(a);
      expect(median(s.input), a.account_id).toBeGreaterThan(5000);
      expect(median(gaps(s.times))).toBeLessThan(30_000);
    }
    expect(median(of('coding_agent').map((a) => mean(stats(a).output)))).toBeGreaterThan(300);
  });

  it('deep researchers: one or two fields, reasoning at high effort, temperature sweeps, n > 1, logprobs', () => {
    const researchers = of('deep_researcher');
    for (const a of withTopics(researchers)) expect(stats(a).topics.size).toBeLessThanOrEqual(2);
    expect(researchers.filter((a) => stats(a).highEffort > 0).length).toBeGreaterThan(researchers.length / 2);
    expect(researchers.some((a) => stats(a).temperatures.size >= 3)).toBe(true);
    expect(researchers.some((a) => stats(a).n > 0)).toBe(true);
    expect(researchers.some((a) => stats(a).logprobs > 0)).toBe(true);
  });

  it('safety-evaluation firms: probes span most topics and replay run after run, one card across labs', () => {
    for (const a of withTopics(of('safety_eval_firm'))) expect(stats(a).topics.size).toBeGreaterThanOrEqual(25);
    for (const a of withText(of('safety_eval_firm'))) expect(repeatShare(stats(a).texts)).toBeGreaterThan(0.3);
    const firms = new Map<string, AccountLabel[]>();
    for (const a of of('safety_eval_firm')) firms.set(a.entity, [...(firms.get(a.entity) ?? []), a]);
    for (const accounts of firms.values()) expect(new Set(accounts.flatMap((a) => [...stats(a).cards])).size).toBe(1);
  });

  it('enterprise RAG: long retrieved contexts, embedding calls, a few topics', () => {
    for (const a of of('enterprise_rag')) {
      expect(median(stats(a).input)).toBeGreaterThan(1500);
      expect(stats(a).embeddings).toBeGreaterThan(0);
    }
    for (const a of withTopics(of('enterprise_rag'))) expect(stats(a).topics.size).toBeLessThanOrEqual(4);
  });

  it('translation services and labelling vendors cover many topics under one instruction', () => {
    for (const a of withTopics(of('translation_service'))) expect(stats(a).topics.size).toBeGreaterThanOrEqual(10);
    for (const a of withText(of('translation_service'))) expect(stats(a).texts.every((t) => t.startsWith('Translate into'))).toBe(true);
    for (const a of withTopics(of('labelling_vendor'))) expect(stats(a).topics.size).toBeGreaterThanOrEqual(6);
    for (const a of of('labelling_vendor')) {
      expect(stats(a).logprobs).toBe(a.events);
      expect([...stats(a).temperatures]).toEqual([0]);
      expect(mean(stats(a).output)).toBeLessThan(120);
    }
  });

  it('batch pipelines: machine-paced runs, mostly the batch endpoint, short outputs', () => {
    for (const a of of('batch_pipeline')) {
      const s = stats(a);
      expect(median(gaps(s.times))).toBeLessThan(2000);
      expect(s.batch + s.embeddings).toBeGreaterThan(s.events * 0.3);
      expect(mean(s.output)).toBeLessThan(150);
    }
  });

  it('tutoring apps ask step by step across school subjects; support bots stay on their product', () => {
    for (const a of withText(of('tutoring_app'))) {
      const texts = stats(a).texts;
      expect(texts.filter((t) => /step/.test(t)).length).toBeGreaterThan(texts.length * 0.2);
    }
    for (const a of withTopics(of('tutoring_app'))) expect(stats(a).topics.size).toBeGreaterThanOrEqual(3);
    for (const a of withTopics(of('support_bot'))) expect(stats(a).topics.size).toBeLessThanOrEqual(2);
  });

  it('content studios write long copy; agent platforms run round the clock over many topics with many keys', () => {
    expect(median(of('content_studio').map((a) => mean(stats(a).output)))).toBeGreaterThan(600);
    for (const a of of('agent_platform')) {
      expect(stats(a).keys.size).toBeGreaterThanOrEqual(5);
      expect(stats(a).hours.size).toBe(24);
    }
    for (const a of withTopics(of('agent_platform'))) expect(stats(a).topics.size).toBeGreaterThanOrEqual(15);
  });

  it('cloud startups share the cloud\'s egress prefixes with many strangers', () => {
    const byPrefix = new Map<string, number>();
    for (const a of of('cloud_startup')) for (const p of stats(a).prefixes) byPrefix.set(p, (byPrefix.get(p) ?? 0) + 1);
    expect(byPrefix.size).toBeLessThanOrEqual(3);
    for (const count of byPrefix.values()) expect(count).toBeGreaterThanOrEqual(5);
  });
});

describe('wide scenarios: campaigns that share no identity or hide in genuine traffic', () => {
  it('churn: members share no card, network or key, and each appears as the previous one vanishes', () => {
    const churns = labels.campaigns.filter((c) => c.archetype === 'churn');
    expect(churns.length).toBeGreaterThan(0);
    for (const c of churns) {
      expect(c.link).toBe('behaviour');
      const accounts = members(c.campaign_id).sort((a, b) => a.first_event_time! - b.first_event_time!);
      expect(accounts.length).toBeGreaterThanOrEqual(3);
      for (const identity of ['cards', 'prefixes', 'keys'] as const) {
        const all = accounts.flatMap((a) => [...stats(a)[identity]]);
        expect(new Set(all).size, identity).toBe(all.length);
      }
      for (let k = 1; k < accounts.length; k++) {
        const handover = accounts[k]!.first_event_time! - accounts[k - 1]!.last_event_time!;
        expect(handover).toBeGreaterThan(-10 * 60_000);
        expect(handover).toBeLessThan(60 * 60_000);
      }
      // Members never repeat each other's prompts: one sweep, complementary coverage.
      const texts = withText(accounts).flatMap((a) => stats(a).texts);
      expect(repeatShare(texts)).toBe(0);
    }
  });

  it('topic-sharded: each member keeps a narrow slice of fields, disjoint from the others', () => {
    const pop = buildPopulation(scenarioByName('wide-small')!, { seed: 5 });
    const sharded = pop.campaigns.filter((c) => c.archetype === 'topic_sharded');
    expect(sharded.length).toBeGreaterThan(0);
    for (const c of sharded) {
      expect(c.link).toBe('behaviour');
      const actors = pop.actors.filter((a) => a.campaignId === c.campaign_id);
      expect(new Set(actors.map((a) => a.identity.paymentFingerprint)).size).toBe(actors.length);
      const slices = actors.map((a) => {
        const r = new Random(`test/${a.name}`);
        const topics = new Set<string>();
        for (let k = 0; k < 200; k++) topics.add(a.behaviour(r, c.start).prompt.topic);
        return topics;
      });
      for (const s of slices) expect(s.size).toBeLessThanOrEqual(4);
      const all = slices.flatMap((s) => [...s]);
      expect(new Set(all).size).toBe(all.length);
    }
  });

  it('resellers: a harvest share mixed into genuine end-user traffic on a few accounts', () => {
    for (const a of of('reseller')) {
      const s = stats(a);
      expect(s.highEffort / s.events).toBeGreaterThan(0.03);
      expect(s.highEffort / s.events).toBeLessThan(0.6);
    }
    for (const a of withTopics(of('reseller'))) expect(stats(a).topics.size).toBeGreaterThanOrEqual(20);
  });

  it('eval-runner mimicry: temperature 0 and logprobs, partly replayed benchmark, partly fresh items', () => {
    for (const a of of('eval_runner_mimicry')) {
      expect([...stats(a).temperatures]).toEqual([0]);
      expect(stats(a).logprobs).toBe(a.events);
    }
    for (const a of withText(of('eval_runner_mimicry'))) {
      expect(repeatShare(stats(a).texts)).toBeGreaterThan(0.05);
      expect(repeatShare(stats(a).texts)).toBeLessThan(0.7);
    }
  });
});
