// Product customers of the wide scenarios: companies whose own product calls the API for
// their users. Enterprise document QA, translation and localisation, batch classify/extract
// pipelines, tutoring apps, support bots and content studios. Look-alike signals: very long
// contexts, broad topic coverage (translation, content), step-by-step elicitation (tutoring),
// machine-paced nightly batches. What stays different: one product template, users' daily
// rhythm, inputs that are documents or records rather than a walk over a taxonomy.
import type { ActorSpec, BenignArchetype, RequestShape } from '../actor.ts';
import { favouriteTopics, type BuildContext } from '../benign.ts';
import { CLOUD_PREFIXES, privatePrefix } from '../identity.ts';
import type { Random } from '../random.ts';
import { Bursts, HumanSessions, SteadyStream } from '../schedules.ts';
import { SAAS_PRODUCTS, TOPIC_NAMES, TOPIC_POPULARITY, USER_AGENTS } from '../vocabulary.ts';
import { customerAccount, customerDraws } from './account.ts';
import {
  contentBrief, documentQuestion, PIPELINE_TASK_COUNT, pipelinePrompt, supportMessage, targetLanguages, translationPrompt, tutoringPrompt,
} from './prompts.ts';

const HOUR = 3_600_000;
const SCHOOL_SUBJECTS = ['mathematics', 'physics', 'chemistry', 'biology', 'history', 'languages', 'literature', 'geography', 'statistics', 'programming'];

/** Server-side dress shared by product customers: keys, a cloud or own data-centre prefix, a server client. */
function productDress(ctx: BuildContext, name: string, rng: Random): { keys: number; ipPrefixes: string[]; userAgents: string[] } {
  return {
    keys: rng.int(1, 5),
    ipPrefixes: [rng.chance(0.6) ? rng.pick(CLOUD_PREFIXES) : privatePrefix(ctx.seed, name + '/dc')],
    userAgents: [rng.pick(USER_AGENTS.server)],
  };
}

/** Business-hours traffic that follows the product's users, with a per-product size. */
function usersDay(rng: Random, utcOffset: number, medianPeak: number): SteadyStream {
  return new SteadyStream({
    peakPerHour: rng.logNormal(medianPeak, 0.6), troughShare: rng.uniform(0.05, 0.35), utcOffset,
    peakHour: rng.uniform(10, 16), weekendFactor: rng.uniform(0.1, 0.7),
  });
}

/**
 * A product whose traffic follows its users' day, dressed as a product. `setup` draws what the
 * product is (after the customer's own draws) and returns how it asks; dress and rhythm are
 * drawn after it, in that order.
 */
function usersProduct(prefix: string, archetype: BenignArchetype, medianPeak: number, setup: (rng: Random, name: string) => (r: Random) => RequestShape) {
  return (ctx: BuildContext, i: number): ActorSpec[] => {
    const name = `${prefix}-${i}`;
    const { rng, country } = customerDraws(ctx, name);
    const behaviour = setup(rng, name);
    return [customerAccount(ctx, name, archetype, rng, country, productDress(ctx, name, rng), usersDay(rng, country.utcOffset, medianPeak), behaviour, 0.01)];
  };
}

/** Enterprise document QA (RAG): employees' questions over retrieved documents, plus embedding calls. */
export const enterpriseRag = usersProduct('rag', 'enterprise_rag', 22, (rng, name) => {
  const topics = favouriteTopics(rng, rng.int(1, 4));
  const chunksTokens = rng.logNormal(7000, 0.5);
  const embeddingShare = rng.uniform(0.1, 0.45);
  return (r: Random): RequestShape => {
    const embedding = r.chance(embeddingShare);
    return {
      prompt: documentQuestion(r, r.pick(topics)),
      tier: embedding ? 'embedding' : r.chance(0.7) ? 'main' : 'mini',
      endpoint: embedding ? 'embeddings' : 'chat',
      temperature: embedding ? undefined : 0.1,
      max_tokens: embedding ? undefined : 1024,
      systemPrompt: embedding ? undefined : `${name}/rag-system`,
      contextTokens: embedding ? r.logNormal(500, 0.4) : r.logNormal(chunksTokens, 0.4),
      outputMedian: 300,
    };
  };
});

/** Translation and localisation: customers' texts on any topic, into a few target languages. */
export const translationService = usersProduct('translation', 'translation_service', 30, (rng, name) => {
  const languages = targetLanguages(rng);
  const tier = rng.pick(['mini', 'main'] as const);
  const textTokens = rng.logNormal(600, 0.6);
  return (r: Random): RequestShape => ({
    prompt: translationPrompt(r, TOPIC_NAMES[r.weightedIndex(TOPIC_POPULARITY)]!, languages),
    tier,
    endpoint: r.chance(0.2) ? 'batch' : 'chat',
    temperature: r.pick([0, 0.2, 0.3]),
    max_tokens: 2048,
    systemPrompt: `${name}/glossary`,
    contextTokens: r.logNormal(textTokens, 0.8),
    outputMedian: 250,
  });
});

/** Batch summarise/classify/extract pipelines: nightly runs over new records, one instruction, embeddings. */
export function batchPipeline(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `pipeline-${i}`;
  const { rng, country } = customerDraws(ctx, name);
  const task = rng.int(0, PIPELINE_TASK_COUNT - 1);
  const topics = favouriteTopics(rng, rng.int(1, 4));
  const embeddingShare = rng.uniform(0, 0.5);
  const recordTokens = rng.logNormal(1200, 0.5);
  let record = rng.int(1, 1_000_000);
  const runs = new Bursts({
    everyHours: rng.pick([12, 24, 24]), jitterHours: rng.uniform(0.1, 1), perSecond: rng.uniform(3, 20),
    firstAt: ctx.start + rng.uniform(0, 24) * HOUR,
    runSize: (_run, r) => r.logNormal(500, 0.6),
  });
  const behaviour = (r: Random): RequestShape => {
    const embedding = r.chance(embeddingShare);
    return {
      prompt: pipelinePrompt(r, task, record++, r.pick(topics)),
      tier: embedding ? 'embedding' : 'mini',
      endpoint: embedding ? 'embeddings' : r.chance(0.7) ? 'batch' : 'chat',
      temperature: embedding ? undefined : 0,
      max_tokens: embedding ? undefined : 256,
      systemPrompt: embedding ? undefined : `${name}/pipeline`,
      contextTokens: r.logNormal(recordTokens, 0.7),
      outputMedian: 60,
    };
  };
  return [customerAccount(ctx, name, 'batch_pipeline', rng, country, productDress(ctx, name, rng), runs, behaviour, 0.01)];
}

/** A tutoring app: students' questions across school subjects after school, mostly "step by step". */
export function tutoringApp(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `tutoring-${i}`;
  const { rng, country } = customerDraws(ctx, name);
  const subjects = rng.sample(SCHOOL_SUBJECTS, rng.int(3, SCHOOL_SUBJECTS.length));
  const reasoningShare = rng.uniform(0, 0.3);
  const lessonTokens = rng.logNormal(700, 0.5);
  const behaviour = (r: Random): RequestShape => {
    const reasoning = r.chance(reasoningShare);
    return {
      prompt: tutoringPrompt(r, r.pick(subjects)),
      tier: reasoning ? 'reasoning' : r.chance(0.5) ? 'main' : 'mini',
      endpoint: 'chat',
      temperature: 0.4,
      max_tokens: 2048,
      reasoning_effort: reasoning ? 'medium' : undefined,
      systemPrompt: `${name}/tutor-system`,
      contextTokens: r.logNormal(lessonTokens, 0.7),
      outputMedian: 400,
    };
  };
  const schedule = new SteadyStream({
    peakPerHour: rng.logNormal(30, 0.6), troughShare: rng.uniform(0.02, 0.15), utcOffset: country.utcOffset,
    peakHour: rng.uniform(16, 21), weekendFactor: rng.uniform(0.4, 1),
  });
  return [customerAccount(ctx, name, 'tutoring_app', rng, country, productDress(ctx, name, rng), schedule, behaviour, 0.01)];
}

/** A customer-support bot: one product's customers, conversations carried as growing context. */
export const supportBot = usersProduct('support', 'support_bot', 25, (rng, name) => {
  const product = SAAS_PRODUCTS[rng.int(0, SAAS_PRODUCTS.length - 1)]!;
  const historyTokens = rng.logNormal(1500, 0.5);
  return (r: Random): RequestShape => ({
    prompt: supportMessage(r, r.pick(product.topics), product.product),
    tier: r.chance(0.8) ? 'mini' : 'main',
    endpoint: 'chat',
    temperature: 0.3,
    max_tokens: 512,
    systemPrompt: `${name}/support-system`,
    contextTokens: r.logNormal(historyTokens, 0.7),
    outputMedian: 150,
  });
});

/** A content studio: writers generating long copy for clients in many verticals, several variants at a time. */
export function contentStudio(ctx: BuildContext, i: number): ActorSpec[] {
  const name = `content-${i}`;
  const { rng, country } = customerDraws(ctx, name);
  const verticals = favouriteTopics(rng, rng.int(3, 12));
  const variants = rng.chance(0.5) ? rng.int(2, 4) : undefined;
  const briefTokens = rng.logNormal(500, 0.5);
  const behaviour = (r: Random): RequestShape => ({
    prompt: contentBrief(r, r.pick(verticals)),
    tier: r.chance(0.8) ? 'main' : 'mini',
    endpoint: 'chat',
    temperature: r.uniform(0.8, 1.2),
    max_tokens: 4096,
    n: variants,
    systemPrompt: `${name}/brand-voice`,
    contextTokens: r.logNormal(briefTokens, 0.7),
    outputMedian: r.logNormal(1000, 0.4),
  });
  const schedule = new HumanSessions({
    utcOffset: country.utcOffset, wakeHour: rng.uniform(8, 10), activeHours: rng.uniform(8, 11),
    sessionsPerDay: rng.uniform(3, 10), requestsPerSession: rng.uniform(4, 15), gapSeconds: rng.logNormal(90, 0.5),
    weekendActivity: rng.uniform(0.05, 0.3),
  });
  return [customerAccount(ctx, name, 'content_studio', rng, country,
    { keys: rng.int(1, 3), ipPrefixes: [privatePrefix(ctx.seed, name + '/office')], userAgents: [rng.pick([...USER_AGENTS.browser, ...USER_AGENTS.sdkNode])] },
    schedule, behaviour, 0.005)];
}
