// Generated from schemas/*.avsc by scripts/gen-types.ts. Do not edit by hand.

export interface TopicCount {
  topic: string;
  count: number;
}

/** Behaviour of one account over one closed event-time window. Kafka key: '<lab>/<account_id>'. Field meanings: schemas/README.md. */
export interface AccountFeatures {
  lab: string;
  account_id: string;
  /** Epoch ms, inclusive. */
  window_start: number;
  /** Epoch ms, exclusive. */
  window_end: number;
  /** Valid, de-duplicated events in the window. */
  events: number;
  /** Earliest event_time in the window, epoch ms. */
  first_event_time: number;
  /** Latest event_time in the window, epoch ms. */
  last_event_time: number;
  /** Spend in the window. */
  spend_usd_window: number;
  /** Spend over the 30 days ending at window_end (this account, this lab). */
  spend_usd_30d: number;
  /** Behaviour features by name (volume, prompt diversity, coverage, elicitation, timing, identity); names and definitions in schemas/README.md. */
  features: Record<string, number>;
  /** Most frequent topics in the window (at most 32), by count then name. */
  topics: TopicCount[];
  /** Bottom-k sketch (k <= 16) of the account's prompt-template fingerprints, 16 hex digits each, ascending. */
  template_sketch: string[];
  /** Distinct payment fingerprints seen (at most 8, sorted). */
  payment_fingerprints: string[];
  /** Distinct 'ip_prefix|user_agent' pairs seen (at most 8, sorted). */
  network_agents: string[];
}

export interface AccountRef {
  lab: string;
  account_id: string;
}

export type VerdictKind = 'benign' | 'distillation' | 'unsure';
export const VerdictKind_SYMBOLS = ['benign', 'distillation', 'unsure'] as const;

/** An on-call verdict on an alert, fed back into scoring from verdict_time on (event time). Kafka key: subject_id. The note is never copied into alerts. */
export interface AlertVerdict {
  /** When the analyst decided, epoch ms (event time): the verdict applies to windows that end after it. */
  verdict_time: number;
  /** The alert judged. */
  alert_id?: string | null;
  /** The alert's subject: '<lab>/<account_id>' or a campaign id. */
  subject_id: string;
  /** The accounts the verdict covers. */
  accounts: AccountRef[];
  verdict: VerdictKind;
  /** Who decided. */
  analyst?: string | null;
  /** Free text; never copied into alerts, logs or forum records. */
  note?: string | null;
  /** Epoch ms after which the verdict no longer applies. */
  expires_at?: number | null;
}

export type SubjectKind = 'account' | 'campaign';
export const SubjectKind_SYMBOLS = ['account', 'campaign'] as const;

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const Severity_SYMBOLS = ['low', 'medium', 'high', 'critical'] as const;

export interface Reason {
  feature: string;
  value: number;
  /** Population median of the feature in the same window. */
  baseline: number;
  /** Percentile of value in the population, 0-100. */
  percentile: number;
  /** Share of the anomaly score attributed to this feature. */
  contribution: number;
}

export type KycTier = 'consumer' | 'standard' | 'review' | 'enhanced';
export const KycTier_SYMBOLS = ['consumer', 'standard', 'review', 'enhanced'] as const;

/** An explained detection of a likely distillation campaign or account. Kafka key: subject_id. Never carries prompt text. */
export interface DistillationAlert {
  /** Deterministic from subject, window and model version. */
  alert_id: string;
  /** Start of the triggering event-time window, epoch ms (inclusive). */
  window_start: number;
  /** End of the triggering event-time window, epoch ms (exclusive). */
  window_end: number;
  subject_kind: SubjectKind;
  /** '<lab>/<account_id>', or a campaign id stable as the campaign gains members. */
  subject_id: string;
  /** Every account the alert covers. */
  accounts: AccountRef[];
  /** Anomaly score in [0,1]. */
  score: number;
  /** Score threshold in force. */
  threshold: number;
  severity: Severity;
  /** Why, most important first (at least 3). */
  reasons: Reason[];
  spend_usd_window: number;
  spend_usd_30d: number;
  spend_usd_30d_all_labs: number;
  kyc_tier: KycTier;
  model_version: string;
}

export interface ForumTopicCount {
  /** Id in the public topic taxonomy. */
  i: number;
  /** Prompts on it in the window. */
  n: number;
}

/** What one lab sends its federation's forum about one account-window (format version 1). Kafka topic forum.records.<lab>, key: the pseudonym. No prompt text, raw identifier, single-prompt SimHash or free text. Field meanings: schemas/README.md. */
export interface ForumRecord {
  /** Format version (1). */
  v: number;
  /** The sending lab. */
  lab: string;
  /** The account's pseudonym: a token under the lab's own key. */
  acct: string;
  /** Window start, epoch ms (inclusive). */
  ws: number;
  /** Window end, epoch ms (exclusive). */
  we: number;
  /** Events in the window. */
  n: number;
  /** Spend in the window, US dollars to the cent. */
  usd: number;
  /** Spend over 30 days (this account, this lab), US dollars to the cent. */
  usd30: number;
  /** Feature-set id: which feature names f follows, in order. */
  fs: string;
  /** Feature values in the feature set's order, 5 significant digits. */
  f: number[];
  /** Topic mix over the public taxonomy, by count then id. */
  top: ForumTopicCount[];
  /** Template sketch: keyed tokens, ascending. */
  tpl: string[];
  /** Payment-fingerprint tokens under every forum key in force, ascending. */
  pay: string[];
  /** Network-prefix + user-agent tokens under every forum key in force, ascending. */
  net: string[];
}

/** One API request served by a lab. Kafka key: UTF-8 '<lab>/<account_id>'. Record timestamp: event_time. */
export interface UsageEvent {
  /** Unique id of the request within its lab (dedup key). */
  event_id: string;
  /** When the request was received, epoch milliseconds UTC. */
  event_time: number;
  /** Provider that served it, e.g. lab-a. */
  lab: string;
  /** Billing account at that lab; unique only within the lab. */
  account_id: string;
  /** Key used (opaque). */
  api_key_id?: string | null;
  /** Model name. */
  model: string;
  /** chat, completions, responses, batch or embeddings. */
  endpoint?: string | null;
  /** Prompt tokens. */
  input_tokens: number;
  /** Completion tokens (reasoning included). */
  output_tokens: number;
  /** Billed amount for this request, US dollars. */
  cost_usd: number;
  /** Sampling temperature. */
  temperature?: number | null;
  /** Nucleus parameter. */
  top_p?: number | null;
  /** Requested completion limit. */
  max_tokens?: number | null;
  /** Completions requested (default 1). */
  n?: number | null;
  /** Log-probabilities requested. */
  logprobs?: boolean | null;
  /** Alternatives per token requested. */
  top_logprobs?: number | null;
  /** low, medium or high where the API has it. */
  reasoning_effort?: string | null;
  /** The user prompt (labs may withhold it). */
  prompt_text?: string | null;
  /** 16 hex digits: 64-bit SimHash of the prompt (schemas/README.md). */
  prompt_simhash?: string | null;
  /** The lab's own topic label for the prompt. */
  topic?: string | null;
  /** Opaque hash of the system prompt. */
  system_prompt_hash?: string | null;
  /** Client network prefix, e.g. 203.0.113.0/24 (may be hashed). */
  ip_prefix?: string | null;
  /** Client user agent. */
  user_agent?: string | null;
  /** Opaque keyed hash of the payment instrument. */
  payment_fingerprint?: string | null;
  /** ISO-3166 alpha-2. */
  country?: string | null;
  /** HTTP status of the response. */
  status?: number | null;
}
