// The distillation campaigns of the held-out world: competitors harvesting a model's answers to
// train their own. Ten kinds, fifteen instances at scale 1, started at different points of the
// span with different intensity. Each instance says how its members are linked (`link`), or
// `behaviour` where nothing but how they ask ties them together.
// It must never give a campaign a tell that no real harvester would have (a marker string, an
// impossible parameter): its members must be found by what they do.
import type { Account, Activity, Identity, Session } from './account.ts';
import { HOURS } from './activity.ts';
import { apiKeys, browserAgent, cloudPrefix, drawHome, proxyPrefix, residentialPrefix, sdkAgent, toolAgent } from './identity.ts';
import type { LabName, Tier } from './labs.ts';
import { LAB_NAMES } from './labs.ts';
import { casualQuestion, harvestScript } from './prompts.ts';
import type { Random } from './random.ts';
import { DOMAINS, TOPICS, topicsOfDomain, type Topic } from './vocabulary.ts';
import { answerTokens, ask, DAY, HOUR, type World } from './world.ts';

export type Link = 'payment_fingerprint' | 'network_agent' | 'templates' | 'single_account' | 'behaviour';

export interface Campaign {
  campaignId: string;
  archetype: string;
  link: Link;
  /** When the operator starts (the first member's activity start). */
  startTime: number;
  accounts: Account[];
}

interface CampaignKind {
  archetype: string;
  instances: number;
  make: (w: World, rng: Random, campaignId: string, instance: number) => Campaign;
}

const campaignKind = (archetype: string, instances: number, make: CampaignKind['make']): CampaignKind => ({ archetype, instances, make });

/**
 * The order in which a harvest walks the capability space: every topic, then every term of it,
 * item by item. Shared by the members of one campaign, so together they cover it once.
 */
class Sweep {
  private next: number;
  private readonly topics: readonly Topic[];
  constructor(topics: readonly Topic[], offset: number) {
    this.topics = topics;
    this.next = offset;
  }
  take(): { topic: Topic; term: string; item: number } {
    const item = this.next++;
    const topic = this.topics[item % this.topics.length] as Topic;
    const term = topic.terms[Math.floor(item / this.topics.length) % topic.terms.length] as string;
    return { topic, term, item };
  }
}

interface HarvestStyle {
  tier: Tier;
  script: ReturnType<typeof harvestScript>;
  maxTokens: number;
  answer: number;
  temperature: number | undefined;
  systemPrompt: string | undefined;
  reasoning: boolean;
}

function harvestStyle(rng: Random, kind: 'rich' | 'trace' | 'eval' | 'plain', tier: Tier): HarvestStyle {
  return {
    tier,
    script: harvestScript(rng, kind),
    maxTokens: rng.pick([4_096, 8_192, 16_000]),
    answer: kind === 'trace' ? rng.uniform(2_000, 3_500) : rng.uniform(900, 1_600),
    temperature: rng.chance(0.5) ? rng.pick([0.3, 0.7, 1.0]) : undefined,
    systemPrompt: rng.chance(0.5) ? `sys-${rng.hex(8)}` : undefined,
    reasoning: tier === 'reasoning',
  };
}

function harvestSession(style: HarvestStyle, sweep: Sweep): (rng: Random) => Session {
  return () => (r) => {
    const { topic, term, item } = sweep.take();
    return ask(style.tier, 'chat', style.script(r, topic, term, item), topic, style.systemPrompt === undefined ? 0 : 120, answerTokens(r, style.answer, 0.35, style.maxTokens), {
      maxTokens: style.maxTokens,
      ...(style.temperature === undefined ? {} : { temperature: style.temperature }),
      ...(style.systemPrompt === undefined ? {} : { systemPrompt: style.systemPrompt }),
      ...(style.reasoning ? { reasoningEffort: 'high' as const } : {}),
    });
  };
}

function campaignActivity(from: number, to: number, tz: number, hourly: readonly number[], perDay: number, parts: Partial<Activity> = {}): Activity {
  return { from, to, tz, hourly, weekend: 1, perDay, volatility: 0.25, dayChance: 1, session: 150, gapMs: 2_500, ...parts };
}

function member(w: World, rng: Random, c: { campaignId: string; archetype: string; entity: string }, lab: LabName, identity: Identity, activity: Activity, session: (rng: Random) => Session): Account {
  return { lab, accountId: w.accountId(rng, lab), kind: 'campaign', archetype: c.archetype, campaignId: c.campaignId, entity: c.entity, identity, activity, session };
}

/** Start of a campaign: a fraction of the span, so a short file still sees every campaign. */
const startAt = (w: World, rng: Random, lo: number, hi: number): number => w.start + Math.floor(rng.uniform(lo, hi) * (w.end - w.start));

/** The operator behind a campaign, and when it starts (a share of the span drawn from `when`). */
function operation(w: World, campaignId: string, archetype: string, rng: Random, when: [number, number]) {
  const c = { campaignId, archetype, entity: w.entity('operator') };
  return { c, start: startAt(w, rng, when[0], when[1]) };
}

/** What most operators settle first: when to start, where they live, their script and their sweep. */
function operator(w: World, rng: Random, campaignId: string, archetype: string, when: [number, number], kind: 'rich' | 'plain', tier: Tier | readonly Tier[]) {
  const { c, start } = operation(w, campaignId, archetype, rng, when);
  const home = drawHome(rng);
  const style = harvestStyle(rng, kind, typeof tier === 'string' ? tier : rng.pick(tier));
  const sweep = new Sweep(TOPICS, rng.int(0, 500));
  return { c, start, home, style, sweep };
}

const heavySweep = campaignKind('hc_heavy_sweep', 2, (w, rng, campaignId) => {
  const { c, start } = operation(w, campaignId, 'hc_heavy_sweep', rng, [0.05, 0.6]);
  const home = drawHome(rng);
  const style = harvestStyle(rng, 'rich', rng.pick(['large', 'large', 'reasoning']));
  const lab = rng.pick(LAB_NAMES);
  const identity = { instrument: `card-${rng.hex(12)}`, ipPrefixes: [cloudPrefix(rng)], userAgents: [toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, rng.int(1, 4)) };
  const account = member(w, rng, c, lab, identity, campaignActivity(start, w.end, home.tz, HOURS.flat, rng.uniform(6_000, 12_000), { session: 400, gapMs: 1_200 }), harvestSession(style, new Sweep(TOPICS, rng.int(0, 500))));
  return { ...c, link: 'single_account', startTime: start, accounts: [account] };
});

/** One operator, one account per lab, each modest; linked by card or by network and client. */
const crossLabSplit = campaignKind('hc_cross_lab_split', 2, (w, rng, campaignId, instance) => {
  const { c, start, home, style, sweep } = operator(w, rng, campaignId, 'hc_cross_lab_split', [0, 0.5], 'rich', 'large');
  const byCard = instance === 0;
  const sharedCard = `card-${rng.hex(12)}`;
  const sharedPrefix = cloudPrefix(rng);
  const sharedAgent = `harvest-client/${rng.int(0, 3)}.${rng.int(0, 9)}`;
  const accounts = LAB_NAMES.map((lab) => member(w, rng, c, lab,
    byCard
      ? { instrument: sharedCard, ipPrefixes: [cloudPrefix(rng)], userAgents: [sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) }
      : { instrument: `card-${rng.hex(12)}`, ipPrefixes: [sharedPrefix], userAgents: [sharedAgent], country: home.country, apiKeys: apiKeys(rng, 1) },
    campaignActivity(start + rng.int(0, 3) * HOUR, w.end, home.tz, HOURS.flat, rng.uniform(700, 1_400), { session: 60, gapMs: 6_000 }),
    harvestSession(style, sweep)));
  return { ...c, link: byCard ? 'payment_fingerprint' : 'network_agent', startTime: start, accounts };
});

/** Many small accounts at one or two labs, each below any spend line; one script, or one network. */
const swarm = campaignKind('hc_swarm', 2, (w, rng, campaignId, instance) => {
  const { c, start } = operation(w, campaignId, 'hc_swarm', rng, [0.1, 0.6]);
  const home = drawHome(rng);
  const style = harvestStyle(rng, 'plain', rng.pick(['large', 'small']));
  const byTemplate = instance === 0;
  if (byTemplate) style.systemPrompt = `sys-${rng.hex(8)}`;
  const sweep = new Sweep(TOPICS, rng.int(0, 500));
  const labs = rng.sample(LAB_NAMES, rng.int(1, 2));
  const prefixes = [cloudPrefix(rng), cloudPrefix(rng), residentialPrefix(rng)];
  const agent = toolAgent(rng);
  const accounts = Array.from({ length: w.count(rng.int(25, 40)) }, () => member(w, rng, c, rng.pick(labs),
    byTemplate
      ? { instrument: `prepaid-${rng.hex(12)}`, ipPrefixes: [residentialPrefix(rng)], userAgents: [sdkAgent(rng)], country: drawHome(rng).country, apiKeys: apiKeys(rng, 1) }
      : { instrument: `prepaid-${rng.hex(12)}`, ipPrefixes: [rng.pick(prefixes)], userAgents: [agent], country: home.country, apiKeys: apiKeys(rng, 1) },
    campaignActivity(start + rng.int(0, 12) * HOUR, w.end, home.tz, rng.chance(0.5) ? HOURS.flat : HOURS.office, rng.uniform(60, 220), { session: 20, gapMs: 20_000, volatility: 0.5 }),
    harvestSession(style, sweep)));
  return { ...c, link: byTemplate ? 'templates' : 'network_agent', startTime: start, accounts };
});

/** Accounts used for a few hours each, then replaced: fresh card, fresh proxy, no shared identity. */
const churn = campaignKind('hc_churn', 2, (w, rng, campaignId) => {
  const { c, start } = operation(w, campaignId, 'hc_churn', rng, [0.05, 0.5]);
  const style = harvestStyle(rng, 'rich', 'large');
  style.systemPrompt = undefined;
  const sweep = new Sweep(TOPICS, rng.int(0, 500));
  const labs = rng.sample(LAB_NAMES, rng.int(1, 3));
  const perHour = rng.uniform(60, 160);
  const accounts: Account[] = [];
  const until = Math.min(w.end, start + Math.max(DAY, Math.floor(rng.uniform(0.4, 1) * (w.end - start))));
  for (let t = start; t < until && accounts.length < w.count(40); ) {
    const life = Math.floor(rng.uniform(2, 9) * HOUR);
    const home = drawHome(rng);
    accounts.push(member(w, rng, c, rng.pick(labs),
      { instrument: `prepaid-${rng.hex(12)}`, ipPrefixes: [proxyPrefix(rng)], userAgents: [rng.chance(0.5) ? browserAgent(rng) : sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
      campaignActivity(t, Math.min(until, t + life), home.tz, HOURS.flat, perHour * 24, { session: 40, gapMs: 15_000 }),
      harvestSession(style, sweep)));
    t += life + Math.floor(rng.uniform(0, 1.5) * HOUR);
  }
  return { ...c, link: 'behaviour', startTime: start, accounts };
});

/** Each lab sees one narrow, researcher-like slice of the space; together they cover it. */
const topicShard = campaignKind('hc_topic_shard', 1, (w, rng, campaignId) => {
  const { c, start } = operation(w, campaignId, 'hc_topic_shard', rng, [0.1, 0.4]);
  const domains = rng.sample(DOMAINS, 3);
  const accounts = LAB_NAMES.map((lab, i) => {
    const home = drawHome(rng);
    const style = harvestStyle(rng, 'trace', 'reasoning');
    return member(w, rng, c, lab,
      { instrument: `card-${rng.hex(12)}`, ipPrefixes: [residentialPrefix(rng)], userAgents: [rng.chance(0.5) ? sdkAgent(rng) : toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
      campaignActivity(start + rng.int(0, 24) * HOUR, w.end, home.tz, HOURS.office, rng.uniform(300, 600), { session: 50, gapMs: 12_000, weekend: 0.6 }),
      harvestSession(style, new Sweep(topicsOfDomain(domains[i] as string), 0)));
  });
  return { ...c, link: 'behaviour', startTime: start, accounts };
});

/** A router that resells API access: genuine end users, with a harvest stream mixed in. */
const reseller = campaignKind('hc_reseller', 1, (w, rng, campaignId) => {
  const { c, start, home, style, sweep } = operator(w, rng, campaignId, 'hc_reseller', [0, 0.3], 'rich', 'large');
  const harvestShare = rng.uniform(0.25, 0.45);
  const harvest = harvestSession(style, sweep);
  const account = member(w, rng, c, rng.pick(LAB_NAMES),
    { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [cloudPrefix(rng), cloudPrefix(rng)], userAgents: [sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 5) },
    campaignActivity(start, w.end, home.tz, HOURS.consumer, rng.uniform(2_500, 4_500), { session: 60, gapMs: 4_000 }),
    (r0) => {
      const harvesting = harvest(r0);
      return (r, at, turn) => {
        if (r.chance(harvestShare)) return harvesting(r, at, turn);
        const topic = r.pick(TOPICS);
        return ask(r.pick(['small', 'large'] as const), 'chat', casualQuestion(r, topic, turn % 3 !== 0), topic, r.int(100, 2_000), answerTokens(r, 300, 0.8), { temperature: 0.7 });
      };
    });
  return { ...c, link: 'single_account', startTime: start, accounts: [account] };
});

/** Looks like a benchmark runner (flat runs, item numbers, temperature 0) but takes long answers. */
const evalMimic = campaignKind('hc_eval_mimic', 1, (w, rng, campaignId) => {
  const { c, start } = operation(w, campaignId, 'hc_eval_mimic', rng, [0.2, 0.6]);
  const home = drawHome(rng);
  const style = harvestStyle(rng, 'eval', 'large');
  style.temperature = 0;
  const account = member(w, rng, c, rng.pick(LAB_NAMES),
    { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [cloudPrefix(rng)], userAgents: [toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
    campaignActivity(start, w.end, home.tz, HOURS.flat, rng.uniform(2_000, 3_500), { session: 500, gapMs: 1_500, dayChance: 0.8 }),
    harvestSession(style, new Sweep(TOPICS, 0)));
  return { ...c, link: 'single_account', startTime: start, accounts: [account] };
});

/** A long, quiet harvest across the whole span: office hours, a few hundred requests a day. */
const slowAndLow = campaignKind('hc_slow_low', 2, (w, rng, campaignId, instance) => {
  const { c, start, home, style, sweep } = operator(w, rng, campaignId, 'hc_slow_low', [0, 0.1], 'rich', ['large', 'reasoning']);
  const lab = rng.pick(LAB_NAMES);
  const members = instance === 0 ? 1 : 2;
  const instrument = `card-${rng.hex(12)}`;
  const accounts = Array.from({ length: members }, () => member(w, rng, c, lab,
    { instrument: members === 1 ? instrument : `card-${rng.hex(12)}`, ipPrefixes: [residentialPrefix(rng)], userAgents: [sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
    campaignActivity(start, w.end, home.tz, HOURS.office, rng.uniform(150, 400), { session: 15, gapMs: 40_000, weekend: 0.3, volatility: 0.4 }),
    harvestSession(style, sweep)));
  // The pair shares one script (and its system prompt): that is all that links them.
  if (members > 1) style.systemPrompt = `sys-${rng.hex(8)}`;
  return { ...c, link: members === 1 ? 'single_account' : 'templates', startTime: start, accounts };
});

/** Full chains of thought from the reasoning model, a few accounts on one card. */
const reasoningTrace = campaignKind('hc_reasoning_trace', 1, (w, rng, campaignId) => {
  const { c, start } = operation(w, campaignId, 'hc_reasoning_trace', rng, [0.1, 0.5]);
  const home = drawHome(rng);
  const style = harvestStyle(rng, 'trace', 'reasoning');
  const sweep = new Sweep(TOPICS.filter((t) => ['mathematics', 'science', 'computing'].includes(t.domain)), 0);
  const instrument = `card-${rng.hex(12)}`;
  const labs = rng.sample(LAB_NAMES, 2);
  const accounts = Array.from({ length: rng.int(2, 4) }, (_, i) => member(w, rng, c, labs[i % 2] as LabName,
    { instrument, ipPrefixes: [cloudPrefix(rng)], userAgents: [toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
    campaignActivity(start + i * rng.int(1, 10) * HOUR, w.end, home.tz, HOURS.flat, rng.uniform(500, 1_000), { session: 30, gapMs: 20_000 }),
    harvestSession(style, sweep)));
  return { ...c, link: 'payment_fingerprint', startTime: start, accounts };
});

/** Members that share identity only in part: some pairs a card, some a network, some nothing. */
const partialIdentity = campaignKind('hc_partial_identity', 1, (w, rng, campaignId) => {
  const { c, start, home, style, sweep } = operator(w, rng, campaignId, 'hc_partial_identity', [0.1, 0.5], 'rich', 'large');
  const cards = [`card-${rng.hex(12)}`, `card-${rng.hex(12)}`];
  const prefixes = [cloudPrefix(rng), residentialPrefix(rng)];
  const accounts = Array.from({ length: w.count(rng.int(6, 10)) }, (_, i) => {
    const share = i % 3; // 0: a shared card, 1: a shared network, 2: nothing shared
    return member(w, rng, c, rng.pick(LAB_NAMES),
      {
        instrument: share === 0 ? rng.pick(cards) : `prepaid-${rng.hex(12)}`,
        ipPrefixes: [share === 1 ? rng.pick(prefixes) : residentialPrefix(rng)],
        userAgents: [sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1),
      },
      campaignActivity(start + rng.int(0, 30) * HOUR, w.end, home.tz, HOURS.flat, rng.uniform(300, 700), { session: 30, gapMs: 10_000 }),
      harvestSession(style, sweep));
  });
  return { ...c, link: 'payment_fingerprint', startTime: start, accounts };
});

const CAMPAIGN_KINDS: readonly CampaignKind[] = [heavySweep, crossLabSplit, swarm, churn, topicShard, reseller, evalMimic, slowAndLow, reasoningTrace, partialIdentity];

export function buildCampaigns(w: World, rng: Random): Campaign[] {
  const campaigns: Campaign[] = [];
  for (const kind of CAMPAIGN_KINDS) {
    for (let i = 0; i < kind.instances; i++) {
      const id = `ho-c${String(campaigns.length + 1).padStart(2, '0')}`;
      campaigns.push(kind.make(w, rng.fork(id), id, i));
    }
  }
  return campaigns;
}
