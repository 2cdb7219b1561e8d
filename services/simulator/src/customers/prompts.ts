// Prompt text for the wider customer base (src/customers/). Like src/prompts.ts, what tells a
// customer from a campaign is behaviour (templates reused, items replayed, topics kept narrow
// or broad for a reason), never a marker word: many customers here ask for step-by-step
// reasoning, cover many topics or sweep a field's terms, exactly as campaigns do.
import { casualPrompt, codingPrompt, type Prompt } from '../prompts.ts';
import type { Random } from '../random.ts';
import { TOPICS, topicByName } from '../vocabulary.ts';

/** One turn of a coding agent: a tool result or an instruction, over the repository's code. */
export function agentTurn(rng: Random, toolTurn: boolean): Prompt {
  const code = codingPrompt(rng);
  if (!toolTurn) return code;
  const tools = ['read_file', 'run_tests', 'grep', 'apply_patch', 'list_dir', 'run_shell'];
  const status = rng.pick(['ok', 'ok', 'ok', 'error: 2 failing tests', 'error: exit code 1']);
  return { text: `Tool ${rng.pick(tools)} returned (${status}):\n${code.text}\nContinue with the task.`, topic: code.topic };
}

const FIELD_ANGLES = [
  'Summarise the current understanding of {a} and where the open questions are.',
  'Derive the key result about {a} step by step and check each assumption.',
  'Give the strongest counter-argument to the standard view of {a}, reasoning carefully.',
  'Design an experiment that would test a claim about {a}; think through confounders step by step.',
  'Explain how {a} relates to {b}, with a worked example.',
  'List the failure modes of methods for {a} and reason about which matter most.',
];

const FIELD_DEPTHS = ['', ' Be rigorous.', ' Use a numeric example.', ' Point to the key papers.'];

/**
 * The i-th prompt of a scripted walk over one field: every term of the field under a few
 * fixed angles first (a researcher's batch), then paired with the field's other terms and at
 * other depths. Systematic and exhaustive, but inside one field.
 */
export function fieldStudyPrompt(field: string, index: number): Prompt {
  const concepts = topicByName(field).concepts;
  const n = concepts.length;
  const a = index % n;
  const angle = FIELD_ANGLES[Math.floor(index / n) % FIELD_ANGLES.length]!;
  const pass = Math.floor(index / (n * FIELD_ANGLES.length));
  const b = (a + 1 + (pass % (n - 1))) % n;
  const depth = FIELD_DEPTHS[Math.floor(pass / (n - 1)) % FIELD_DEPTHS.length]!;
  return { text: angle.replaceAll('{a}', concepts[a]!).replaceAll('{b}', concepts[b]!) + depth, topic: field };
}

/** Probe categories a safety-evaluation firm sweeps across every topic. */
export const PROBE_CATEGORIES = [
  'refusal of a clearly harmful request about {a}',
  'over-refusal of a benign question about {a}',
  'factual accuracy under pressure about {a}',
  'sycophancy when the user insists on a wrong claim about {a}',
  'prompt injection hidden in a document about {a}',
  'privacy leakage when asked about a person and {a}',
  'bias in advice about {a} for different demographic groups',
  'jailbreak by role play involving {a}',
  'calibration of confidence on {a}',
  'consistency across paraphrases of a question on {a}',
  'hallucinated citations about {a}',
  'unsafe medical or legal advice touching {a}',
] as const;

/**
 * Probe `item` of a category: fixed text for a given (category, item), so every run of the
 * suite replays the same probes against another model or setting. Items walk all topics.
 */
export function probePrompt(category: number, item: number, withReasoning: boolean): Prompt {
  const topic = TOPICS[item % TOPICS.length]!;
  const concept = topic.concepts[Math.floor(item / TOPICS.length) % topic.concepts.length]!;
  const probe = PROBE_CATEGORIES[category % PROBE_CATEGORIES.length]!.replace('{a}', concept);
  const tail = withReasoning ? ' Explain your reasoning step by step before answering.' : ' Answer directly.';
  return { text: `[probe ${category}.${item}] Scenario testing ${probe}.${tail}`, topic: topic.name };
}

/** An employee's question over retrieved company documents (the documents are context tokens). */
export function documentQuestion(rng: Random, topicName: string): Prompt {
  const q = casualPrompt(rng, topicName);
  return { text: `Use only the documents above. ${q.text} Cite the document ids.`, topic: topicName };
}

const LANGUAGES = ['German', 'French', 'Spanish', 'Japanese', 'Korean', 'Portuguese', 'Italian', 'Dutch', 'Polish', 'Hindi', 'Vietnamese', 'Indonesian'];

/** A localisation request: any topic the customer's content touches, into a target language. */
export function translationPrompt(rng: Random, topicName: string, languages: readonly string[]): Prompt {
  const source = casualPrompt(rng, topicName);
  return { text: `Translate into ${rng.pick(languages)}, keeping formatting and placeholders:\n${source.text}`, topic: topicName };
}

export function targetLanguages(rng: Random): string[] {
  return rng.sample(LANGUAGES, rng.int(1, 6));
}

const PIPELINE_TASKS = [
  'Classify the following record into one of the categories',
  'Extract the named entities and dates from the following record as JSON',
  'Summarise the following record in one sentence',
  'Label the sentiment of the following review as positive, negative or mixed',
  'Tag the following document with up to three topics from the taxonomy',
];

/** A pipeline's fixed instruction over record `record`: what batch classify/extract jobs send. */
export function pipelinePrompt(rng: Random, task: number, record: number, topicName: string): Prompt {
  const topic = topicByName(topicName);
  const body = Array.from({ length: rng.int(2, 6) }, () => rng.pick(topic.concepts)).join('; ');
  return { text: `${PIPELINE_TASKS[task % PIPELINE_TASKS.length]}.\nRecord ${record}: ${body}.`, topic: topicName };
}

export const PIPELINE_TASK_COUNT = PIPELINE_TASKS.length;

/** A student's question through a tutoring app: school subjects, often "step by step". */
export function tutoringPrompt(rng: Random, topicName: string): Prompt {
  const q = casualPrompt(rng, topicName);
  const ask = rng.pick(['Explain step by step.', 'Show me how to solve it, one step at a time.', 'Give me a hint first.', 'Check my answer and explain the mistake.']);
  return { text: `Student (grade ${rng.int(6, 12)}): ${q.text} ${ask}`, topic: topicName };
}

/** A customer's message to a support bot; the conversation so far is context tokens. */
export function supportMessage(rng: Random, topicName: string, product: string): Prompt {
  const q = casualPrompt(rng, topicName);
  return { text: `Customer of ${product}: ${q.text} My order number is ${rng.int(100000, 999999)}.`, topic: topicName };
}

const CONTENT_FORMS = ['a 1,200-word blog post', 'five social media posts', 'a landing page', 'an email newsletter', 'a product comparison article', 'a video script'];

/** A content brief: long-form copy in a client's vertical. */
export function contentBrief(rng: Random, topicName: string): Prompt {
  const topic = topicByName(topicName);
  return { text: `Write ${rng.pick(CONTENT_FORMS)} about ${rng.pick(topic.concepts)} for our client. Tone: ${rng.pick(['friendly', 'expert', 'playful', 'formal'])}. Include a call to action.`, topic: topicName };
}

/** A labelling task: judge or annotate one item, with a short rationale when asked. */
export function labellingPrompt(rng: Random, guideline: number, topicName: string, rationale: boolean): Prompt {
  const topic = topicByName(topicName);
  const item = `${rng.pick(topic.concepts)}: ${rng.pick(topic.concepts)}`;
  return {
    text: `Guideline ${guideline}. Annotate the item below with one label from the schema.${rationale ? ' Give a one-sentence rationale.' : ''}\nItem: ${item}`,
    topic: topicName,
  };
}
