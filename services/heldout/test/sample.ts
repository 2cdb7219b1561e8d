// One small held-out file shared by the tests of a file: two days at a tenth of the population
// (every kind and every campaign still present), parsed once.
import { generateHeldout, type HeldoutOutput } from '../src/index.ts';

export interface Parsed {
  output: HeldoutOutput;
  /** Valid events in file order, duplicates included. */
  events: Record<string, unknown>[];
}

let cached: Parsed | undefined;

export function sample(): Parsed {
  if (cached !== undefined) return cached;
  const output = generateHeldout({ seed: 7, days: 2, scale: 0.1, eventsFile: 'events.ndjson' });
  const events: Record<string, unknown>[] = [];
  for (const line of output.lines) {
    try {
      const e = JSON.parse(line) as Record<string, unknown>;
      if (typeof e['account_id'] === 'string' && Number.isInteger(e['input_tokens']) && (e['input_tokens'] as number) >= 0 && Number.isInteger(e['output_tokens']) && Number.isFinite(typeof e['event_time'] === 'number' ? e['event_time'] : Date.parse(e['event_time'] as string))) events.push(e);
    } catch {
      // a malformed line: the contract test counts these
    }
  }
  cached = { output, events };
  return cached;
}
