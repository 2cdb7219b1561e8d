// The three labs of the held-out world and what each one sends: its models and prices, its own
// topic labels (or none), whether it withholds prompt text (then only the contract's SimHash),
// how it hashes payment instruments and network prefixes, and how it writes event_time.
// It must never decide behaviour: accounts ask for a model tier, the lab names and bills it.
import { opaqueHash } from './simhash.ts';
import type { Topic } from './vocabulary.ts';

export type LabName = 'lab-a' | 'lab-b' | 'lab-c';
export const LAB_NAMES: readonly LabName[] = ['lab-a', 'lab-b', 'lab-c'];

/** What an account asks for; each lab serves it with its own model. */
export type Tier = 'reasoning' | 'large' | 'small' | 'embed';
export type Endpoint = 'chat' | 'completions' | 'responses' | 'batch' | 'embeddings';

interface Model {
  name: string;
  /** US dollars per million input and output tokens. */
  input: number;
  output: number;
  /** Whether the API takes reasoning_effort. */
  reasoning: boolean;
}

export interface Lab {
  name: LabName;
  models: Record<Tier, Model>;
  /** Endpoints this lab offers; a request for another goes to `fallback`. */
  endpoints: readonly Endpoint[];
  fallback: Endpoint;
  /** The lab's own label for a topic, or null where it sends none. */
  topicLabel: (topic: Topic) => string | null;
  /** Share of prompts its topic classifier labels at all. */
  topicCoverage: number;
  withholdsText: boolean;
  isoTimes: boolean;
  /** Labs sharing a payment key produce the same fingerprint for the same instrument. */
  paymentKey: string;
  hashesNetwork: boolean;
  /** Batch discount on both token prices. */
  batchDiscount: number;
}

const title = (key: string): string => key.split('_').map((w) => w[0]?.toUpperCase() + w.slice(1)).join(' ');

export const LABS: Record<LabName, Lab> = {
  'lab-a': {
    name: 'lab-a',
    models: {
      reasoning: { name: 'atlas-4-think', input: 12, output: 60, reasoning: true },
      large: { name: 'atlas-4', input: 3, output: 15, reasoning: false },
      small: { name: 'atlas-4-mini', input: 0.25, output: 1.25, reasoning: false },
      embed: { name: 'atlas-embed-2', input: 0.02, output: 0, reasoning: false },
    },
    endpoints: ['chat', 'responses', 'batch', 'embeddings'],
    fallback: 'chat',
    topicLabel: (t) => `${title(t.domain)} / ${title(t.key)}`,
    topicCoverage: 0.93,
    withholdsText: false,
    isoTimes: false,
    paymentKey: 'shared-ab',
    hashesNetwork: false,
    batchDiscount: 0.5,
  },
  'lab-b': {
    name: 'lab-b',
    models: {
      reasoning: { name: 'borealis-r2', input: 8, output: 32, reasoning: true },
      large: { name: 'borealis-2-pro', input: 2.5, output: 10, reasoning: false },
      small: { name: 'borealis-2-flash', input: 0.15, output: 0.6, reasoning: false },
      embed: { name: 'borealis-embed', input: 0.05, output: 0, reasoning: false },
    },
    endpoints: ['chat', 'completions', 'batch', 'embeddings'],
    fallback: 'chat',
    // A coarse taxonomy of its own: the domain only, in its own words.
    topicLabel: (t) => `cat:${t.domain.slice(0, 4)}`,
    topicCoverage: 0.8,
    withholdsText: true,
    isoTimes: false,
    paymentKey: 'shared-ab',
    hashesNetwork: true,
    batchDiscount: 0.5,
  },
  'lab-c': {
    name: 'lab-c',
    models: {
      reasoning: { name: 'cirrus-deep-1', input: 5, output: 25, reasoning: true },
      large: { name: 'cirrus-m', input: 1.2, output: 4.8, reasoning: false },
      small: { name: 'cirrus-s', input: 0.1, output: 0.4, reasoning: false },
      embed: { name: 'cirrus-embed', input: 0.01, output: 0, reasoning: false },
    },
    endpoints: ['responses', 'chat', 'embeddings'],
    fallback: 'responses',
    topicLabel: () => null,
    topicCoverage: 0,
    withholdsText: false,
    isoTimes: true,
    paymentKey: 'own-c',
    hashesNetwork: false,
    batchDiscount: 1,
  },
};

export function servedEndpoint(lab: Lab, wanted: Endpoint): Endpoint {
  return lab.endpoints.includes(wanted) ? wanted : lab.fallback;
}

/** Billed amount in dollars, rounded to a millionth. */
export function priceOf(lab: Lab, tier: Tier, endpoint: Endpoint, inputTokens: number, outputTokens: number): number {
  const m = lab.models[tier];
  const discount = endpoint === 'batch' ? lab.batchDiscount : 1;
  const cost = ((inputTokens * m.input + outputTokens * m.output) / 1e6) * discount;
  return Math.round(cost * 1e6) / 1e6;
}

export function paymentFingerprint(lab: Lab, instrument: string): string {
  return opaqueHash(`${lab.paymentKey}|${instrument}`);
}

export function networkPrefix(lab: Lab, prefix: string): string {
  return lab.hashesNetwork ? `h:${opaqueHash(`net-b|${prefix}`)}` : prefix;
}
