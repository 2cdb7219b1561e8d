// Hand-built usage traffic for the feature tests: events with sensible defaults, and a helper
// that runs them through the window assembler and the feature extractor like `detect` does.
import type { AccountFeatures, UsageEvent } from '../../src/schemas.generated.ts';
import { accountFeatures, extractFeatures } from '../../src/features/extractFeatures.ts';
import { WindowAssembler } from '../../src/windows/assembler.ts';
import type { ClosedWindow } from '../../src/windows/assembler.ts';
import type { AccountWindow } from '../../src/features/accountWindow.ts';
import type { AccountProfile } from '../../src/features/accountProfile.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** 2026-03-02T00:00:00Z, a window boundary. */
export const T0 = 1_772_409_600_000;

let counter = 0;

export function event(over: Partial<UsageEvent> = {}): UsageEvent {
  counter++;
  return {
    event_id: `e-${counter}`, event_time: T0, lab: 'lab-a', account_id: 'acct-1', api_key_id: null, model: 'model-x',
    endpoint: 'chat', input_tokens: 100, output_tokens: 200, cost_usd: 0.01, temperature: null, top_p: null,
    max_tokens: null, n: null, logprobs: null, top_logprobs: null, reasoning_effort: null, prompt_text: null,
    prompt_simhash: null, topic: null, system_prompt_hash: null, ip_prefix: null, user_agent: null,
    payment_fingerprint: null, country: null, status: null,
    ...over,
  };
}

/** `n` events spread evenly over the hour starting at `start`, built by `make(i)`. */
export function hourOf(n: number, make: (i: number) => Partial<UsageEvent>, start = T0): UsageEvent[] {
  return Array.from({ length: n }, (_, i) => event({ event_time: start + Math.floor((i * HOUR) / n), ...make(i) }));
}

/** A fresh account profile, as the window assembler opens it. */
export function newAccount(lab = 'lab-a', accountId = 'acct-1'): AccountProfile {
  return accountFeatures.openAccount(lab, accountId);
}

/**
 * Closes one hourly window of `profile` holding `events` (all inside the hour that holds the
 * first of them) and returns its record.
 */
export function closeWindow(profile: AccountProfile, events: readonly UsageEvent[]): AccountFeatures {
  const start = Math.floor(events[0]!.event_time / HOUR) * HOUR;
  const window = accountFeatures.openWindow(profile, start, start + HOUR);
  for (const e of events) {
    if (e.event_time < start || e.event_time >= start + HOUR) throw new Error(`test event ${e.event_id} is outside its window`);
    accountFeatures.add(window, e);
  }
  return extractFeatures(window, profile);
}

/** The features of a fresh account's single window holding `events`. */
export function featuresOf(events: readonly UsageEvent[]): Record<string, number> {
  return closeWindow(newAccount(), events).features;
}

/** Runs events (any accounts, any windows) through the window assembler, as `detect` does. */
export function detectFeatures(events: readonly UsageEvent[]): AccountFeatures[] {
  const assembler = new WindowAssembler(accountFeatures, { windowMs: HOUR });
  const records: AccountFeatures[] = [];
  const emit = (closed: readonly ClosedWindow<AccountProfile, AccountWindow>[]) => {
    for (const w of closed) records.push(extractFeatures(w.acc, w.account));
  };
  for (const e of events) {
    const result = assembler.push(e);
    if (result.outcome !== 'accepted') throw new Error(`test traffic event ${e.event_id} was ${result.outcome}`);
    emit(result.closed);
  }
  emit(assembler.flush());
  return records;
}

/** Questions on many subjects, each asked once: a distillation harvest. */
export const SUBJECTS = [
  'algebra', 'botany', 'chemistry', 'databases', 'economics', 'finance', 'genetics', 'history', 'immunology',
  'jurisprudence', 'kinematics', 'linguistics', 'metallurgy', 'neuroscience', 'optics', 'pharmacology',
  'quantum', 'rhetoric', 'statistics', 'thermodynamics', 'urbanism', 'virology', 'welding', 'xenobiology',
  'yoga', 'zoology', 'astronomy', 'biochemistry', 'cryptography', 'dermatology',
];

export function harvestQuestion(i: number): string {
  const subject = SUBJECTS[i % SUBJECTS.length]!;
  return `Question ${i} on ${subject}: describe the ${i * 7919 % 1000}th hardest open problem of ${subject}, its history since ${1800 + (i % 200)}, and why experts in ${SUBJECTS[(i * 7) % SUBJECTS.length]} disagree about case ${i * 31}.`;
}

/** A product's templated call: the same scaffold around a short payload. */
export function saasPrompt(i: number): string {
  return `Summarise the following customer review in one sentence. Review: the blender number ${i % 5} works well. Answer in JSON.`;
}
