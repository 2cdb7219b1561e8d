/**
 * A usage event whose prompt was analysed before it reached the window assembler: `detect
 * --threads N` validates events and hashes their prompts in worker threads, and hands the
 * assembling thread each event without its prompt text but with the prompt's facts under
 * PROMPT_FACTS. `promptFactsOf` returns those facts instead of reading the text again.
 *
 * The facts must be exactly what `promptFactsOf` gives for the original event (the worker
 * computes them with that very function), so a prepared event and the original one fold
 * into identical windows. Must never carry facts computed any other way, nor prompt text.
 */
import type { UsageEvent } from '../schemas.generated.ts';
import type { PromptFacts } from '../features/promptAnalysis.ts';

/** Key of the prompt facts on a prepared event (a symbol: never serialised with the event). */
export const PROMPT_FACTS: unique symbol = Symbol('promptFacts');

export type PreparedEvent = UsageEvent & { readonly [PROMPT_FACTS]: PromptFacts };

/** The facts a prepared event carries, or undefined for an ordinary event. */
export function preparedPromptFacts(event: UsageEvent): PromptFacts | undefined {
  return (event as Partial<PreparedEvent>)[PROMPT_FACTS];
}
