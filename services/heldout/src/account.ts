// What the model knows about one billing account: who is behind it (entity, identity), when it
// is active (Activity), and how it asks (a Session writer). Benign and campaign populations both
// build these; the generator only runs them. It must never hold events: those are generated.
import type { Endpoint, LabName, Tier } from './labs.ts';
import type { Random } from './random.ts';
import type { Topic } from './vocabulary.ts';

export interface Identity {
  /** The raw payment instrument; each lab hashes it with its own key. */
  instrument: string;
  ipPrefixes: readonly string[];
  userAgents: readonly string[];
  /** ISO-3166 alpha-2, or null where the lab does not know it. */
  country: string | null;
  apiKeys: readonly string[];
}

/** When an account sends, in its owner's local time. */
export interface Activity {
  from: number;
  to: number;
  /** Owner's offset from UTC, hours. */
  tz: number;
  /** Relative weight of each local hour, 24 entries. */
  hourly: readonly number[];
  /** Multiplier of the daily volume on Saturday and Sunday. */
  weekend: number;
  /** Median requests on an active day. */
  perDay: number;
  /** Log-space spread of the daily volume. */
  volatility: number;
  /** Probability that a given day is active at all. */
  dayChance: number;
  /** Mean requests per session. */
  session: number;
  /** Mean gap between requests in a session, ms. */
  gapMs: number;
}

export interface Request {
  tier: Tier;
  endpoint: Endpoint;
  prompt: string;
  topic: Topic | null;
  inputTokens: number;
  outputTokens: number;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  n?: number;
  logprobs?: boolean;
  topLogprobs?: number;
  reasoningEffort?: 'low' | 'medium' | 'high';
  systemPrompt?: string;
  status?: number;
}

/** Writes the requests of one session; `turn` counts from 0. */
export type Session = (rng: Random, at: number, turn: number) => Request;

export interface Account {
  lab: LabName;
  accountId: string;
  kind: 'benign' | 'campaign';
  archetype: string;
  campaignId: string | null;
  /** The real-world party behind the account (several accounts may share one). */
  entity: string;
  identity: Identity;
  activity: Activity;
  /** Starts a session: the account's state (a sweep cursor, say) lives in the closure. */
  session: (rng: Random) => Session;
}

/** Prompt tokens of a text: about 1.3 per word, at least 1. */
export function textTokens(text: string): number {
  let words = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 32) words++;
  return Math.max(1, Math.round(words * 1.3));
}
