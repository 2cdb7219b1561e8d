import { describe, expect, it } from 'vitest';
import { combineFeatures } from '../../../src/detector/subjects.ts';
import { event, featuresOf, T0 } from '../traffic.ts';
import type { AccountFeatures } from '../../../src/schemas.generated.ts';

const text = (prompt_text: string, i: number) => event({ event_time: T0 + i, prompt_text });
/** A studio's drafts: text sent, n = 4 variants, long answers, no reasoning asked. */
const drafts = Array.from({ length: 8 }, (_, i) => event({ event_time: T0 + i, prompt_text: `Write a product story for client ${i}`, n: 4, max_tokens: 4096 }));

describe('reasoning_asked', () => {
  it('reads a window seen to ask for no reasoning as 1, however it sets n and max_tokens', () => {
    expect(featuresOf(drafts).reasoning_asked).toBe(1);
  });

  it('is 1 + the larger of the phrasing share among text prompts and the high-effort share', () => {
    const f = featuresOf([
      text('Solve this step by step', 0), text('Explain your reasoning: why is the sky blue', 1),
      text('What is the capital of France', 2), text('List three fruits', 3),
    ]);
    expect(f.reasoning_asked).toBe(1.5);
    const effort = featuresOf([event({ reasoning_effort: 'high' }), event({ event_time: T0 + 1 }), event({ event_time: T0 + 2 }), event({ event_time: T0 + 3 })]);
    expect(effort.reasoning_asked).toBe(1.25);
  });

  it('is not observed (0) where neither can be seen: no prompt text and no high-effort request', () => {
    const withheld = featuresOf(Array.from({ length: 6 }, (_, i) => event({ event_time: T0 + i, prompt_simhash: '0123456789abcdef', n: 4, reasoning_effort: 'low' })));
    expect(withheld.reasoning_asked).toBe(0);
  });

  it('gives a campaign its most asking member, and none when a member cannot show it', () => {
    const record = (value: number, events: number) => ({ events, features: { reasoning_asked: value } }) as unknown as AccountFeatures;
    const full = (values: Array<[number, number]>) => values.map(([v, e]) => record(v, e));
    // combineFeatures needs every registered feature; read only the one under test.
    const only = (rs: AccountFeatures[]) => combineFeatures(rs.map((r) => ({ ...r, features: { ...zeros, ...r.features } }))).reasoning_asked;
    expect(only(full([[1, 50], [1.2, 5]]))).toBe(1.2);
    expect(only(full([[1, 50], [0, 5]]))).toBe(0);
  });
});

const zeros: Record<string, number> = Object.fromEntries(Object.keys(featuresOf([event()])).map((k) => [k, 0]));
