import { describe, expect, it } from 'vitest';
import { REASONING_REQUEST } from '../../src/features/promptAnalysis.ts';
import { event, featuresOf, T0 } from './traffic.ts';

describe('elicitation features', () => {
  it('counts a request with logprobs and n=4 in logprobs_share and multi_n_share', () => {
    const f = featuresOf([
      event({ logprobs: true, top_logprobs: 5, n: 4 }),
      event({ event_time: T0 + 1 }),
      event({ event_time: T0 + 2, top_logprobs: 3 }),
      event({ event_time: T0 + 3, logprobs: false, n: 1 }),
    ]);
    expect(f.logprobs_share).toBe(0.5);
    expect(f.multi_n_share).toBe(0.25);
    expect(f.top_logprobs_mean).toBe(2);
  });

  it('reads high reasoning effort and the mean requested completion length', () => {
    const f = featuresOf([
      event({ reasoning_effort: 'high', max_tokens: 8000 }),
      event({ event_time: T0 + 1, reasoning_effort: 'low', max_tokens: 2000 }),
      event({ event_time: T0 + 2 }),
    ]);
    expect(f.high_effort_share).toBeCloseTo(1 / 3);
    expect(f.max_tokens_log).toBeCloseTo(Math.log1p(5000));
  });

  it.each([
    'Think step by step.',
    'Solve this. Show your work.',
    'Please EXPLAIN YOUR REASONING before answering',
    'use chain-of-thought and be thorough',
    'Walk me through the derivation',
    'give a detailed explanation of the proof',
    'Explain in detail how TCP works',
    'step-by-step, what is 17 * 23?',
    'Solve for x and explain each step.',
    'Show all intermediate steps.',
    'Include the full chain of reasoning.',
    'Give a fully worked example of Bayes rule.',
    'Reason carefully through each case.',
  ])('recognises a request for reasoning: %s', (prompt) => {
    expect(REASONING_REQUEST.test(prompt)).toBe(true);
  });

  it.each([
    'What is the capital of France?',
    'Summarise this review in one sentence.',
    'Write a poem about stepping stones and workshops.',
    'Rewrite this email so it sounds friendlier.',
  ])('does not see reasoning requests in an ordinary prompt: %s', (prompt) => {
    expect(REASONING_REQUEST.test(prompt)).toBe(false);
  });

  it('measures reasoning_share over the prompts whose text was sent', () => {
    const f = featuresOf([
      event({ prompt_text: 'Prove it step by step.' }),
      event({ event_time: T0 + 1, prompt_text: 'Hello there' }),
      event({ event_time: T0 + 2, prompt_simhash: '0123456789abcdef' }),
      event({ event_time: T0 + 3 }),
    ]);
    expect(f.reasoning_share).toBe(0.5);
  });
});
