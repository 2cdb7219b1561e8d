// The time range of `replay` as users type it: epoch milliseconds or an ISO-8601 instant with a
// zone; anything else is a user error naming the flag.
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../src/commands/replay.ts';
import { UserError } from '../src/errors.ts';

describe('replay --from/--to', () => {
  it('reads epoch milliseconds and ISO-8601 instants with Z or an offset', () => {
    expect(parseInstant('1772409600000', 'from')).toBe(Date.UTC(2026, 2, 2));
    expect(parseInstant('2026-03-02T00:00:00Z', 'from')).toBe(Date.UTC(2026, 2, 2));
    expect(parseInstant('2026-03-02T02:00+02:00', 'to')).toBe(Date.UTC(2026, 2, 2));
  });

  it('rejects a time without a zone, naming the flag', () => {
    expect(() => parseInstant('2026-03-02T00:00', 'to')).toThrow(UserError);
    expect(() => parseInstant('last tuesday', 'from')).toThrow(/^--from: "last tuesday" is neither epoch milliseconds nor an ISO-8601 instant/);
  });
});
