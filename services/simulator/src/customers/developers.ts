// Developer customers of the wide scenarios: coding agents, platforms that host other
// people's agents, and small startups whose products sit behind a big cloud's shared egress.
// Their look-alike signals: huge contexts, long outputs, bursts of machine-paced turns,
// round-the-clock traffic over many topics, network prefixes shared with strangers.
import type { ActorSpec, RequestShape } from '../actor.ts';
import { favouriteTopics, type BuildContext } from '../benign.ts';
import { CLOUD_PREFIXES, privatePrefix } from '../identity.ts';
import { casualPrompt, saasPrompt } from '../prompts.ts';
import type { Random } from '../random.ts';
import { HumanSessions, SteadyStream } from '../schedules.ts';
import { SAAS_PRODUCTS, TOPIC_NAMES, TOPIC_POPULARITY, USER_AGENTS } from '../vocabulary.ts';
import { customerAccount, customerDraws } from './account.ts';
import { agentTurn } from './prompts.ts';

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * An autonomous coding agent driven by one developer: sessions of tens to hundreds of tool
 * turns a few seconds apart, each carrying the repository context (tens of thousands of
 * tokens), with long outputs; some run background agents late into the night.
 */
export function codingAgent(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `coding-agent-${i}`;
  const { rng, country } = customerDraws(ctx, name);
  const background = rng.chance(0.2);
  const contextMedian = clamp(rng.logNormal(40_000, 0.6), 8_000, 150_000);
  const outputMedian = rng.uniform(400, 1500);
  const toolShare = rng.uniform(0.5, 0.85);
  const reasoningShare = rng.chance(0.5) ? rng.uniform(0.1, 0.6) : 0;
  const maxTokens = rng.pick([8192, 16384, 32000]);
  const temperature = rng.pick([undefined, 0, 0.2]);
  const behaviour = (r: Random): RequestShape => {
    const reasoning = r.chance(reasoningShare);
    return {
      prompt: agentTurn(r, r.chance(toolShare)),
      tier: reasoning ? 'reasoning' : r.chance(0.85) ? 'main' : 'mini',
      endpoint: r.chance(0.6) ? 'responses' : 'chat',
      temperature,
      max_tokens: maxTokens,
      reasoning_effort: reasoning ? r.pick(['medium', 'high'] as const) : undefined,
      systemPrompt: `${name}/agent-system`,
      contextTokens: r.logNormal(contextMedian, 0.5),
      outputMedian,
    };
  };
  const prefixes = [privatePrefix(ctx.seed, name + '/home')];
  if (rng.chance(0.4)) prefixes.push(rng.pick(CLOUD_PREFIXES)); // CI runners
  return [customerAccount(ctx, name, 'coding_agent', rng, country,
    { keys: rng.int(1, 3), ipPrefixes: prefixes, userAgents: [rng.pick(USER_AGENTS.agent)] },
    new HumanSessions({
      utcOffset: country.utcOffset, wakeHour: rng.uniform(7, 11), activeHours: background ? rng.uniform(18, 23) : rng.uniform(8, 13),
      sessionsPerDay: rng.uniform(1, 4), requestsPerSession: clamp(rng.logNormal(60, 0.7), 15, 300), gapSeconds: rng.uniform(3, 15),
      weekendActivity: rng.uniform(0.05, 0.6),
    }),
    behaviour, 0.02)];
}

/**
 * A platform that runs agents for its own customers: one account, many keys, round-the-clock
 * traffic over whatever topics its users bring, tool turns with sizeable context, every tier.
 */
export function agentPlatform(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `agent-platform-${i}`;
  const { rng, country } = customerDraws(ctx, name);
  const contextMedian = rng.logNormal(6000, 0.6);
  const reasoningShare = rng.uniform(0.05, 0.35);
  const behaviour = (r: Random): RequestShape => {
    const reasoning = r.chance(reasoningShare);
    const tool = r.chance(0.5);
    return {
      prompt: tool ? agentTurn(r, true) : casualPrompt(r, TOPIC_NAMES[r.weightedIndex(TOPIC_POPULARITY)]!),
      tier: reasoning ? 'reasoning' : r.chance(0.6) ? 'main' : 'mini',
      endpoint: r.chance(0.5) ? 'responses' : 'chat',
      temperature: r.pick([0, 0.3, 0.7, 1]),
      max_tokens: r.pick([1024, 4096, 8192]),
      reasoning_effort: reasoning ? r.pick(['low', 'medium', 'high'] as const) : undefined,
      systemPrompt: `${name}/tenant${r.int(0, 40)}`,
      contextTokens: r.logNormal(contextMedian, 0.9),
      outputMedian: 350,
    };
  };
  return [customerAccount(ctx, name, 'agent_platform', rng, country,
    { keys: rng.int(5, 20), ipPrefixes: [rng.pick(CLOUD_PREFIXES), privatePrefix(ctx.seed, name + '/dc')], userAgents: [rng.pick(USER_AGENTS.server), rng.pick(USER_AGENTS.sdkNode)] },
    new SteadyStream({ peakPerHour: rng.logNormal(80, 0.5), troughShare: rng.uniform(0.3, 0.7), utcOffset: country.utcOffset, peakHour: rng.uniform(12, 17), weekendFactor: rng.uniform(0.5, 0.9) }),
    behaviour, 0.02)];
}

/**
 * A small startup whose product calls the API from a big cloud: its network prefix is the
 * cloud's shared egress (shared with hundreds of strangers), its traffic a product template or
 * casual questions on a few topics, at a few to tens of requests an hour.
 */
export function cloudStartup(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `startup-${i}`;
  const { rng, country } = customerDraws(ctx, name);
  const templated = rng.chance(0.6);
  const productIndex = rng.int(0, SAAS_PRODUCTS.length - 1);
  const topics = favouriteTopics(rng, rng.int(1, 3));
  const tier = rng.pick(['mini', 'main'] as const);
  let record = rng.int(1, 50_000);
  const behaviour = (r: Random): RequestShape => ({
    prompt: templated ? saasPrompt(r, productIndex, record++) : casualPrompt(r, r.pick(topics)),
    tier,
    endpoint: 'chat',
    temperature: 0.5,
    max_tokens: 1024,
    systemPrompt: templated ? `${name}/system` : undefined,
    contextTokens: r.logNormal(900, 0.8),
    outputMedian: 240,
  });
  return [customerAccount(ctx, name, 'cloud_startup', rng, country,
    { keys: rng.int(1, 2), ipPrefixes: [rng.pick(CLOUD_PREFIXES)], userAgents: [rng.pick([...USER_AGENTS.sdkNode, ...USER_AGENTS.sdkPython, ...USER_AGENTS.server])] },
    new SteadyStream({ peakPerHour: clamp(rng.logNormal(4, 0.8), 0.5, 30), troughShare: rng.uniform(0.1, 0.5), utcOffset: country.utcOffset, peakHour: rng.uniform(11, 17), weekendFactor: rng.uniform(0.3, 1) }),
    behaviour, 0.005)];
}
