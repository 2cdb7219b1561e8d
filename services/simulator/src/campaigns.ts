// Distillation campaigns: actors who query a lab's models to train a copy on the answers.
// Each archetype is a different way of hiding the same goal (broad coverage with elicited
// reasoning); each differs from its benign look-alike by behaviour, not by marker strings.
import type { ActorSpec, CampaignArchetype, RequestShape } from './actor.ts';
import { pickLab, type BuildContext } from './benign.ts';
import { accountId, apiKeys, CLOUD_PREFIXES, paymentFingerprint, pickCountry, privatePrefix } from './identity.ts';
import { LAB_NAMES } from './prices.ts';
import { campaignTemplatePrompt, campaignTemplates, elicitationPrompt, mimicryItem, reasoningProblem } from './prompts.ts';
import { Random } from './random.ts';
import { Bursts, HumanSessions, SteadyStream } from './schedules.ts';
import { USER_AGENTS } from './vocabulary.ts';

/**
 * How the members of a campaign can be tied together by a detector. `behaviour`: they share
 * no identity at all (card, network, agent), only what they do (templates, complementary
 * coverage, one appearing as another vanishes).
 */
export type CampaignLink = 'payment_fingerprint' | 'network_agent' | 'templates' | 'single_account' | 'behaviour';

export interface CampaignSpec {
  campaign_id: string;
  archetype: CampaignArchetype;
  /** Scheduled start (epoch ms): no member sends before it. */
  start: number;
  link: CampaignLink;
}

export interface BuiltCampaign {
  campaign: CampaignSpec;
  actors: ActorSpec[];
}

const HOUR = 3_600_000;

/** Campaigns start between 5% and 60% into the run, so each has history before and time after. */
export function campaignStart(ctx: BuildContext, rng: Random): number {
  return Math.round(ctx.start + rng.uniform(0.05, 0.6) * (ctx.end - ctx.start));
}

export function campaignId(archetype: CampaignArchetype, i: number): string {
  return `${archetype}-${String(i + 1).padStart(2, '0')}`;
}

/**
 * What every campaign builder starts from: the campaign's id, its own seeded stream, and its
 * start (the stream's first draw, so a builder's later draws stay where they were).
 */
export function openCampaign(ctx: BuildContext, archetype: CampaignArchetype, i: number): { id: string; rng: Random; start: number } {
  const id = campaignId(archetype, i);
  const rng = Random.derive(ctx.seed, id);
  return { id, rng, start: campaignStart(ctx, rng) };
}

/**
 * A broad coverage sweep: round-the-clock requests that walk every topic systematically,
 * never revisiting, asking for step-by-step reasoning with high effort, long completions,
 * several samples and logprobs. One or two accounts at one lab, sharing the work.
 */
export function coverageSweep(ctx: BuildContext, i: number): BuiltCampaign {
  const { id, rng, start } = openCampaign(ctx, 'coverage_sweep', i);
  const lab = pickLab(rng);
  const country = pickCountry(rng);
  const members = rng.int(1, 2);
  const tier = rng.chance(0.6) ? 'reasoning' as const : 'main' as const;
  const peak = rng.uniform(120, 320);
  const samples = rng.int(1, 4);
  const card = paymentFingerprint(ctx.seed, id + '/card');
  const network = rng.chance(0.5) ? rng.pick(CLOUD_PREFIXES) : privatePrefix(ctx.seed, id + '/vps');
  const agent = rng.pick(USER_AGENTS.sdkPython);
  const salt = rng.int(0, 1_000_000);
  const actors = Array.from({ length: members }, (_, k): ActorSpec => {
    const name = `${id}/acct${k}`;
    let step = 0;
    const behaviour = (r: Random): RequestShape => ({
      prompt: elicitationPrompt(step++ * members + k, salt),
      tier,
      endpoint: 'chat',
      temperature: r.pick([0.7, 1]),
      max_tokens: r.pick([8192, 16384]),
      n: samples > 1 ? samples : undefined,
      logprobs: r.chance(0.6) ? true : undefined,
      top_logprobs: r.chance(0.4) ? 5 : undefined,
      reasoning_effort: tier === 'reasoning' ? 'high' : undefined,
      contextTokens: 0,
      outputMedian: 500,
    });
    return {
      name, archetype: 'coverage_sweep', campaignId: id, entity: id,
      identity: {
        lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1), ipPrefixes: [network],
        userAgents: [agent], paymentFingerprint: card, country: country.code,
      },
      start: start + k * rng.uniform(0, 6) * HOUR, end: ctx.end,
      schedule: new SteadyStream({ peakPerHour: peak, troughShare: rng.uniform(0.6, 0.9), utcOffset: country.utcOffset, peakHour: 12, weekendFactor: 1 }),
      behaviour,
      rateLimitShare: 0.03,
    };
  });
  return { campaign: { campaign_id: id, archetype: 'coverage_sweep', start, link: members > 1 ? 'payment_fingerprint' : 'single_account' }, actors };
}

/**
 * One operator split across two or three labs so that every account stays below $5,000 a
 * month while the whole does not. The parts are linked by one of: a shared payment card, a
 * shared network prefix + user agent, or only their shared prompt templates; coverage is
 * complementary (each account takes its own slice of the sweep).
 */
export function crossLabSplit(ctx: BuildContext, i: number): BuiltCampaign {
  const { id, rng, start } = openCampaign(ctx, 'cross_lab_split', i);
  const links = ['payment_fingerprint', 'network_agent', 'templates'] as const;
  const link = links[i % links.length]!;
  const labs = rng.sample(LAB_NAMES, rng.int(2, 3));
  if (rng.chance(0.3)) labs.push(labs[0]!);
  const templates = campaignTemplates(rng);
  const salt = rng.int(0, 1_000_000);
  const sharedCard = paymentFingerprint(ctx.seed, id + '/card');
  const sharedNetwork = privatePrefix(ctx.seed, id + '/proxy');
  const sharedAgent = rng.pick(USER_AGENTS.sdkPython);
  const country = pickCountry(rng);
  const members = labs.length;
  const actors = labs.map((lab, k): ActorSpec => {
    const name = `${id}/acct${k}`;
    const r0 = Random.derive(ctx.seed, name);
    let step = 0;
    const behaviour = (r: Random): RequestShape => ({
      prompt: campaignTemplatePrompt(templates, step++ * members + k, salt),
      tier: 'reasoning',
      endpoint: 'chat',
      temperature: 0.8,
      max_tokens: r.pick([4096, 8192]),
      n: r.chance(0.5) ? 2 : undefined,
      logprobs: r.chance(0.3) ? true : undefined,
      reasoning_effort: 'high',
      contextTokens: 0,
      outputMedian: 350,
    });
    return {
      name, archetype: 'cross_lab_split', campaignId: id, entity: id,
      identity: {
        lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1),
        ipPrefixes: [link === 'network_agent' ? sharedNetwork : privatePrefix(ctx.seed, name + '/net')],
        userAgents: [link === 'network_agent' ? sharedAgent : r0.pick(USER_AGENTS.sdkPython)],
        paymentFingerprint: link === 'payment_fingerprint' ? sharedCard : paymentFingerprint(ctx.seed, name + '/card'),
        country: link === 'templates' ? pickCountry(r0).code : country.code,
      },
      start: start + r0.uniform(0, 3) * HOUR, end: ctx.end,
      // Sized to stay under $5,000 a month per account at the lab's prices (about $2,500-
      // $3,500), while the campaign as a whole is well above it.
      schedule: new SteadyStream({ peakPerHour: r0.uniform(45, 75), troughShare: 0.6, utcOffset: country.utcOffset, peakHour: 12, weekendFactor: 1 }),
      behaviour,
      rateLimitShare: 0.01,
    };
  });
  return { campaign: { campaign_id: id, archetype: 'cross_lab_split', start, link }, actors };
}

/**
 * A swarm: many small accounts opened within an hour of each other, each far below any spend
 * line, all running the same templates from the same few network prefixes with the same
 * client, each taking a slice of one coverage sweep. Payment cards differ (prepaid).
 */
export function accountSwarm(ctx: BuildContext, i: number, size: number): BuiltCampaign {
  const { id, rng, start } = openCampaign(ctx, 'account_swarm', i);
  const lab = pickLab(rng);
  const country = pickCountry(rng);
  const templates = campaignTemplates(rng);
  const prefixes = Array.from({ length: rng.int(1, 3) }, (_, p) => privatePrefix(ctx.seed, `${id}/pool${p}`));
  const agent = rng.pick([...USER_AGENTS.sdkPython, ...USER_AGENTS.sdkNode]);
  const salt = rng.int(0, 1_000_000);
  const actors = Array.from({ length: size }, (_, k): ActorSpec => {
    const name = `${id}/acct${k}`;
    const r0 = Random.derive(ctx.seed, name);
    let step = 0;
    const behaviour = (r: Random): RequestShape => {
      const reasoning = r.chance(0.5);
      return {
        prompt: campaignTemplatePrompt(templates, step++ * size + k, salt),
        tier: reasoning ? 'reasoning' : 'main',
        endpoint: 'chat',
        temperature: 0.7,
        max_tokens: 4096,
        logprobs: r.chance(0.1) ? true : undefined,
        reasoning_effort: reasoning ? 'medium' : undefined,
        contextTokens: 0,
        outputMedian: 700,
      };
    };
    return {
      name, archetype: 'account_swarm', campaignId: id, entity: id,
      identity: {
        lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1),
        ipPrefixes: [prefixes[k % prefixes.length]!], userAgents: [agent],
        paymentFingerprint: paymentFingerprint(ctx.seed, name + '/prepaid'), country: country.code,
      },
      start: start + r0.uniform(0, 1) * HOUR, end: ctx.end,
      schedule: new SteadyStream({ peakPerHour: r0.uniform(8, 20), troughShare: 0.7, utcOffset: country.utcOffset, peakHour: 12, weekendFactor: 1 }),
      behaviour,
      rateLimitShare: 0.005,
    };
  });
  return { campaign: { campaign_id: id, archetype: 'account_swarm', start, link: 'network_agent' }, actors };
}

/**
 * Slow and low: reasoning-trace extraction on math and code at a human pace and rhythm
 * (sessions in waking hours, quieter nights), every request a fresh self-contained problem at
 * high reasoning effort. One to three accounts on one home network.
 */
export function slowAndLow(ctx: BuildContext, i: number): BuiltCampaign {
  const { id, rng, start } = openCampaign(ctx, 'slow_and_low', i);
  const country = pickCountry(rng);
  const members = rng.int(1, 3);
  const network = privatePrefix(ctx.seed, id + '/home');
  const agent = rng.pick(USER_AGENTS.sdkPython);
  const actors = Array.from({ length: members }, (_, k): ActorSpec => {
    const name = `${id}/acct${k}`;
    const r0 = Random.derive(ctx.seed, name);
    const lab = pickLab(r0);
    const behaviour = (r: Random): RequestShape => ({
      prompt: reasoningProblem(r),
      tier: 'reasoning',
      endpoint: 'chat',
      temperature: 1,
      max_tokens: 16384,
      reasoning_effort: 'high',
      contextTokens: 0,
      outputMedian: 600,
    });
    return {
      name, archetype: 'slow_and_low', campaignId: id, entity: id,
      identity: {
        lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1), ipPrefixes: [network],
        userAgents: [agent], paymentFingerprint: paymentFingerprint(ctx.seed, name + '/card'), country: country.code,
      },
      start, end: ctx.end,
      schedule: new HumanSessions({
        utcOffset: country.utcOffset, wakeHour: r0.uniform(7, 9), activeHours: r0.uniform(14, 17),
        sessionsPerDay: r0.uniform(4, 8), requestsPerSession: r0.uniform(8, 15), gapSeconds: r0.logNormal(90, 0.3),
        weekendActivity: 0.9,
      }),
      behaviour,
      rateLimitShare: 0.003,
    };
  });
  return { campaign: { campaign_id: id, archetype: 'slow_and_low', start, link: members > 1 ? 'network_agent' : 'single_account' }, actors };
}

/**
 * What a campaign posing as an eval runner draws first, in this order: start, lab, country,
 * one or two accounts, an eval client, a cloud egress prefix, one card, the sweep's salt.
 * Its `rng` goes on to draw whatever the campaign needs next.
 */
export function evalRunnerDress(ctx: BuildContext, archetype: CampaignArchetype, i: number) {
  const { id, rng, start } = openCampaign(ctx, archetype, i);
  const lab = pickLab(rng);
  const country = pickCountry(rng);
  const members = rng.int(1, 2);
  const agent = rng.pick(USER_AGENTS.eval);
  const network = rng.pick(CLOUD_PREFIXES);
  const card = paymentFingerprint(ctx.seed, id + '/card');
  const salt = rng.int(0, 1_000_000);
  return { id, rng, start, lab, country, members, agent, network, card, salt };
}

/**
 * Eval mimicry: dressed like an eval runner (benchmark format, temperature 0, logprobs, eval
 * client, cloud egress, batch bursts), but its items never repeat, span every topic, and ask
 * for the full reasoning with long completions, with bursts far more often than nightly.
 */
export function evalMimicry(ctx: BuildContext, i: number): BuiltCampaign {
  const { id, start, lab, country, members, agent, network, card, salt } = evalRunnerDress(ctx, 'eval_mimicry', i);
  const actors = Array.from({ length: members }, (_, k): ActorSpec => {
    const name = `${id}/acct${k}`;
    const r0 = Random.derive(ctx.seed, name);
    const tier = r0.chance(0.5) ? 'reasoning' as const : 'main' as const;
    let step = 0;
    const behaviour = (r: Random): RequestShape => ({
      prompt: mimicryItem(step++ * members + k, salt),
      tier,
      reasoning_effort: tier === 'reasoning' ? 'high' : undefined,
      endpoint: r.chance(0.2) ? 'completions' : 'chat',
      temperature: 0,
      max_tokens: 4096,
      logprobs: true,
      top_logprobs: 5,
      contextTokens: 0,
      outputMedian: 700,
    });
    return {
      name, archetype: 'eval_mimicry', campaignId: id, entity: id,
      identity: {
        lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1), ipPrefixes: [network],
        userAgents: [agent], paymentFingerprint: card, country: country.code,
      },
      start, end: ctx.end,
      schedule: new Bursts({
        everyHours: r0.uniform(5, 10), jitterHours: 1, perSecond: r0.uniform(1.5, 4),
        firstAt: start + r0.uniform(0, 2) * HOUR, runSize: (_run, r) => r.logNormal(900, 0.3),
      }),
      behaviour,
      rateLimitShare: 0.02,
    };
  });
  return { campaign: { campaign_id: id, archetype: 'eval_mimicry', start, link: members > 1 ? 'payment_fingerprint' : 'single_account' }, actors };
}
