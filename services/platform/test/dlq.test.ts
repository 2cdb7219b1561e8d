// The dead-letter record shape of `usage-events.dlq` (schemas/README.md, CONTRACT.md section 2).
import { describe, expect, it } from 'vitest';
import { cutRaw, deadLetterMessage, deadLetterTopic, encodeDeadLetter, rawFromBytes } from '../src/dlq.ts';

describe('dead letters', () => {
  it('carries the line, reason, field and raw text of a bad line found by produce', () => {
    const value = encodeDeadLetter({ line: 7, reason: 'negative value', field: 'input_tokens', raw: '{"input_tokens":-1}', source: 'produce' });
    expect(value.toString('utf8')).toBe(
      '{"line":7,"reason":"negative value","field":"input_tokens","raw":"{\\"input_tokens\\":-1}","source":"produce"}',
    );
  });

  it('carries the source partition and offset of a bad record found by a service, with a null line', () => {
    const json = JSON.parse(encodeDeadLetter({ line: null, reason: 'late', raw: '', source: 'aggregator', partition: 3, offset: 1207 }).toString());
    expect(json).toEqual({ line: null, reason: 'late', raw: '', source: 'aggregator', partition: 3, offset: 1207 });
  });

  it('keeps at most 1,000 characters of the input and never splits a surrogate pair', () => {
    expect(cutRaw('x'.repeat(1500))).toHaveLength(1000);
    const emojiAcrossTheLimit = 'x'.repeat(999) + '😀' + 'tail';
    expect(cutRaw(emojiAcrossTheLimit)).toBe('x'.repeat(999));
    expect(rawFromBytes(Buffer.from([0, 1, 2, 255]))).toBe('AAEC/w==');
  });

  it('goes to usage-events.dlq under the configured prefix, unkeyed for lines of a file', () => {
    expect(deadLetterTopic({ topicPrefix: 'staging.' })).toBe('staging.usage-events.dlq');
    expect(deadLetterMessage({ line: 1, reason: 'invalid JSON', raw: '{', source: 'produce' }).key).toBeNull();
  });
});
