// The benign customers of the held-out world: seventeen kinds, each written from what such
// customers do with an LLM API, with wide variation inside a kind (volume, hours, models,
// parameters). Some look systematic on purpose — researchers sweep a field, safety firms and
// benchmark runners sweep topics, labelling vendors generate data — because real benign traffic
// does. It must never borrow a campaign's behaviour wholesale, and never share identity with one.
import type { Account, Activity, Identity, Request, Session } from './account.ts';
import { HOURS } from './activity.ts';
import {
  apiKeys, browserAgent, cloudPrefix, corporatePrefix, drawHome, residentialPrefix, sdkAgent, toolAgent,
} from './identity.ts';
import type { LabName } from './labs.ts';
import { LAB_NAMES } from './labs.ts';
import {
  benchmarkItem, casualQuestion, codingTurn, documentQuestion, homework, labellingTask, marketingCopy, pipelineItem,
  researchQuestion, safetyProbe, supportTicket, translation, workflowStep,
} from './prompts.ts';
import type { Random } from './random.ts';
import { DOMAINS, TOPICS, topicsOfDomain, type Topic } from './vocabulary.ts';
import { answerTokens, ask, marketLab, type World } from './world.ts';

export interface BenignKind {
  archetype: string;
  /** Entities at scale 1 (multi-lab kinds make several accounts per entity). */
  count: number;
  make: (w: World, rng: Random) => Account[];
}

const benignKind = (archetype: string, count: number, make: BenignKind['make']): BenignKind => ({ archetype, count, make });

interface Base {
  lab: LabName;
  archetype: string;
  entity: string;
  identity: Identity;
  activity: Activity;
  session: (rng: Random) => Session;
}

function account(w: World, rng: Random, b: Base): Account {
  return { ...b, accountId: w.accountId(rng, b.lab), kind: 'benign', campaignId: null };
}

function activity(w: World, tz: number, hourly: readonly number[], parts: Partial<Activity>): Activity {
  return { from: w.start, to: w.end, tz, hourly, weekend: 1, perDay: 10, volatility: 0.6, dayChance: 1, session: 5, gapMs: 30_000, ...parts };
}

/** Interests: a few topics, the first ones favoured. */
function interests(rng: Random, k: number, pool: readonly Topic[] = TOPICS): Topic[] {
  return rng.sample(pool, k);
}

function favoured(rng: Random, topics: readonly Topic[]): Topic {
  return topics[Math.min(topics.length - 1, Math.floor(rng.exponential(topics.length / 3)))] as Topic;
}

const optionalTemperature = (rng: Random, p: number, lo: number, hi: number): number | undefined =>
  rng.chance(p) ? Math.round(rng.uniform(lo, hi) * 10) / 10 : undefined;

function sessionOf(write: (rng: Random, turn: number) => Request): (rng: Random) => Session {
  return () => (rng, _at, turn) => write(rng, turn);
}

const hobbyist = benignKind('ho_hobbyist', 1500, (w, rng) => {
  const home = drawHome(rng);
  const topics = interests(rng, rng.int(2, 8));
  const tier = rng.chance(0.6) ? 'large' : 'small';
  const temperature = optionalTemperature(rng, 0.3, 0.2, 1.2);
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_hobbyist', entity: w.entity('person'),
    identity: { instrument: `card-${rng.hex(12)}`, ipPrefixes: [residentialPrefix(rng)], userAgents: [rng.chance(0.5) ? browserAgent(rng) : sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
    activity: activity(w, home.tz, HOURS.evening, { perDay: rng.logNormal(5, 0.8), dayChance: rng.uniform(0.15, 0.7), weekend: rng.uniform(1, 2), session: rng.uniform(2, 6), gapMs: rng.uniform(30_000, 180_000), volatility: 0.8 }),
    session: sessionOf((r, turn) => {
      const topic = favoured(r, topics);
      return ask(tier, 'chat', casualQuestion(r, topic, turn > 0), topic, turn * r.int(80, 400), answerTokens(r, 350, 0.7), temperature === undefined ? {} : { temperature });
    }),
  })];
});

const student = benignKind('ho_student', 450, (w, rng) => {
  const home = drawHome(rng);
  const pool = [...topicsOfDomain('mathematics'), ...topicsOfDomain('science'), ...topicsOfDomain('humanities'), ...topicsOfDomain('computing')];
  const topics = interests(rng, rng.int(3, 7), pool);
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_student', entity: w.entity('person'),
    identity: { instrument: `card-${rng.hex(12)}`, ipPrefixes: [residentialPrefix(rng), residentialPrefix(rng)], userAgents: [browserAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
    activity: activity(w, home.tz, HOURS.school, { perDay: rng.logNormal(9, 0.7), dayChance: rng.uniform(0.3, 0.8), weekend: rng.uniform(0.4, 1.3), session: rng.uniform(3, 10), gapMs: rng.uniform(40_000, 200_000) }),
    session: sessionOf((r, turn) => {
      const topic = favoured(r, topics);
      return ask(r.chance(0.7) ? 'small' : 'large', 'chat', homework(r, topic), topic, turn * 250, answerTokens(r, 450, 0.6));
    }),
  })];
});

const tutoringApp = benignKind('ho_tutoring_app', 25, (w, rng) => {
  const home = drawHome(rng);
  const pool = [...topicsOfDomain('mathematics'), ...topicsOfDomain('science'), ...topicsOfDomain('humanities')];
  const system = `tutor-${rng.hex(6)}`;
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_tutoring_app', entity: w.entity('edtech'),
    identity: { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [cloudPrefix(rng), cloudPrefix(rng)], userAgents: [sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, rng.int(1, 3)) },
    activity: activity(w, home.tz, HOURS.school, { perDay: rng.logNormal(400, 0.9), weekend: rng.uniform(0.4, 0.9), session: 40, gapMs: 8_000, volatility: 0.3 }),
    session: sessionOf((r) => {
      const topic = r.pick(pool);
      return ask('small', 'chat', homework(r, topic), topic, r.int(300, 900), answerTokens(r, 300, 0.5, 800), { systemPrompt: system, maxTokens: 800, temperature: 0.4 });
    }),
  })];
});

const chatSaas = benignKind('ho_chat_saas', 45, (w, rng) => {
  const home = drawHome(rng);
  const system = `assistant-${rng.hex(6)}`;
  const tier = rng.pick(['small', 'large', 'large'] as const);
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_chat_saas', entity: w.entity('saas'),
    identity: { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [cloudPrefix(rng), cloudPrefix(rng), cloudPrefix(rng)], userAgents: [sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, rng.int(2, 6)) },
    // Many end users in many time zones: a broad consumer curve, bursts of concurrent chats.
    activity: activity(w, home.tz, HOURS.consumer, { perDay: rng.logNormal(400, 1.0), weekend: rng.uniform(0.9, 1.3), session: 60, gapMs: 4_000, volatility: 0.25 }),
    session: sessionOf((r, turn) => {
      const topic = r.pick(TOPICS);
      return ask(tier, 'chat', casualQuestion(r, topic, turn % 4 !== 0), topic, r.int(200, 2500), answerTokens(r, 300, 0.8), { systemPrompt: system, temperature: 0.7 });
    }),
  })];
});

const supportBot = benignKind('ho_support_bot', 140, (w, rng) => {
  const home = drawHome(rng);
  const brand = `Brand${rng.int(100, 999)}`;
  const system = `support-${rng.hex(6)}`;
  const topic = rng.pick([...topicsOfDomain('everyday'), ...topicsOfDomain('business')]);
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_support_bot', entity: w.entity('retail'),
    identity: { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [rng.chance(0.5) ? cloudPrefix(rng) : corporatePrefix(rng)], userAgents: [sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
    activity: activity(w, home.tz, HOURS.office, { perDay: rng.logNormal(100, 1.0), weekend: rng.uniform(0.2, 0.7), session: 8, gapMs: 45_000, volatility: 0.3 }),
    session: sessionOf((r, turn) => ask('small', 'chat', supportTicket(r, brand), topic, 600 + turn * 120, answerTokens(r, 140, 0.4, 400), { systemPrompt: system, temperature: 0.2, maxTokens: 400 })),
  })];
});

const codingAgent = benignKind('ho_coding_agent', 320, (w, rng) => {
  const home = drawHome(rng);
  const topics = interests(rng, 3, topicsOfDomain('computing'));
  const tier = rng.chance(0.3) ? 'reasoning' : 'large';
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_coding_agent', entity: w.entity('dev'),
    identity: { instrument: `card-${rng.hex(12)}`, ipPrefixes: [rng.chance(0.6) ? residentialPrefix(rng) : corporatePrefix(rng)], userAgents: [rng.pick(['coding-agent-cli/0.9.4', 'ide-assistant/2.3.1', 'agentic-coder/1.12.0'])], country: home.country, apiKeys: apiKeys(rng, rng.int(1, 2)) },
    // Bursts of tool-call turns seconds apart, several times a working day.
    activity: activity(w, home.tz, HOURS.office, { perDay: rng.logNormal(80, 0.9), dayChance: rng.uniform(0.5, 0.95), weekend: rng.uniform(0.1, 0.6), session: rng.uniform(12, 45), gapMs: rng.uniform(4_000, 20_000), volatility: 0.7 }),
    session: (r0) => {
      let context = r0.int(8_000, 30_000);
      return (r) => {
        context = Math.min(190_000, context + r.int(500, 6_000));
        const topic = favoured(r, topics);
        return ask(tier, 'responses', codingTurn(r, topic), topic, context, answerTokens(r, 900, 0.9, 16_000), {
          maxTokens: 16_000, ...(tier === 'reasoning' ? { reasoningEffort: r.pick(['medium', 'high'] as const) } : { temperature: 0.2 }),
        });
      };
    },
  })];
});

const researcher = benignKind('ho_researcher', 110, (w, rng) => {
  const home = drawHome(rng);
  const fields = interests(rng, rng.int(1, 2));
  const temperatures = [0, 0.3, 0.7, 1.0];
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_researcher', entity: w.entity('univ'),
    identity: { instrument: `grant-${rng.hex(10)}`, ipPrefixes: [corporatePrefix(rng)], userAgents: [rng.chance(0.5) ? sdkAgent(rng) : toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, rng.int(1, 3)) },
    activity: activity(w, home.tz, rng.chance(0.5) ? HOURS.office : HOURS.flat, { perDay: rng.logNormal(50, 0.9), dayChance: rng.uniform(0.3, 0.9), weekend: rng.uniform(0.3, 1), session: rng.uniform(10, 80), gapMs: rng.uniform(5_000, 40_000), volatility: 0.9 }),
    // A scripted batch walks the field's terms in order, each at a sweep of temperatures.
    session: (r0) => {
      const field = r0.pick(fields);
      let cursor = r0.int(0, field.terms.length - 1);
      return (r, _at, turn) => {
        if (turn % temperatures.length === 0) cursor++;
        const term = field.terms[cursor % field.terms.length] as string;
        const logprobs = r.chance(0.4);
        return ask('reasoning', 'chat', researchQuestion(r, field, term), field, r.int(100, 1500), answerTokens(r, 2500, 0.6), {
          reasoningEffort: 'high', temperature: temperatures[turn % temperatures.length] as number, n: r.pick([1, 1, 2, 4]),
          ...(logprobs ? { logprobs: true, topLogprobs: 5 } : {}),
        });
      };
    },
  })];
});

const safetyEval = benignKind('ho_safety_eval', 12, (w, rng) => {
  const home = drawHome(rng);
  const labs = rng.sample(LAB_NAMES, rng.int(1, 3));
  const entity = w.entity('evalfirm');
  const instrument = `corp-${rng.hex(10)}`;
  const prefix = corporatePrefix(rng);
  return labs.map((lab) => account(w, rng, {
    lab, archetype: 'ho_safety_eval', entity,
    identity: { instrument, ipPrefixes: [prefix, cloudPrefix(rng)], userAgents: [toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 2) },
    activity: activity(w, home.tz, HOURS.office, { perDay: rng.logNormal(500, 0.7), dayChance: rng.uniform(0.4, 0.8), weekend: 0.2, session: 150, gapMs: 3_000, volatility: 0.5 }),
    // Each run sweeps one probe category across every topic.
    session: (r0) => {
      const probe = r0.int(0, 7);
      return (r, _at, turn) => {
        const topic = TOPICS[turn % TOPICS.length] as Topic;
        return ask(r.pick(['large', 'reasoning', 'small'] as const), 'chat', safetyProbe(r, topic, probe), topic, r.int(50, 400), answerTokens(r, 350, 0.7), { temperature: 0 });
      };
    },
  }));
});

const evalRunner = benignKind('ho_eval_runner', 35, (w, rng) => {
  const home = drawHome(rng);
  const bank = rng.int(400, 3000);
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_eval_runner', entity: w.entity('mlteam'),
    identity: { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [cloudPrefix(rng)], userAgents: [toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
    activity: activity(w, home.tz, HOURS.flat, { perDay: rng.logNormal(700, 0.6), dayChance: rng.uniform(0.2, 0.6), weekend: 0.8, session: rng.pick([200, 500, 1000]), gapMs: rng.uniform(300, 2_000), volatility: 0.3 }),
    // A run replays the same item bank: repeated items, single-letter answers.
    session: () => (r, _at, turn) => {
      const item = turn % bank;
      const topic = TOPICS[item % TOPICS.length] as Topic;
      return ask(r.pick(['small', 'large'] as const), 'chat', benchmarkItem(topic, item), topic, 60, answerTokens(r, 3, 0.4, 5), { temperature: 0, maxTokens: 5 });
    },
  })];
});

const ragEnterprise = benignKind('ho_rag_enterprise', 140, (w, rng) => {
  const home = drawHome(rng);
  const domain = rng.pick(['law', 'business', 'health', 'computing']);
  const topics = interests(rng, rng.int(2, 4), topicsOfDomain(domain));
  const company = `Company${rng.int(10, 99)}`;
  const system = `rag-${rng.hex(6)}`;
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_rag_enterprise', entity: w.entity('enterprise'),
    identity: { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [corporatePrefix(rng)], userAgents: [sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, rng.int(1, 4)) },
    activity: activity(w, home.tz, HOURS.office, { perDay: rng.logNormal(90, 1.0), weekend: 0.1, session: 6, gapMs: 60_000, volatility: 0.35 }),
    session: sessionOf((r) => {
      const topic = favoured(r, topics);
      return ask('large', 'chat', documentQuestion(r, topic, company), topic, r.int(3_000, 30_000), answerTokens(r, 350, 0.5), { systemPrompt: system, temperature: 0 });
    }),
  })];
});

const translationPipeline = benignKind('ho_translation', 70, (w, rng) => {
  const home = drawHome(rng);
  const topics = interests(rng, rng.int(2, 6));
  const batch = rng.chance(0.5);
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_translation', entity: w.entity('locale'),
    identity: { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [cloudPrefix(rng)], userAgents: [toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
    activity: activity(w, home.tz, batch ? HOURS.nightly : HOURS.office, { perDay: rng.logNormal(150, 1.0), weekend: 0.5, session: 100, gapMs: 2_000, volatility: 0.5 }),
    session: sessionOf((r) => {
      const topic = favoured(r, topics);
      const text = translation(r, topic);
      const source = r.int(40, 1500);
      return ask('small', batch ? 'batch' : 'chat', text, topic, source, Math.round(source * r.uniform(0.9, 1.4)), { temperature: 0.1 });
    }),
  })];
});

const batchPipeline = benignKind('ho_batch_pipeline', 110, (w, rng) => {
  const home = drawHome(rng);
  const topics = interests(rng, rng.int(1, 5));
  const task = rng.int(0, 3);
  const embeds = rng.chance(0.4);
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_batch_pipeline', entity: w.entity('dataco'),
    identity: { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [cloudPrefix(rng)], userAgents: [toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
    activity: activity(w, home.tz, rng.chance(0.6) ? HOURS.nightly : HOURS.flat, { perDay: rng.logNormal(100, 1.2), weekend: 1, session: 300, gapMs: 500, volatility: 0.4 }),
    session: sessionOf((r) => {
      const topic = favoured(r, topics);
      const prompt = pipelineItem(r, topic, task);
      if (embeds && r.chance(0.5)) return ask('embed', 'embeddings', prompt, topic, r.int(100, 600), 0);
      return ask('small', 'batch', prompt, topic, r.int(200, 2_500), answerTokens(r, task === 0 ? 120 : 12, 0.4, 300), { temperature: 0, maxTokens: 300 });
    }),
  })];
});

const contentMarketing = benignKind('ho_content_marketing', 220, (w, rng) => {
  const home = drawHome(rng);
  const topics = interests(rng, rng.int(1, 4), [...topicsOfDomain('business'), ...topicsOfDomain('everyday'), ...topicsOfDomain('health')]);
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_content_marketing', entity: w.entity('agency'),
    identity: { instrument: `card-${rng.hex(12)}`, ipPrefixes: [rng.chance(0.5) ? residentialPrefix(rng) : corporatePrefix(rng)], userAgents: [rng.chance(0.6) ? browserAgent(rng) : sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, 1) },
    activity: activity(w, home.tz, HOURS.office, { perDay: rng.logNormal(25, 0.9), dayChance: rng.uniform(0.4, 0.9), weekend: 0.2, session: rng.uniform(3, 12), gapMs: 90_000 }),
    session: sessionOf((r) => {
      const topic = favoured(r, topics);
      return ask('large', 'chat', marketingCopy(r, topic), topic, r.int(50, 600), answerTokens(r, 600, 0.6), { temperature: r.pick([0.8, 0.9, 1.0, 1.1]), n: r.pick([1, 1, 1, 3]) });
    }),
  })];
});

const agentPlatform = benignKind('ho_agent_platform', 50, (w, rng) => {
  const home = drawHome(rng);
  const system = `workflow-${rng.hex(6)}`;
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_agent_platform', entity: w.entity('automation'),
    identity: { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [cloudPrefix(rng), cloudPrefix(rng)], userAgents: [toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, rng.int(2, 8)) },
    activity: activity(w, home.tz, HOURS.consumer, { perDay: rng.logNormal(250, 1.0), weekend: 0.7, session: 12, gapMs: 6_000, volatility: 0.3 }),
    session: (r0) => {
      const topic = r0.pick(TOPICS);
      let context = r0.int(1_500, 5_000);
      return (r) => {
        context += r.int(200, 1_500);
        return ask(r.chance(0.8) ? 'small' : 'large', 'chat', workflowStep(r, topic), topic, context, answerTokens(r, 180, 0.6, 1_000), { systemPrompt: system, temperature: 0, maxTokens: 1_000 });
      };
    },
  })];
});

const labellingVendor = benignKind('ho_labelling_vendor', 20, (w, rng) => {
  const home = drawHome(rng);
  const topics = interests(rng, rng.int(6, 20));
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_labelling_vendor', entity: w.entity('labelling'),
    identity: { instrument: `corp-${rng.hex(10)}`, ipPrefixes: [corporatePrefix(rng), cloudPrefix(rng)], userAgents: [toolAgent(rng)], country: home.country, apiKeys: apiKeys(rng, rng.int(1, 3)) },
    activity: activity(w, home.tz, HOURS.office, { perDay: rng.logNormal(500, 0.8), weekend: 0.3, session: 80, gapMs: 2_500, volatility: 0.4 }),
    session: sessionOf((r) => {
      const topic = favoured(r, topics);
      return ask(r.pick(['large', 'small'] as const), 'chat', labellingTask(r, topic), topic, r.int(200, 1_500), answerTokens(r, 250, 0.6), { temperature: r.pick([0, 0.7, 1.0]) });
    }),
  })];
});

/** One company, one corporate card, two or three labs: the same instrument behind every account. */
const multiLabCorp = benignKind('ho_multilab_corp', 35, (w, rng) => {
  const home = drawHome(rng);
  const entity = w.entity('corp');
  const instrument = `corp-${rng.hex(10)}`;
  const prefix = corporatePrefix(rng);
  const domain = rng.pick(DOMAINS);
  return rng.sample(LAB_NAMES, rng.int(2, 3)).map((lab) => {
    const topics = interests(rng, rng.int(2, 5), topicsOfDomain(domain));
    return account(w, rng, {
      lab, archetype: 'ho_multilab_corp', entity,
      identity: { instrument, ipPrefixes: [prefix], userAgents: [sdkAgent(rng)], country: home.country, apiKeys: apiKeys(rng, rng.int(1, 3)) },
      activity: activity(w, home.tz, HOURS.office, { perDay: rng.logNormal(80, 1.0), weekend: 0.15, session: 10, gapMs: 40_000, volatility: 0.4 }),
      session: sessionOf((r) => {
        const topic = favoured(r, topics);
        return r.chance(0.5)
          ? ask('large', 'chat', documentQuestion(r, topic, entity), topic, r.int(1_000, 12_000), answerTokens(r, 400, 0.6))
          : ask('small', 'chat', casualQuestion(r, topic, false), topic, r.int(100, 800), answerTokens(r, 300, 0.6));
      }),
    });
  });
});

/** Startups on the same cloud share egress ranges and the same SDK user agent. */
const cloudStartup = benignKind('ho_cloud_startup', 320, (w, rng) => {
  const home = drawHome(rng);
  const topics = interests(rng, rng.int(1, 6));
  const style = rng.int(0, 2);
  return [account(w, rng, {
    lab: marketLab(rng), archetype: 'ho_cloud_startup', entity: w.entity('startup'),
    identity: { instrument: `card-${rng.hex(12)}`, ipPrefixes: [cloudPrefix(rng)], userAgents: ['lab-sdk-python/1.42.0'], country: home.country, apiKeys: apiKeys(rng, rng.int(1, 3)) },
    activity: activity(w, home.tz, rng.chance(0.5) ? HOURS.consumer : HOURS.office, { perDay: rng.logNormal(25, 1.2), weekend: rng.uniform(0.3, 1), session: rng.uniform(3, 20), gapMs: rng.uniform(5_000, 60_000), volatility: 0.6 }),
    session: sessionOf((r) => {
      const topic = favoured(r, topics);
      const prompt = style === 0 ? casualQuestion(r, topic, false) : style === 1 ? pipelineItem(r, topic, r.int(0, 3)) : marketingCopy(r, topic);
      return ask(r.chance(0.7) ? 'small' : 'large', 'chat', prompt, topic, r.int(100, 3_000), answerTokens(r, 250, 0.8));
    }),
  })];
});

export const BENIGN_KINDS: readonly BenignKind[] = [
  hobbyist, student, tutoringApp, chatSaas, supportBot, codingAgent, researcher, safetyEval, evalRunner,
  ragEnterprise, translationPipeline, batchPipeline, contentMarketing, agentPlatform, labellingVendor, multiLabCorp, cloudStartup,
];
