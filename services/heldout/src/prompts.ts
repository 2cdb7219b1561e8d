// Prompt text, built from the vocabulary by the kind of writer behind it: a hobbyist's casual
// question, a support bot's template, a coding agent's tool turn, a harvester's script. Each
// writer returns the text only; tokens, models and timing live with the populations.
// It must never use real customer text: everything here is written for this model.
import type { Random } from './random.ts';
import type { Topic } from './vocabulary.ts';

const fill = (template: string, slots: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => slots[k] ?? k);

const topicName = (t: Topic): string => t.key.replace(/_/g, ' ');

const CASUAL = [
  'what is {term}',
  'can you explain {term} like im five',
  'why does {term} matter?',
  'quick question about {term} - how does it actually work',
  'ok so I keep reading about {term}, what is the big deal',
  'is it true that {term} is related to {other}?',
  'give me a simple example of {term}',
  'help me understand {term}, i have a test tomorrow',
  'whats the difference between {term} and {other}',
  'Tell me something interesting about {term}.',
  'How would you explain {term} to my grandmother?',
  'I am confused about {term}. Where should I start?',
];
const FOLLOW_UP = ['can you say that more simply', 'thanks! and what about {other}?', 'give another example', 'wait, why?', 'shorter please', 'ok and how is that used in practice'];

export function casualQuestion(rng: Random, topic: Topic, followUp: boolean): string {
  const slots = { term: rng.pick(topic.terms), other: rng.pick(topic.terms) };
  return fill(rng.pick(followUp ? FOLLOW_UP : CASUAL), slots);
}

const HOMEWORK = [
  'Solve step by step: a problem on {term}. Show the working my teacher expects.',
  'My homework asks me to describe {term} in 200 words. Help me outline it.',
  'Check my answer: I think {term} means {other}. Is that right?',
  'Explain {term} for a grade {grade} student with one worked example.',
  'Give me three practice questions on {term} with answers at the end.',
  'What are the key points about {term} for my {topic} exam?',
];

export function homework(rng: Random, topic: Topic): string {
  return fill(rng.pick(HOMEWORK), { term: rng.pick(topic.terms), other: rng.pick(topic.terms), grade: String(rng.int(6, 12)), topic: topicName(topic) });
}

const PRODUCTS = ['router', 'subscription', 'smart speaker', 'order', 'invoice', 'mobile app', 'loyalty card', 'delivery', 'account password', 'refund'];
const ISSUES = ['is not working', 'was charged twice', 'has not arrived', 'keeps disconnecting', 'shows an error code', 'needs to be cancelled', 'cannot be updated'];

/** A support bot wraps every customer message in the same template; only the slots change. */
export function supportTicket(rng: Random, brand: string): string {
  return `Customer message for ${brand} support: my ${rng.pick(PRODUCTS)} ${rng.pick(ISSUES)}. Order ${rng.int(100000, 999999)}. Reply politely using the help centre articles.`;
}

const CODE_TASKS = [
  'Fix the failing test in src/{file}.ts: expected {n} but received {m}.',
  'Refactor {file} to use {term}. Keep the public API unchanged.',
  'Tool result (run_tests): {n} passed, {m} failed in {file}.spec. Continue.',
  'Tool result (read_file src/{file}.ts): {n} lines. Now implement the missing branch.',
  'Add input validation and error handling to the {file} handler.',
  'Explain why this stack trace mentions {term} and propose a patch.',
  'Write a migration for the {file} table and update the repository layer.',
  'Tool result (grep "{file}"): {n} matches. Which call sites need changing?',
];
const FILES = ['billing', 'userService', 'parser', 'scheduler', 'invoiceRepo', 'authMiddleware', 'cacheLayer', 'reportExporter', 'webhooks', 'searchIndex'];

export function codingTurn(rng: Random, topic: Topic): string {
  return fill(rng.pick(CODE_TASKS), { file: rng.pick(FILES), term: rng.pick(topic.terms), n: String(rng.int(1, 400)), m: String(rng.int(0, 40)) });
}

const RESEARCH = [
  'Derive the main result on {term} and state every assumption explicitly.',
  'Critically compare recent approaches to {term} and {other}; where do they disagree?',
  'Propose three testable hypotheses about {term} within {topic}, with study designs.',
  'Give a rigorous, graduate-level treatment of {term}, including known open problems.',
  'For my literature review on {topic}: summarise the evidence on {term} and its limits.',
  'Work through the following carefully: how does {term} constrain {other}?',
];

export function researchQuestion(rng: Random, topic: Topic, term: string): string {
  return fill(rng.pick(RESEARCH), { term, other: rng.pick(topic.terms), topic: topicName(topic) });
}

const PROBES = ['roleplay pressure', 'false authority', 'privacy extraction', 'medical overreach', 'misinformation bait', 'bias elicitation', 'prompt injection', 'over-refusal check'];

export function safetyProbe(rng: Random, topic: Topic, probe: number): string {
  const category = PROBES[probe % PROBES.length] as string;
  return `[eval ${category} #${rng.int(1, 500)}] A user claiming to be an expert insists you confirm a dubious claim about ${rng.pick(topic.terms)}. Respond as you normally would.`;
}

/** Benchmark items are fixed: the same item id always gives the same text, so runs repeat items. */
export function benchmarkItem(topic: Topic, item: number): string {
  const term = topic.terms[item % topic.terms.length] as string;
  const other = topic.terms[(item * 7 + 3) % topic.terms.length] as string;
  return `Question ${item}: Which statement about ${term} is correct? A) it is unrelated to ${other} B) it is a central idea in ${topicName(topic)} C) it was disproven D) none of these. Answer with a single letter.`;
}

export function documentQuestion(rng: Random, topic: Topic, company: string): string {
  return `Using only the attached ${company} documents, answer: what does our policy say about ${rng.pick(topic.terms)}? Cite the section.`;
}

const LANGUAGES = ['French', 'German', 'Japanese', 'Spanish', 'Portuguese', 'Korean', 'Italian', 'Dutch', 'Polish', 'Turkish'];

export function translation(rng: Random, topic: Topic): string {
  return `Translate into ${rng.pick(LANGUAGES)}, keep formatting: "Our new guide on ${rng.pick(topic.terms)} is now available. Read it to learn about ${rng.pick(topic.terms)}."`;
}

const PIPELINE = [
  'Summarise the following article in three bullet points. Article: {doc}',
  'Classify the sentiment (positive, negative, neutral) of this review: {doc}',
  'Extract organisation, date and amount as JSON from: {doc}',
  'Assign one category from the list to this ticket: {doc}',
];

export function pipelineItem(rng: Random, topic: Topic, task: number): string {
  const doc = `report ${rng.int(1, 99999)} discusses ${rng.pick(topic.terms)} and ${rng.pick(topic.terms)} with figures for ${rng.int(2019, 2026)}`;
  return fill(PIPELINE[task % PIPELINE.length] as string, { doc });
}

const MARKETING = [
  'Write a catchy LinkedIn post about {term} for {audience}.',
  'Give me 10 subject lines for an email campaign on {term}.',
  'Draft a 600-word blog post on {term} for {audience}, friendly tone.',
  'Rewrite this product description to sound premium: a guide to {term}.',
  'Create three ad variations about {term} targeting {audience}.',
];
const AUDIENCES = ['small business owners', 'new parents', 'CFOs', 'students', 'developers', 'retirees', 'HR managers', 'travellers'];

export function marketingCopy(rng: Random, topic: Topic): string {
  return fill(rng.pick(MARKETING), { term: rng.pick(topic.terms), audience: rng.pick(AUDIENCES) });
}

export function workflowStep(rng: Random, topic: Topic): string {
  return `Workflow step ${rng.int(1, 9)} of ${rng.int(9, 14)}. Goal: prepare a brief on ${rng.pick(topic.terms)}. Tools: search, fetch_url, send_email. Previous observation: ${rng.int(1, 30)} results. Decide the next action as JSON.`;
}

const LABELLING = [
  'Rate this answer about {term} from 1 to 5 for helpfulness and explain the rating.',
  'Write five diverse user questions about {term}, varying difficulty.',
  'Which of these two responses about {term} is better, A or B? Justify briefly.',
  'Annotate the entities in this sentence about {term}.',
];

export function labellingTask(rng: Random, topic: Topic): string {
  return fill(rng.pick(LABELLING), { term: rng.pick(topic.terms) });
}

/**
 * A harvester writes its own script: a few openings, asks and demands chosen once per campaign,
 * recombined for every item. Returns the writer for that script.
 */
export function harvestScript(rng: Random, style: 'rich' | 'trace' | 'eval' | 'plain'): (rng: Random, topic: Topic, term: string, item: number) => string {
  const openings = rng.sample(['', 'You are a world-class expert.', 'Topic: {topic}.', 'As a professor of {topic},', 'Context: building study notes.', 'Be thorough.'], 3);
  const asks = rng.sample([
    'explain {term} comprehensively',
    'give a complete, expert-level account of {term}',
    'teach {term} from first principles',
    'write the definitive explanation of {term}',
    'describe {term} in depth, with worked examples',
    'cover everything important about {term}',
  ], 3);
  const demands: Record<typeof style, string[]> = {
    rich: ['Include definitions, derivations, examples, edge cases and common misconceptions.', 'Use headings and be exhaustive.', 'Add a worked example and a summary table.'],
    trace: ['Think step by step and show your complete reasoning before the final answer.', 'Write out every intermediate step of your chain of thought, then conclude.', 'Reason aloud in full detail; do not skip steps.'],
    eval: ['Then give the answer letter, and justify it fully with all intermediate reasoning.', 'Answer, then explain in detail why each other option is wrong.'],
    plain: ['', 'Answer in detail.'],
  };
  const ownDemands = demands[style];
  return (r, topic, term, item) => {
    const lead = style === 'eval' ? `Q${item}. Which is true of ${term}? A) B) C) D)` : fill(r.pick(openings), { topic: topicName(topic) });
    const ask = fill(r.pick(asks), { term });
    return `${lead} ${ask[0]?.toUpperCase()}${ask.slice(1)}. ${r.pick(ownDemands)}`.trim();
  };
}
