// The part of @distillwatch/core that a parse worker of `detect --threads` runs: line
// validation and prompt analysis, and the prepared-event form in which their results travel.
// An entry of its own because a worker thread loads what it imports: the whole core (forest,
// scoring, campaigns, federation) cost a parse worker about 0.5 s of CPU before its first line.
// Must never export anything that the whole-core entry (index.ts) does not export too.
export { parseUsageEventLine } from './events/parse.ts';
export type { ParseResult, Rejection } from './events/parse.ts';
export { promptFactsOf } from './features/promptAnalysis.ts';
export type { PromptFacts } from './features/promptAnalysis.ts';
export { PROMPT_FACTS } from './events/preparedEvent.ts';
export type { PreparedEvent } from './events/preparedEvent.ts';
