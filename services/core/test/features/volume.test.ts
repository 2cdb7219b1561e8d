import { describe, expect, it } from 'vitest';
import { VOLUME_FEATURES } from '../../src/features/volume.ts';
import { event, featuresOf, MINUTE, T0 } from './traffic.ts';

describe('volume features', () => {
  it('log-scales requests, tokens and spend', () => {
    const f = featuresOf([
      event({ input_tokens: 100, output_tokens: 400, cost_usd: 0.5 }),
      event({ event_time: T0 + MINUTE, input_tokens: 300, output_tokens: 1200, cost_usd: 1.5 }),
    ]);
    expect(f.requests_log).toBeCloseTo(Math.log1p(2));
    expect(f.input_tokens_log).toBeCloseTo(Math.log1p(400));
    expect(f.output_tokens_log).toBeCloseTo(Math.log1p(1600));
    expect(f.spend_log).toBeCloseTo(Math.log1p(2));
    expect(f.output_input_ratio).toBeCloseTo(Math.log1p(4));
  });

  it('takes the busiest minute as the peak rate, also when events arrive slightly out of order', () => {
    const times = [0, 1, 2, 61, 3, 62, 4, 125].map((s) => T0 + s * 1000);
    const f = featuresOf(times.map((t) => event({ event_time: t })));
    expect(f.peak_rpm_log).toBeCloseTo(Math.log1p(5));
  });

  it('counts 4xx and 5xx responses, rate limits included, as errors', () => {
    const f = featuresOf([200, 429, 500, null].map((status, i) => event({ event_time: T0 + i, status })));
    expect(f.error_share).toBe(0.5);
  });

  it('defines every volume feature for a single request', () => {
    const f = featuresOf([event({ input_tokens: 0, output_tokens: 0, cost_usd: 0 })]);
    for (const name of VOLUME_FEATURES) expect(Number.isFinite(f[name])).toBe(true);
    expect(f.output_input_ratio).toBe(0);
  });
});
