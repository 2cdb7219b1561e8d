// Turns one request of one account into the usage event its lab would send (CONTRACT.md §2):
// the lab's model name and price, reasoning tokens counted into the completion, the prompt as
// text or as the contract's SimHash, the lab's topic label, hashed payment and network identity.
// It must never add a field the contract lacks, nor leave out a required one.
import type { Account, Request } from './account.ts';
import { LABS, networkPrefix, paymentFingerprint, priceOf, servedEndpoint } from './labs.ts';
import type { Random } from './random.ts';
import { opaqueHash, promptSimhash } from './simhash.ts';

/** What the session fixes for all its requests: the key, network and client in use. */
export interface Connection {
  apiKey: string;
  ipPrefix: string;
  userAgent: string;
}

export interface Emitted {
  /** The event as a JSON object, fields in contract order. */
  event: Record<string, unknown>;
  cost: number;
}

const REASONING_FACTOR = { low: 0.4, medium: 1.1, high: 2.2 } as const;

export function emit(rng: Random, account: Account, conn: Connection, req: Request, eventId: string, time: number): Emitted {
  const lab = LABS[account.lab];
  const model = lab.models[req.tier];
  const endpoint = req.tier === 'embed' ? 'embeddings' : servedEndpoint(lab, req.endpoint);
  const n = req.n ?? 1;
  let output = req.tier === 'embed' ? 0 : req.outputTokens * n;
  const effort = model.reasoning ? (req.reasoningEffort ?? 'medium') : undefined;
  if (effort !== undefined) output += Math.round(output * REASONING_FACTOR[effort] * rng.logNormal(1, 0.3));
  if (req.maxTokens !== undefined) output = Math.min(output, req.maxTokens * n);
  let status = req.status ?? 200;
  if (status === 200 && rng.chance(0.004)) status = [429, 429, 429, 500, 503, 400][rng.int(0, 5)] as number;
  if (status !== 200) output = 0;
  const cost = status === 200 ? priceOf(lab, req.tier, endpoint, req.inputTokens, output) : 0;

  const e: Record<string, unknown> = {
    event_id: eventId,
    event_time: lab.isoTimes ? new Date(time).toISOString() : time,
    lab: account.lab,
    account_id: account.accountId,
    api_key_id: conn.apiKey,
    model: model.name,
    endpoint,
    input_tokens: req.inputTokens,
    output_tokens: output,
    cost_usd: cost,
  };
  if (req.tier !== 'embed') {
    if (req.temperature !== undefined) e['temperature'] = req.temperature;
    if (req.topP !== undefined) e['top_p'] = req.topP;
    if (req.maxTokens !== undefined) e['max_tokens'] = req.maxTokens;
    if (req.n !== undefined) e['n'] = req.n;
    if (req.logprobs !== undefined) e['logprobs'] = req.logprobs;
    if (req.topLogprobs !== undefined) e['top_logprobs'] = req.topLogprobs;
    if (effort !== undefined) e['reasoning_effort'] = effort;
  }
  if (lab.withholdsText) e['prompt_simhash'] = promptSimhash(req.prompt);
  else e['prompt_text'] = req.prompt;
  if (req.topic !== null && rng.chance(lab.topicCoverage)) {
    const label = lab.topicLabel(req.topic);
    if (label !== null) e['topic'] = label;
  }
  if (req.systemPrompt !== undefined) e['system_prompt_hash'] = opaqueHash(`${account.lab}|sys|${req.systemPrompt}`);
  e['ip_prefix'] = networkPrefix(lab, conn.ipPrefix);
  e['user_agent'] = conn.userAgent;
  e['payment_fingerprint'] = paymentFingerprint(lab, account.identity.instrument);
  if (account.identity.country !== null && account.lab !== 'lab-b') e['country'] = account.identity.country;
  e['status'] = status;
  return { event: e, cost };
}
