// Prompt text for each kind of client, built from the topic vocabularies. What separates a
// campaign from its benign look-alike here is behaviour a detector can observe (breadth of
// coverage, elicitation of reasoning, reuse of templates, repetition of benchmark items),
// never a marker word that only campaigns use.
import { Random } from './random.ts';
import { FILLER, SAAS_PRODUCTS, TOPICS, topicByName, type Topic } from './vocabulary.ts';

export interface Prompt {
  text: string;
  topic: string;
}

function fill(template: string, a: string, b: string): string {
  return template.replaceAll('{a}', a).replaceAll('{b}', b);
}

function otherConcept(rng: Random, topic: Topic, not: string): string {
  const c = rng.pick(topic.concepts);
  return c === not ? topic.concepts[(topic.concepts.indexOf(c) + 1) % topic.concepts.length]! : c;
}

const CASUAL = [
  'what is {a}',
  'can you explain {a} in simple terms',
  'help me understand {a}',
  'give me three ideas related to {a}',
  'what are common mistakes with {a}',
  'is it true that {a} is hard to learn',
  'how does {a} compare to {b}',
  'quick question about {a}: where do i start',
  'write a short paragraph about {a}',
  'summarise {a} for a friend who has never heard of it',
  'why does {a} matter',
  'i keep getting confused by {a} and {b}, what is the difference',
  'list the pros and cons of {a}',
  'make a checklist for {a}',
  'explain {a} like i am five',
  'can you walk me through {a} step by step',
  'explain {a} step by step with an example',
];

/** An individual's everyday question: short, informal, sometimes padded with context. */
export function casualPrompt(rng: Random, topicName: string): Prompt {
  const topic = topicByName(topicName);
  const a = rng.pick(topic.concepts);
  let text = fill(rng.pick(CASUAL), a, otherConcept(rng, topic, a));
  if (rng.chance(0.35)) text += ', ' + FILLER.slice(rng.int(0, 10), rng.int(12, FILLER.length)).join(' ');
  if (rng.chance(0.5)) text = text[0]!.toUpperCase() + text.slice(1) + '?';
  return { text, topic: topicName };
}

const ELICIT = [
  'Explain step by step how {a} works. Show your complete reasoning before the final answer.',
  'Derive {a} from first principles, justifying every intermediate step.',
  'Give a fully worked example of {a} and explain each step of the solution in detail.',
  'What are the most common misconceptions about {a}? For each, reason through why it is wrong, step by step.',
  'Compare {a} and {b} in depth. Think through the trade-offs step by step and conclude.',
  'Write a rigorous tutorial on {a} with three exercises and complete step-by-step solutions.',
  'Teach {a} to a graduate student: state the assumptions, reason carefully through each step, then summarise.',
  'Solve a hard problem about {a}. Think out loud, show all your reasoning, then give the answer.',
];
const LEVELS = [
  '', ' Assume a beginner audience.', ' Assume an expert audience.', ' Be exhaustive.', ' Use a concrete numeric example.',
  ' Include a counter-example.', ' Answer as a textbook section.', ' Mention the historical context.',
];
const ASPECTS = ['its core idea', 'common pitfalls', 'a worked example', 'edge cases', 'where experts disagree', 'real-world applications', 'the underlying assumptions', 'how to teach it'];

/** Number of distinct prompts the coverage space of `elicitationPrompt` holds. */
export const ELICITATION_SPACE = TOPICS.length * 12 * ELICIT.length * LEVELS.length;

/**
 * The i-th prompt of a systematic coverage sweep: a stride walk over topic x concept x angle
 * x level, so consecutive requests move across topics and nothing repeats until the space is
 * exhausted. Accounts of one campaign take disjoint residues of i: complementary coverage.
 */
export function elicitationPrompt(index: number, salt: number): Prompt {
  const cell = (index * 7919 + salt) % ELICITATION_SPACE;
  const topic = TOPICS[cell % TOPICS.length]!;
  const rest = Math.floor(cell / TOPICS.length);
  const concept = topic.concepts[rest % topic.concepts.length]!;
  const angle = ELICIT[Math.floor(rest / 12) % ELICIT.length]!;
  const level = LEVELS[Math.floor(rest / (12 * ELICIT.length)) % LEVELS.length]!;
  const b = topic.concepts[(rest + 5) % topic.concepts.length]!;
  return { text: fill(angle, concept, b) + level, topic: topic.name };
}

/** A campaign's own template family (swarms and split campaigns reuse it across accounts). */
export function campaignTemplatePrompt(templates: readonly string[], index: number, salt: number): Prompt {
  const cell = (index * 7919 + salt) % ELICITATION_SPACE;
  const topic = TOPICS[cell % TOPICS.length]!;
  const rest = Math.floor(cell / TOPICS.length);
  const concept = topic.concepts[rest % topic.concepts.length]!;
  const aspect = ASPECTS[Math.floor(rest / 12) % ASPECTS.length]!;
  const level = LEVELS[Math.floor(rest / (12 * ASPECTS.length)) % LEVELS.length]!;
  const template = templates[index % templates.length]!;
  return { text: fill(template, `${concept}, focusing on ${aspect}`, topic.name.replace('-', ' ')) + level, topic: topic.name };
}

const CAMPAIGN_TEMPLATE_POOL = [
  'Task: {a} ({b}). Produce a detailed answer with numbered reasoning steps and a final summary.',
  'Topic {b} / item: {a}. Reason step by step, explaining why each step follows, then answer.',
  'You are an expert in {b}. Provide a thorough explanation of {a}, including the full chain of reasoning.',
  'Question about {a} in {b}: think it through carefully, show every step, and state the conclusion.',
  'Write an in-depth answer on {a} (field: {b}). Include derivations, examples and the reasoning behind each claim.',
  'Explain {a} thoroughly for a {b} textbook, with a worked example and step-by-step justification.',
];

export function campaignTemplates(rng: Random): string[] {
  return rng.sample(CAMPAIGN_TEMPLATE_POOL, rng.int(1, 3));
}

/** One line of a SaaS product's templated prompt: the same instruction, a new record. */
export function saasPrompt(rng: Random, productIndex: number, recordId: number): Prompt {
  const product = SAAS_PRODUCTS[productIndex % SAAS_PRODUCTS.length]!;
  const topicName = rng.pick(product.topics);
  const topic = topicByName(topicName);
  const details: string[] = [];
  const n = rng.int(2, 6);
  for (let i = 0; i < n; i++) details.push(rng.pick(topic.concepts));
  const text = `${product.task}.\n\nRecord ${recordId}: ${details.join('; ')}. ${FILLER.slice(0, rng.int(4, 20)).join(' ')}`;
  return { text, topic: topicName };
}

/**
 * Item `item` of a benchmark: the same text every time it is run (a fresh Random per item),
 * multiple choice with a one-letter answer. Benchmarks span many topics (diverse), but an
 * eval runner re-runs the same items, which is what a sweep never does.
 */
export function benchmarkItem(benchmark: string, item: number, topics: readonly string[]): Prompt {
  const rng = new Random(`${benchmark}#${item}`);
  const topic = topicByName(topics[item % topics.length]!);
  const a = rng.pick(topic.concepts);
  const options = rng.sample(topic.concepts, 4);
  const stems = ['Which of the following is most closely related to', 'Which statement best describes', 'Select the correct example of', 'Which concept is required to understand'];
  const text = `Question ${item + 1}: ${rng.pick(stems)} ${a}?\nA) ${options[0]}\nB) ${options[1]}\nC) ${options[2]}\nD) ${options[3]}\nAnswer with a single letter.\nAnswer:`;
  return { text, topic: topic.name };
}

/** An eval-formatted item that never repeats and asks for the full reasoning: eval mimicry. */
export function mimicryItem(index: number, salt: number): Prompt {
  const base = elicitationPrompt(index, salt);
  const topic = topicByName(base.topic);
  const rng = new Random(`mimic/${salt}/${index}`);
  const options = rng.sample(topic.concepts, 4);
  const text = `Question ${index + 1}: ${base.text}\nA) ${options[0]}\nB) ${options[1]}\nC) ${options[2]}\nD) ${options[3]}\nExplain your reasoning step by step, then give the letter.\nAnswer:`;
  return { text, topic: base.topic };
}

const IDENTIFIERS = ['user', 'order', 'items', 'config', 'result', 'buffer', 'cache', 'request', 'handler', 'parser', 'total', 'index', 'node', 'queue', 'session', 'payload'];
const CODE_ASKS = [
  'Why does this throw an error?',
  'Refactor this to be more readable.',
  'Add unit tests for this function.',
  'Make this faster for large inputs.',
  'Explain what this code does.',
  'Convert this to async.',
  'Fix the off-by-one bug here.',
  'Add type annotations.',
];

/** A coding-assistant request: an ask plus a snippet of the user's code (the bulk of the tokens). */
export function codingPrompt(rng: Random): Prompt {
  const lines: string[] = [];
  const n = rng.int(3, 14);
  for (let i = 0; i < n; i++) {
    const a = rng.pick(IDENTIFIERS), b = rng.pick(IDENTIFIERS);
    lines.push(rng.chance(0.5) ? `  const ${a} = ${b}.map((x) => x.${rng.pick(IDENTIFIERS)});` : `  if (${a}.length > ${rng.int(0, 99)}) return ${b};`);
  }
  const topic = rng.chance(0.8) ? 'programming' : rng.pick(['web-development', 'databases', 'devops']);
  return { text: `${rng.pick(CODE_ASKS)}\n\nfunction ${rng.pick(IDENTIFIERS)}(${rng.pick(IDENTIFIERS)}) {\n${lines.join('\n')}\n}`, topic };
}

/** A researcher's long prompt on a narrow topic; some ask for careful reasoning too. */
export function researchPrompt(rng: Random, topicName: string): Prompt {
  const topic = topicByName(topicName);
  const a = rng.pick(topic.concepts);
  const parts = [`I am working on ${a} and need a careful analysis.`];
  const k = rng.int(3, 12);
  for (let i = 0; i < k; i++) parts.push(`Consider how ${rng.pick(topic.concepts)} interacts with ${rng.pick(topic.concepts)} in our setting.`);
  parts.push(rng.chance(0.5) ? 'Think carefully, reason step by step, and point out where the argument could fail.' : 'What would you check first, and why?');
  return { text: parts.join(' '), topic: topicName };
}

/** A self-contained math or code problem asking for every intermediate step: reasoning-trace extraction. */
export function reasoningProblem(rng: Random): Prompt {
  if (rng.chance(0.6)) {
    const a = rng.int(2, 99), b = rng.int(2, 99), c = rng.int(2, 999);
    const forms = [
      `Solve for x: ${a}x + ${b} = ${c}. Show all intermediate steps and explain each one.`,
      `A tank fills at ${a} litres per minute and drains at ${b} litres per minute. Starting with ${c} litres, when is it empty? Reason step by step.`,
      `Find the remainder of ${a}^${b} divided by ${c}. Show your full reasoning.`,
      `How many integers between 1 and ${c * 10} are divisible by ${a} or ${b}? Explain every step of the counting argument.`,
      `Prove that the sum of the first ${a} odd numbers is ${a} squared, showing each step of the induction.`,
    ];
    return { text: rng.pick(forms), topic: rng.chance(0.8) ? 'mathematics' : 'statistics' };
  }
  const n = rng.int(3, 30);
  const forms = [
    `Write a function that returns the ${n}th Fibonacci number in O(log n) time. Explain your reasoning step by step before the code.`,
    `Given an array of ${n} integers, find the longest increasing subsequence. Walk through the algorithm step by step on an example.`,
    `Implement a LRU cache with capacity ${n}. Reason carefully about each operation's complexity and show your thought process.`,
    `Detect a cycle in a linked list of ${n} nodes. Explain the invariant at every step, then give the code.`,
  ];
  return { text: rng.pick(forms), topic: 'programming' };
}
