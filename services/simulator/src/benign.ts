// The benign population, built so that every signal a detector might use has an innocent
// look-alike: eval runners send very diverse prompts with logprobs at temperature 0, SaaS
// apps are high-volume and above the $5,000-a-month line, researchers elicit long reasoning,
// companies share one payment card (and an office network) across labs and accounts.
// What stays different from campaigns is behaviour: benchmarks repeat, SaaS templates stay
// on a few topics, researchers stay narrow and slow, companies behave like ordinary users.
import type { ActorSpec, RequestShape } from './actor.ts';
import { accountId, apiKeys, CLOUD_PREFIXES, paymentFingerprint, pickCountry, privatePrefix } from './identity.ts';
import { LAB_NAMES } from './prices.ts';
import { benchmarkItem, casualPrompt, codingPrompt, researchPrompt, saasPrompt } from './prompts.ts';
import { Random } from './random.ts';
import { Bursts, HumanSessions, SteadyStream } from './schedules.ts';
import { REASONING_TOPICS, SAAS_PRODUCTS, TOPIC_NAMES, TOPIC_POPULARITY, USER_AGENTS } from './vocabulary.ts';

export interface BuildContext {
  seed: number;
  /** Simulation start, epoch ms. */
  start: number;
  /** Simulation end (exclusive), epoch ms. */
  end: number;
}

const HOUR = 3_600_000;
const LAB_SHARE = [0.45, 0.33, 0.22];

export function pickLab(rng: Random): string {
  return LAB_NAMES[rng.weightedIndex(LAB_SHARE)]!;
}

/** Distinct topics drawn by the population's popularity. */
export function favouriteTopics(rng: Random, count: number): string[] {
  const weights = TOPIC_POPULARITY.slice();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = rng.weightedIndex(weights);
    out.push(TOPIC_NAMES[k]!);
    weights[k] = 0;
  }
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Someone using a chat client or a small script: a few sessions a day on their favourite topics. */
export function individual(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `individual-${i}`;
  const rng = Random.derive(ctx.seed, name);
  const lab = pickLab(rng);
  const country = pickCountry(rng);
  const topics = favouriteTopics(rng, rng.int(2, 5));
  const usesBrowser = rng.chance(0.6);
  const reasoningShare = rng.chance(0.2) ? 0.3 : 0.03;
  const temperature = rng.pick([undefined, 0.7, 1]);
  const prefixes = [privatePrefix(ctx.seed, name + '/home')];
  if (rng.chance(0.3)) prefixes.push(privatePrefix(ctx.seed, name + '/mobile'));
  const behaviour = (r: Random): RequestShape => {
    const topic = r.chance(0.85) ? r.pick(topics) : TOPIC_NAMES[r.weightedIndex(TOPIC_POPULARITY)]!;
    const reasoning = r.chance(reasoningShare);
    return {
      prompt: casualPrompt(r, topic),
      tier: reasoning ? 'reasoning' : r.chance(0.4) ? 'mini' : 'main',
      endpoint: 'chat',
      temperature,
      reasoning_effort: reasoning ? r.pick(['low', 'medium'] as const) : undefined,
      contextTokens: r.chance(0.3) ? r.logNormal(400, 1) : 0,
      outputMedian: 300,
    };
  };
  return [{
    name, archetype: 'individual', campaignId: null, entity: name,
    identity: {
      lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1), ipPrefixes: prefixes,
      userAgents: usesBrowser ? [rng.pick(USER_AGENTS.browser)] : [rng.pick(USER_AGENTS.sdkPython)],
      paymentFingerprint: paymentFingerprint(ctx.seed, name), country: country.code,
    },
    start: ctx.start + (rng.chance(0.1) ? rng.uniform(0, 0.8) * (ctx.end - ctx.start) : 0),
    end: ctx.end,
    schedule: new HumanSessions({
      utcOffset: country.utcOffset, wakeHour: rng.uniform(6, 10), activeHours: rng.uniform(12, 17),
      sessionsPerDay: clamp(rng.logNormal(1.6, 0.8), 0.2, 10), requestsPerSession: clamp(rng.logNormal(5, 0.6), 1, 30),
      gapSeconds: rng.logNormal(60, 0.5), weekendActivity: rng.uniform(0.4, 1),
    }),
    behaviour,
    rateLimitShare: 0.002,
  }];
}

/**
 * A customer-facing product built on one lab: one templated instruction over its customers'
 * records, a few topics, thousands of requests a day, following its users' day. The biggest
 * ones are legitimately above the $5,000-a-month review line.
 */
export function saasApp(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `saas-${i}`;
  const rng = Random.derive(ctx.seed, name);
  const lab = pickLab(rng);
  const country = pickCountry(rng);
  const productIndex = i % SAAS_PRODUCTS.length;
  const big = i % 3 === 0;
  // Big apps send long documents (contracts, transcripts) through the main model: their
  // spend passes $5,000 within a week. Small ones stay well below.
  const peakPerHour = big ? rng.uniform(900, 1400) : rng.uniform(100, 400);
  const documentTokens = big ? rng.uniform(18_000, 28_000) : rng.uniform(600, 2500);
  const tier = big || rng.chance(0.5) ? 'main' as const : 'mini' as const;
  const temperature = Math.round(rng.uniform(0.1, 0.8) * 10) / 10;
  const maxTokens = rng.pick([512, 1024]);
  const systemPrompt = `${name}/system`;
  let record = rng.int(10_000, 90_000);
  const behaviour = (r: Random): RequestShape => {
    record += r.int(1, 3);
    const embedding = r.chance(0.12);
    return {
      prompt: saasPrompt(r, productIndex, record),
      tier: embedding ? 'embedding' : tier,
      endpoint: embedding ? 'embeddings' : r.chance(0.08) ? 'batch' : 'chat',
      temperature: embedding ? undefined : temperature,
      max_tokens: embedding ? undefined : maxTokens,
      systemPrompt: embedding ? undefined : systemPrompt,
      contextTokens: r.logNormal(documentTokens, 0.4),
      outputMedian: 220,
    };
  };
  return [{
    name, archetype: 'saas_app', campaignId: null, entity: name,
    identity: {
      lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, rng.int(2, 4)),
      ipPrefixes: [rng.pick(CLOUD_PREFIXES), privatePrefix(ctx.seed, name + '/dc')],
      userAgents: [rng.pick(USER_AGENTS.server)],
      paymentFingerprint: paymentFingerprint(ctx.seed, name), country: country.code,
    },
    start: ctx.start, end: ctx.end,
    schedule: new SteadyStream({ peakPerHour, troughShare: rng.uniform(0.15, 0.35), utcOffset: country.utcOffset, peakHour: rng.uniform(13, 16), weekendFactor: rng.uniform(0.4, 0.8) }),
    behaviour,
    rateLimitShare: 0.01,
  }];
}

/**
 * A team that benchmarks models: nightly or ad-hoc runs of fixed benchmarks that span many
 * topics, at temperature 0 with logprobs; some benchmarks prompt chain-of-thought. Every run
 * replays the same items: diverse, but never new.
 */
export function evalRunner(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `eval-${i}`;
  const rng = Random.derive(ctx.seed, name);
  const lab = pickLab(rng);
  const country = pickCountry(rng);
  const benchmarks = Array.from({ length: rng.int(1, 3) }, (_, b) => ({
    name: `${name}/bench${b}`,
    size: rng.int(300, 2500),
    topics: rng.sample(TOPIC_NAMES, rng.int(8, TOPIC_NAMES.length)),
    chainOfThought: rng.chance(0.3),
  }));
  const tiers = rng.sample(['mini', 'main', 'reasoning'] as const, rng.int(1, 3));
  const withLogprobs = rng.chance(0.75);
  const schedule = new Bursts({
    everyHours: rng.pick([12, 24, 24, 48]), jitterHours: rng.uniform(0.2, 3), perSecond: rng.uniform(2, 8),
    firstAt: ctx.start + rng.uniform(0, 30) * HOUR,
    runSize: (run) => benchmarks[run % benchmarks.length]!.size,
  });
  const behaviour = (r: Random): RequestShape => {
    const bench = benchmarks[schedule.run % benchmarks.length]!;
    const tier = tiers[Math.floor(schedule.run / benchmarks.length) % tiers.length]!;
    const item = benchmarkItem(bench.name, schedule.position % bench.size, bench.topics);
    const cot = bench.chainOfThought;
    return {
      prompt: cot ? { text: item.text.replace('Answer with a single letter.\nAnswer:', "Let's think step by step."), topic: item.topic } : item,
      tier,
      endpoint: r.chance(0.2) ? 'completions' : 'chat',
      temperature: 0,
      max_tokens: cot ? 1024 : 5,
      logprobs: withLogprobs ? true : undefined,
      top_logprobs: withLogprobs && !cot ? 5 : undefined,
      reasoning_effort: tier === 'reasoning' ? 'medium' : undefined,
      contextTokens: cot ? 0 : r.int(0, 40),
      outputMedian: cot ? 250 : 2,
    };
  };
  return [{
    name, archetype: 'eval_runner', campaignId: null, entity: name,
    identity: {
      lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1),
      ipPrefixes: [rng.pick(CLOUD_PREFIXES)], userAgents: [rng.pick(USER_AGENTS.eval)],
      paymentFingerprint: paymentFingerprint(ctx.seed, name), country: country.code,
    },
    start: ctx.start, end: ctx.end, schedule, behaviour, rateLimitShare: 0.02,
  }];
}

/** A developer with an IDE assistant: bursts of requests with large code context on workdays. */
export function codingAssistantUser(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `coder-${i}`;
  const rng = Random.derive(ctx.seed, name);
  const lab = pickLab(rng);
  const country = pickCountry(rng);
  const contextMedian = rng.logNormal(2500, 0.5);
  const behaviour = (r: Random): RequestShape => ({
    prompt: codingPrompt(r),
    tier: r.chance(0.8) ? 'main' : 'mini',
    endpoint: 'chat',
    temperature: 0.2,
    max_tokens: 2048,
    systemPrompt: 'ide-assistant/system',
    contextTokens: r.logNormal(contextMedian, 0.7),
    outputMedian: 180,
  });
  return [{
    name, archetype: 'coding_assistant', campaignId: null, entity: name,
    identity: {
      lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1),
      ipPrefixes: [privatePrefix(ctx.seed, name + '/home'), privatePrefix(ctx.seed, name + '/office')],
      userAgents: [rng.pick(USER_AGENTS.ide)],
      paymentFingerprint: paymentFingerprint(ctx.seed, name), country: country.code,
    },
    start: ctx.start, end: ctx.end,
    schedule: new HumanSessions({
      utcOffset: country.utcOffset, wakeHour: rng.uniform(8, 11), activeHours: rng.uniform(8, 12),
      sessionsPerDay: rng.uniform(2, 5), requestsPerSession: rng.uniform(10, 35), gapSeconds: rng.logNormal(40, 0.4),
      weekendActivity: rng.uniform(0.05, 0.4),
    }),
    behaviour,
    rateLimitShare: 0.005,
  }];
}

/** A researcher: few, long prompts on one or two topics, often reasoning models at high effort. */
export function researcher(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `researcher-${i}`;
  const rng = Random.derive(ctx.seed, name);
  const lab = pickLab(rng);
  const country = pickCountry(rng);
  const topics = rng.chance(0.6) ? rng.sample(REASONING_TOPICS, rng.int(1, 2)) : favouriteTopics(rng, rng.int(1, 2));
  const samples = rng.chance(0.15);
  const behaviour = (r: Random): RequestShape => {
    const reasoning = r.chance(0.6);
    return {
      prompt: researchPrompt(r, r.pick(topics)),
      tier: reasoning ? 'reasoning' : 'main',
      endpoint: r.chance(0.5) ? 'responses' : 'chat',
      temperature: r.pick([0.7, 1]),
      max_tokens: r.pick([8192, 16384, 32768]),
      n: samples ? r.int(2, 4) : undefined,
      logprobs: r.chance(0.15) ? true : undefined,
      reasoning_effort: reasoning ? (r.chance(0.5) ? 'high' : 'medium') : undefined,
      contextTokens: r.logNormal(800, 1),
      outputMedian: 700,
    };
  };
  return [{
    name, archetype: 'researcher', campaignId: null, entity: name,
    identity: {
      lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, rng.int(1, 2)),
      ipPrefixes: [privatePrefix(ctx.seed, name + '/university')], userAgents: [rng.pick(USER_AGENTS.sdkPython)],
      paymentFingerprint: paymentFingerprint(ctx.seed, name), country: country.code,
    },
    start: ctx.start, end: ctx.end,
    schedule: new HumanSessions({
      utcOffset: country.utcOffset, wakeHour: rng.uniform(8, 11), activeHours: rng.uniform(9, 14),
      sessionsPerDay: rng.uniform(1, 3), requestsPerSession: rng.uniform(3, 8), gapSeconds: rng.logNormal(150, 0.5),
      weekendActivity: rng.uniform(0.2, 0.7),
    }),
    behaviour,
    rateLimitShare: 0.003,
  }];
}

/**
 * A company that buys from several labs (redundancy, best model per task) with one corporate
 * card, from one office network, sometimes with several team accounts at one lab. Each
 * account behaves like an internal tool on working days. Together some exceed the $5,000
 * line while every account stays under it: the innocent twin of a split campaign.
 */
export function multiLabCompany(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `company-${i}`;
  const rng = Random.derive(ctx.seed, name);
  const country = pickCountry(rng);
  const labs = rng.sample(LAB_NAMES, rng.int(2, 3));
  if (rng.chance(0.3)) labs.push(labs[0]!);
  const card = paymentFingerprint(ctx.seed, name + '/corporate-card');
  const office = privatePrefix(ctx.seed, name + '/office');
  const agent = rng.pick([...USER_AGENTS.server, ...USER_AGENTS.sdkPython]);
  const topics = favouriteTopics(rng, rng.int(2, 5));
  const big = rng.chance(0.3);
  const size = big ? rng.uniform(60, 150) : rng.uniform(5, 30);
  // Big companies run analysis jobs on reasoning models: together above $5,000 a month.
  const reasoningShare = big ? 0.35 : 0.05;
  return labs.map((lab, k): ActorSpec => {
    const member = `${name}/team${k}`;
    const r0 = Random.derive(ctx.seed, member);
    const templated = r0.chance(0.5);
    const productIndex = r0.int(0, SAAS_PRODUCTS.length - 1);
    let record = r0.int(1000, 9000);
    const behaviour = (r: Random): RequestShape => {
      record++;
      const reasoning = r.chance(reasoningShare);
      return {
        prompt: templated && r.chance(0.7) ? saasPrompt(r, productIndex, record) : casualPrompt(r, r.pick(topics)),
        tier: reasoning ? 'reasoning' : r.chance(0.7) ? 'main' : 'mini',
        endpoint: 'chat',
        temperature: 0.3,
        max_tokens: r.pick([1024, 2048]),
        systemPrompt: templated ? `${member}/system` : undefined,
        reasoning_effort: reasoning ? 'medium' : undefined,
        contextTokens: r.logNormal(1200, 0.8),
        outputMedian: reasoning ? 700 : 260,
      };
    };
    return {
      name: member, archetype: 'multi_lab_company', campaignId: null, entity: name,
      identity: {
        lab, account_id: accountId(ctx.seed, lab, member), apiKeys: apiKeys(ctx.seed, member, r0.int(1, 3)),
        ipPrefixes: [office], userAgents: [agent], paymentFingerprint: card, country: country.code,
      },
      start: ctx.start, end: ctx.end,
      schedule: new SteadyStream({ peakPerHour: size * r0.uniform(0.5, 1.5), troughShare: 0.08, utcOffset: country.utcOffset, peakHour: 14, weekendFactor: 0.15 }),
      behaviour,
      rateLimitShare: 0.005,
    };
  });
}
