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

const model = (name: string, input: number, output: number, reasoning = false): Model => ({ name, input, output, reasoning });

// One lab a block: what it offers, its models and prices, how it labels topics and writes times,
// and how it hashes what it sends.
export const LABS: Record<LabName, Lab> = {
  'lab-a': {
    name: 'lab-a', endpoints: ['chat', 'responses', 'batch', 'embeddings'], fallback: 'chat', batchDiscount: 0.5,
    models: { reasoning: model('atlas-4-think', 12, 60, true), large: model('atlas-4', 3, 15), small: model('atlas-4-mini', 0.25, 1.25), embed: model('atlas-embed-2', 0.02, 0) },
    topicLabel: (t) => `${title(t.domain)} / ${title(t.key)}`, topicCoverage: 0.93, withholdsText: false, isoTimes: false,
    paymentKey: 'shared-ab', hashesNetwork: false,
  },
  'lab-b': {
    name: 'lab-b', endpoints: ['chat', 'completions', 'batch', 'embeddings'], fallback: 'chat', batchDiscount: 0.5,
    models: { reasoning: model('borealis-r2', 8, 32, true), large: model('borealis-2-pro', 2.5, 10), small: model('borealis-2-flash', 0.15, 0.6), embed: model('borealis-embed', 0.05, 0) },
    // A coarse taxonomy of its own: the domain only, in its own words.
    topicLabel: (t) => `cat:${t.domain.slice(0, 4)}`, topicCoverage: 0.8, withholdsText: true, isoTimes: false,
    paymentKey: 'shared-ab', hashesNetwork: true,
  },
  'lab-c': {
    name: 'lab-c', endpoints: ['responses', 'chat', 'embeddings'], fallback: 'responses', batchDiscount: 1,
    models: { reasoning: model('cirrus-deep-1', 5, 25, true), large: model('cirrus-m', 1.2, 4.8), small: model('cirrus-s', 0.1, 0.4), embed: model('cirrus-embed', 0.01, 0) },
    topicLabel: () => null, topicCoverage: 0, withholdsText: false, isoTimes: true,
    paymentKey: 'own-c', hashesNetwork: false,
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
