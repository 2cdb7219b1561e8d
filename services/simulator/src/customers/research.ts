// Research and evaluation customers of the wide scenarios: deep researchers, safety-evaluation
// firms and data-labelling vendors. They are the innocent owners of every facet a harvest
// shows: systematic scripts over a field's terms, temperature sweeps, n > 1, logprobs, long
// reasoning answers, probe suites that span every topic, and bulk judgements over many topics.
// What stays different is how: researchers stay inside one or two fields, evaluators replay
// the same probes run after run, labellers want short labels under one guideline.
import type { ActorSpec, RequestShape } from '../actor.ts';
import { favouriteTopics, type BuildContext } from '../benign.ts';
import { CLOUD_PREFIXES, privatePrefix } from '../identity.ts';
import { LAB_NAMES } from '../prices.ts';
import { researchPrompt } from '../prompts.ts';
import type { Random } from '../random.ts';
import { Bursts, HumanSessions, Interleaved } from '../schedules.ts';
import { REASONING_TOPICS, TOPIC_NAMES, topicByName, USER_AGENTS } from '../vocabulary.ts';
import { customerAccount, customerDraws } from './account.ts';
import { fieldStudyPrompt, labellingPrompt, PROBE_CATEGORIES, probePrompt } from './prompts.ts';

const HOUR = 3_600_000;
const TEMPERATURE_SWEEPS = [[0.7], [0, 1], [0, 0.5, 1], [0.2, 0.6, 1, 1.4], [0, 0.3, 0.7, 1, 1.3]] as const;

/**
 * A researcher who studies one or two fields in depth with reasoning models: interactive
 * sessions, plus scripted batches that walk every term of a field under a few fixed angles,
 * often at several temperatures, with n > 1, logprobs and long answers.
 */
export function deepResearcher(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `deep-researcher-${i}`;
  const { rng, country } = customerDraws(ctx, name);
  const fields = rng.chance(0.7) ? rng.sample(REASONING_TOPICS, rng.int(1, 2)) : favouriteTopics(rng, rng.int(1, 2));
  const temperatures = rng.pick(TEMPERATURE_SWEEPS);
  const samples = rng.chance(0.5) ? rng.int(2, 8) : undefined;
  const logprobs = rng.chance(0.5);
  const maxTokens = rng.pick([16384, 32768]);
  const termsPerField = topicByName(fields[0]!).concepts.length * rng.int(1, 6);
  const sessions = new HumanSessions({
    utcOffset: country.utcOffset, wakeHour: rng.uniform(8, 11), activeHours: rng.uniform(9, 15),
    sessionsPerDay: rng.uniform(0.5, 3), requestsPerSession: rng.uniform(3, 10), gapSeconds: rng.logNormal(120, 0.5),
    weekendActivity: rng.uniform(0.2, 0.8),
  });
  const batches = new Bursts({
    everyHours: rng.uniform(12, 60), jitterHours: rng.uniform(1, 6), perSecond: rng.uniform(0.05, 0.4),
    firstAt: ctx.start + rng.uniform(0, 72) * HOUR,
    runSize: () => termsPerField * temperatures.length,
  });
  const schedule = new Interleaved([sessions, batches]);
  const behaviour = (r: Random): RequestShape => {
    if (schedule.source === 1) {
      const k = batches.position;
      const field = fields[batches.run % fields.length]!;
      return {
        prompt: fieldStudyPrompt(field, Math.floor(k / temperatures.length)),
        tier: 'reasoning',
        endpoint: 'chat',
        temperature: temperatures[k % temperatures.length],
        max_tokens: maxTokens,
        n: samples,
        logprobs: logprobs ? true : undefined,
        top_logprobs: logprobs ? 5 : undefined,
        reasoning_effort: 'high',
        contextTokens: r.logNormal(300, 0.5),
        outputMedian: 900,
      };
    }
    const reasoning = r.chance(0.7);
    return {
      prompt: researchPrompt(r, r.pick(fields)),
      tier: reasoning ? 'reasoning' : 'main',
      endpoint: r.chance(0.5) ? 'responses' : 'chat',
      temperature: r.pick(temperatures),
      max_tokens: maxTokens,
      n: samples !== undefined && r.chance(0.3) ? samples : undefined,
      logprobs: logprobs && r.chance(0.3) ? true : undefined,
      reasoning_effort: reasoning ? r.pick(['medium', 'high'] as const) : undefined,
      contextTokens: r.logNormal(1500, 1),
      outputMedian: 900,
    };
  };
  return [customerAccount(ctx, name, 'deep_researcher', rng, country,
    { keys: rng.int(1, 2), ipPrefixes: [privatePrefix(ctx.seed, name + '/university')], userAgents: [rng.pick(USER_AGENTS.sdkPython)] },
    schedule, behaviour, 0.01)];
}

/**
 * A safety-evaluation firm: runs its probe suite (several categories, each crossed with every
 * topic) against the models of two or three labs, one account per lab on one corporate card.
 * Each run replays the same probes, with another model tier or temperature.
 */
export function safetyEvalFirm(ctx: BuildContext, i: number): ActorSpec[] {
  const firm = `safety-eval-${i}`;
  const { rng, country } = customerDraws(ctx, firm);
  const labs = rng.sample(LAB_NAMES, rng.int(1, 3));
  const categories = rng.sample(PROBE_CATEGORIES.map((_, k) => k), rng.int(4, PROBE_CATEGORIES.length));
  const itemsPerCategory = rng.int(40, 200);
  const network = rng.chance(0.5) ? rng.pick(CLOUD_PREFIXES) : privatePrefix(ctx.seed, firm + '/office');
  const agent = rng.pick(USER_AGENTS.eval);
  return labs.map((lab, k) => {
    const name = `${firm}/lab${k}`;
    const { rng: r0 } = customerDraws(ctx, name);
    const withReasoning = r0.chance(0.5);
    const samples = r0.chance(0.3) ? r0.int(3, 5) : undefined;
    const logprobs = r0.chance(0.5);
    const harnessTokens = r0.logNormal(300, 0.6);
    const runs = new Bursts({
      everyHours: r0.uniform(12, 30), jitterHours: r0.uniform(0.5, 4), perSecond: r0.uniform(1, 5),
      firstAt: ctx.start + r0.uniform(0, 12) * HOUR,
      runSize: () => categories.length * itemsPerCategory,
    });
    const behaviour = (r: Random): RequestShape => {
      const category = categories[runs.position % categories.length]!;
      const item = Math.floor(runs.position / categories.length);
      const tier = (['main', 'reasoning', 'mini'] as const)[runs.run % 3]!;
      return {
        prompt: probePrompt(category, item, withReasoning),
        tier,
        endpoint: 'chat',
        temperature: runs.run % 2 === 0 ? 0 : 0.7,
        max_tokens: withReasoning ? 4096 : 1024,
        n: samples,
        logprobs: logprobs ? true : undefined,
        top_logprobs: logprobs ? 5 : undefined,
        reasoning_effort: tier === 'reasoning' ? 'medium' : undefined,
        systemPrompt: r.chance(0.5) ? `${firm}/judge-harness` : undefined,
        contextTokens: r.logNormal(harnessTokens, 0.4),
        outputMedian: withReasoning ? 450 : 200,
      };
    };
    return customerAccount(ctx, name, 'safety_eval_firm', r0, country,
      { lab, keys: 1, ipPrefixes: [network], userAgents: [agent], cardOwner: firm + '/corporate-card', entity: firm },
      runs, behaviour, 0.03);
  });
}

/**
 * A data-labelling vendor: batches of annotation items over many topics under one of a few
 * guidelines, at temperature 0 with logprobs (for confidence), some with n > 1 (majority
 * vote), answers a label and at most a one-sentence rationale.
 */
export function labellingVendor(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `labelling-${i}`;
  const { rng, country } = customerDraws(ctx, name);
  const guidelines = rng.int(1, 4);
  const topics = rng.sample(TOPIC_NAMES, rng.int(6, TOPIC_NAMES.length));
  const vote = rng.chance(0.4) ? rng.int(3, 5) : undefined;
  const rationaleShare = rng.uniform(0, 0.6);
  const tier = rng.pick(['mini', 'main'] as const);
  const runs = new Bursts({
    everyHours: rng.uniform(6, 24), jitterHours: rng.uniform(0.5, 3), perSecond: rng.uniform(2, 10),
    firstAt: ctx.start + rng.uniform(0, 24) * HOUR,
    runSize: (_run, r) => r.logNormal(700, 0.5),
  });
  const behaviour = (r: Random): RequestShape => {
    const rationale = r.chance(rationaleShare);
    return {
      prompt: labellingPrompt(r, runs.run % guidelines, r.pick(topics), rationale),
      tier,
      endpoint: r.chance(0.3) ? 'batch' : 'chat',
      temperature: 0,
      max_tokens: rationale ? 256 : 16,
      n: vote,
      logprobs: true,
      top_logprobs: 5,
      systemPrompt: `${name}/guideline${runs.run % guidelines}`,
      contextTokens: r.logNormal(400, 0.5),
      outputMedian: rationale ? 60 : 4,
    };
  };
  return [customerAccount(ctx, name, 'labelling_vendor', rng, country,
    { keys: rng.int(1, 4), ipPrefixes: [rng.pick(CLOUD_PREFIXES)], userAgents: [rng.pick(USER_AGENTS.sdkPython)] },
    runs, behaviour, 0.02)];
}
