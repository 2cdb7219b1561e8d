// One simulated account: who it is (identity), when it sends (schedule) and what it asks
// (behaviour). It turns each request into a contract-valid UsageEvent, pricing it from the
// lab's price list and dressing it in the fields that lab sends. Draws only from its own
// Random stream, so its events do not depend on the other actors.
import { simHashHex, type UsageEvent } from '@distillwatch/core';
import type { Prompt } from './prompts.ts';
import { costUsd, labProfile, modelOf, type LabProfile, type ModelTier } from './prices.ts';
import { hexId, Random } from './random.ts';
import type { Schedule } from './schedules.ts';

export const BENIGN_ARCHETYPES = ['individual', 'saas_app', 'eval_runner', 'coding_assistant', 'researcher', 'multi_lab_company'] as const;
export const CAMPAIGN_ARCHETYPES = ['coverage_sweep', 'cross_lab_split', 'account_swarm', 'slow_and_low', 'eval_mimicry'] as const;
/** The wider customer base of the `wide` scenarios (src/customers/). */
export const WIDE_BENIGN_ARCHETYPES = [
  'coding_agent', 'deep_researcher', 'safety_eval_firm', 'enterprise_rag', 'translation_service', 'batch_pipeline',
  'tutoring_app', 'support_bot', 'content_studio', 'agent_platform', 'labelling_vendor', 'cloud_startup',
] as const;
/** Campaigns that share no identity, hide in a genuine stream, or pass for an eval runner (src/campaigns/). */
export const WIDE_CAMPAIGN_ARCHETYPES = ['churn', 'topic_sharded', 'reseller', 'eval_runner_mimicry'] as const;
export type BenignArchetype = (typeof BENIGN_ARCHETYPES)[number] | (typeof WIDE_BENIGN_ARCHETYPES)[number];
export type CampaignArchetype = (typeof CAMPAIGN_ARCHETYPES)[number] | (typeof WIDE_CAMPAIGN_ARCHETYPES)[number];
export type Archetype = BenignArchetype | CampaignArchetype;

export interface Identity {
  lab: string;
  account_id: string;
  apiKeys: readonly string[];
  ipPrefixes: readonly string[];
  userAgents: readonly string[];
  paymentFingerprint: string;
  country: string;
}

/** What one request asks for; the actor turns it into tokens, cost and an event. */
export interface RequestShape {
  prompt: Prompt;
  tier: ModelTier;
  endpoint: 'chat' | 'completions' | 'responses' | 'batch' | 'embeddings';
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  n?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  reasoning_effort?: 'low' | 'medium' | 'high';
  /** Name of the system prompt in use (hashed into system_prompt_hash), if any. */
  systemPrompt?: string;
  /** Input tokens beyond the prompt text: documents, code context, system prompt. */
  contextTokens: number;
  /** Median completion tokens per choice, before reasoning effort. */
  outputMedian: number;
}

/**
 * A usage event as a lab writes it to NDJSON: a UsageEvent, except that some labs write
 * event_time as an ISO-8601 string, which the contract allows.
 */
export type SimulatedEvent = Omit<UsageEvent, 'event_time'> & { event_time: number | string };

export type Behaviour = (rng: Random, time: number) => RequestShape;

export interface ActorSpec {
  /** Unique name inside the scenario; seeds the actor's Random. */
  name: string;
  archetype: Archetype;
  campaignId: string | null;
  /** The real-world owner (a person, a company, a campaign's operator). */
  entity: string;
  identity: Identity;
  /** First possible event time (epoch ms). */
  start: number;
  /** Events stop before this time. */
  end: number;
  schedule: Schedule;
  behaviour: Behaviour;
  /** Share of requests rejected with 429 (rate limits bite the heavy users). */
  rateLimitShare: number;
}

const EFFORT_MULTIPLIER = { low: 1, medium: 2, high: 4 } as const;

export class Actor {
  readonly spec: ActorSpec;
  /** Position in the scenario (deterministic tie-break between equal times). */
  readonly index: number;
  /** Time of the next event, Infinity when done. */
  nextTime: number;
  /** Events emitted so far. */
  emitted = 0;
  private readonly rng: Random;
  private readonly lab: LabProfile;
  private readonly idPrefix: string;

  constructor(spec: ActorSpec, index: number, seed: number) {
    this.spec = spec;
    this.index = index;
    this.rng = Random.derive(seed, spec.name + '/run');
    this.lab = labProfile(spec.identity.lab);
    this.idPrefix = 'req_' + hexId(`${seed}/${spec.name}/events`, 8) + index.toString(36) + '_';
    this.nextTime = this.clip(spec.schedule.next(this.rng, spec.start));
  }

  /** The event at `nextTime`; call `advance` afterwards. */
  emit(): SimulatedEvent {
    const rng = this.rng;
    const spec = this.spec;
    const id = spec.identity;
    const shape = spec.behaviour(rng, this.nextTime);
    const price = modelOf(id.lab, shape.tier);
    const promptTokens = Math.max(1, Math.round((shape.prompt.text.length / 4) * rng.uniform(0.9, 1.1)));
    const inputTokens = promptTokens + Math.max(0, Math.round(shape.contextTokens));
    const roll = rng.next();
    const status = roll < spec.rateLimitShare ? 429 : roll < spec.rateLimitShare + 0.002 ? 500 : 200;
    let outputTokens = 0;
    if (status === 200 && shape.tier !== 'embedding') {
      const choices = shape.n ?? 1;
      const effort = shape.reasoning_effort ? EFFORT_MULTIPLIER[shape.reasoning_effort] : 1;
      for (let c = 0; c < choices; c++) {
        let one = Math.max(1, Math.round(rng.logNormal(shape.outputMedian * effort, 0.6)));
        if (shape.max_tokens !== undefined) one = Math.min(one, shape.max_tokens);
        outputTokens += one;
      }
    }
    const cost = status === 200 ? costUsd(price, inputTokens, outputTokens, shape.endpoint === 'batch') : 0;

    // Field order is fixed by construction, so equal inputs give byte-identical JSON.
    const event: SimulatedEvent = {
      event_id: this.idPrefix + this.emitted.toString(36),
      event_time: this.lab.isoEventTime ? new Date(this.nextTime).toISOString() : this.nextTime,
      lab: id.lab,
      account_id: id.account_id,
      api_key_id: id.apiKeys.length === 1 ? id.apiKeys[0]! : rng.pick(id.apiKeys),
      model: price.model,
      endpoint: shape.endpoint,
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      cost_usd: cost,
    };
    if (shape.temperature !== undefined) event.temperature = shape.temperature;
    if (shape.top_p !== undefined) event.top_p = shape.top_p;
    if (shape.max_tokens !== undefined) event.max_tokens = shape.max_tokens;
    if (shape.n !== undefined) event.n = shape.n;
    if (shape.logprobs !== undefined) event.logprobs = shape.logprobs;
    if (shape.top_logprobs !== undefined) event.top_logprobs = shape.top_logprobs;
    if (shape.reasoning_effort !== undefined) event.reasoning_effort = shape.reasoning_effort;
    if (this.lab.sendsPromptText) event.prompt_text = shape.prompt.text;
    if (this.lab.sendsPromptSimhash) event.prompt_simhash = simHashHex(shape.prompt.text);
    if (this.lab.sendsTopic) event.topic = shape.prompt.topic;
    if (shape.systemPrompt !== undefined) event.system_prompt_hash = 'sp_' + hexId(shape.systemPrompt, 12);
    event.ip_prefix = id.ipPrefixes.length === 1 ? id.ipPrefixes[0]! : id.ipPrefixes[rng.weightedIndex(PREFIX_WEIGHTS.slice(0, id.ipPrefixes.length))]!;
    event.user_agent = id.userAgents.length === 1 ? id.userAgents[0]! : rng.pick(id.userAgents);
    event.payment_fingerprint = id.paymentFingerprint;
    event.country = id.country;
    event.status = status;
    this.emitted++;
    return event;
  }

  advance(): void {
    this.nextTime = this.clip(this.spec.schedule.next(this.rng, this.nextTime));
  }

  /** Whole milliseconds (the contract's event_time), Infinity once past the end. */
  private clip(t: number): number {
    const ms = Math.round(t);
    return ms < this.spec.end ? ms : Infinity;
  }
}

/** The first network prefix is home; later ones (mobile, travel, VPN) are used less. */
const PREFIX_WEIGHTS = [10, 3, 1, 1, 1, 1];
