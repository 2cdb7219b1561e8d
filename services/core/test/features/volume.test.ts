import { describe, expect, it } from 'vitest';
import { event, featuresOf, MINUTE, T0 } from './traffic.ts';

describe('volume features', () => {
  it('log-scales requests, tokens and spend', () => {
    const f = featuresOf([
      event({ input_tokens: 100, output_tokens: 400, cost_usd: 0.5 }),
      event({ event_time: T0 + MINUTE, input_tokens: 300, output_tokens: 1200, cost_usd: 1.5 }),
    ]);
    expect(f.requests_log).toBeCloseTo(Math.log1p(2));
    expect(f.output_tokens_log).toBeCloseTo(Math.log1p(1600));
    expect(f.spend_log).toBeCloseTo(Math.log1p(2));
    expect(f.output_input_ratio).toBeCloseTo(Math.log1p(4));
  });

  it('defines every volume feature for a single request', () => {
    const f = featuresOf([event({ input_tokens: 0, output_tokens: 0, cost_usd: 0 })]);
    for (const name of ['requests_log', 'output_tokens_log', 'spend_log', 'output_input_ratio']) expect(Number.isFinite(f[name])).toBe(true);
    expect(f.output_input_ratio).toBe(0);
  });
});
