import { describe, expect, it } from 'vitest';
import { accountKey, parseIsoInstant, parseUsageEventLine, parseUsageEventRecord, RAW_LIMIT } from '../../src/events/parse.ts';
import type { ParseResult, Rejection } from '../../src/events/parse.ts';
import type { UsageEvent } from '../../src/schemas.generated.ts';

const minimal = {
  event_id: 'e-1',
  event_time: 1_767_225_600_000, // 2026-01-01T00:00:00Z
  lab: 'lab-a',
  account_id: 'acct-7',
  model: 'frontier-1',
  input_tokens: 120,
  output_tokens: 800,
  cost_usd: 0.0123,
};

function line(fields: Record<string, unknown>): string {
  return JSON.stringify(fields);
}

function eventOf(result: ParseResult): UsageEvent {
  if (result.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

function rejectionOf(result: ParseResult): Rejection {
  if (result.kind !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  return result.rejection;
}

function rejected(fields: Record<string, unknown>): Rejection {
  return rejectionOf(parseUsageEventLine(line(fields), 3));
}

describe('parseUsageEventLine', () => {
  it('accepts a minimal event and fills every optional field with null', () => {
    const event = eventOf(parseUsageEventLine(line(minimal), 1));
    expect(event).toEqual({
      ...minimal,
      api_key_id: null,
      endpoint: null,
      temperature: null,
      top_p: null,
      max_tokens: null,
      n: null,
      logprobs: null,
      top_logprobs: null,
      reasoning_effort: null,
      prompt_text: null,
      prompt_simhash: null,
      topic: null,
      system_prompt_hash: null,
      ip_prefix: null,
      user_agent: null,
      payment_fingerprint: null,
      country: null,
      status: null,
    });
  });

  it('keeps the fields in Avro schema order', () => {
    const event = eventOf(parseUsageEventLine(line({ ...minimal, status: 200, api_key_id: 'k' }), 1));
    expect(Object.keys(event).slice(0, 6)).toEqual([
      'event_id',
      'event_time',
      'lab',
      'account_id',
      'api_key_id',
      'model',
    ]);
    expect(Object.keys(event).at(-1)).toBe('status');
  });

  it('keeps every optional field given with a valid value', () => {
    const full = {
      ...minimal,
      api_key_id: 'key-1',
      endpoint: 'chat',
      temperature: 0.7,
      top_p: 0.95,
      max_tokens: 4096,
      n: 4,
      logprobs: true,
      top_logprobs: 5,
      reasoning_effort: 'high',
      prompt_text: 'Explain step by step',
      prompt_simhash: '0123456789abcdef',
      topic: 'math',
      system_prompt_hash: 'sp-1',
      ip_prefix: '203.0.113.0/24',
      user_agent: 'python-requests/2.32',
      payment_fingerprint: 'pf-9',
      country: 'DE',
      status: 200,
    };
    expect(eventOf(parseUsageEventLine(line(full), 1))).toEqual(full);
  });

  it('treats explicit nulls of optional fields like absent ones', () => {
    const event = eventOf(parseUsageEventLine(line({ ...minimal, topic: null, n: null, logprobs: null }), 1));
    expect(event.topic).toBeNull();
    expect(event.n).toBeNull();
    expect(event.logprobs).toBeNull();
  });

  it('drops unknown extra fields and keeps the event', () => {
    const event = eventOf(parseUsageEventLine(line({ ...minimal, region: 'eu', nested: { a: 1 } }), 1));
    expect(event).not.toHaveProperty('region');
    expect(event).not.toHaveProperty('nested');
  });

  it('reports blank and whitespace-only lines as blank', () => {
    expect(parseUsageEventLine('', 1)).toEqual({ kind: 'blank' });
    expect(parseUsageEventLine('  \t\r', 2)).toEqual({ kind: 'blank' });
  });

  it('tolerates a trailing carriage return from CRLF files', () => {
    expect(eventOf(parseUsageEventLine(`${line(minimal)}\r`, 1)).event_id).toBe('e-1');
  });

  it('rejects text that is not JSON, with the line number and the raw text', () => {
    expect(rejectionOf(parseUsageEventLine('{"event_id": ', 17))).toEqual({
      line: 17,
      reason: 'invalid JSON',
      raw: '{"event_id": ',
    });
  });

  it('rejects JSON values that are not objects', () => {
    for (const text of ['[]', '42', '"x"', 'null', 'true']) {
      expect(rejectionOf(parseUsageEventLine(text, 1)).reason).toBe('not an object');
    }
  });

  it('cuts the raw text of a long bad line to 1,000 characters', () => {
    const text = `not json ${'x'.repeat(5000)}`;
    const rejection = rejectionOf(parseUsageEventLine(text, 1));
    expect(RAW_LIMIT).toBe(1000);
    expect(rejection.raw).toBe(text.slice(0, 1000));
  });

  it('does not split a surrogate pair when cutting the raw text', () => {
    const text = `${'x'.repeat(999)}😀 and more`;
    const raw = rejectionOf(parseUsageEventLine(text, 1)).raw;
    expect(raw).toBe('x'.repeat(999));
  });

  it.each(['event_id', 'event_time', 'lab', 'account_id', 'model', 'input_tokens', 'output_tokens', 'cost_usd'])(
    'rejects an event without the required field %s, or with it null',
    (field) => {
      const { [field]: _dropped, ...without } = minimal as Record<string, unknown>;
      expect(rejected(without)).toMatchObject({ line: 3, reason: 'missing field', field });
      expect(rejected({ ...minimal, [field]: null })).toMatchObject({ reason: 'missing field', field });
    },
  );

  it('reports the first fault in schema field order', () => {
    const { event_id: _id, ...without } = minimal;
    expect(rejected({ ...without, cost_usd: -1 })).toMatchObject({ reason: 'missing field', field: 'event_id' });
  });

  it.each([
    ['event_id', 7],
    ['lab', true],
    ['account_id', {}],
    ['model', ['m']],
    ['input_tokens', '12'],
    ['output_tokens', false],
    ['cost_usd', '0.1'],
    ['event_time', true],
    ['api_key_id', 1],
    ['temperature', '0.5'],
    ['logprobs', 'true'],
    ['logprobs', 1],
    ['n', '2'],
    ['prompt_text', ['a']],
    ['prompt_simhash', 12345],
    ['status', '200'],
  ])('rejects a wrong JSON type in %s', (field, value) => {
    expect(rejected({ ...minimal, [field]: value })).toMatchObject({ reason: 'wrong type', field });
  });

  it.each(['event_id', 'lab', 'account_id'])('rejects an empty %s: it identifies the event or account', (field) => {
    expect(rejected({ ...minimal, [field]: '' })).toMatchObject({ reason: 'empty value', field });
  });

  it('rejects negative tokens and cost', () => {
    expect(rejected({ ...minimal, input_tokens: -1 })).toMatchObject({ reason: 'negative value', field: 'input_tokens' });
    expect(rejected({ ...minimal, output_tokens: -5 })).toMatchObject({ reason: 'negative value', field: 'output_tokens' });
    expect(rejected({ ...minimal, cost_usd: -0.01 })).toMatchObject({ reason: 'negative value', field: 'cost_usd' });
  });

  it('rejects fractional tokens and integer fields', () => {
    for (const field of ['input_tokens', 'output_tokens', 'max_tokens', 'n', 'top_logprobs', 'status']) {
      expect(rejected({ ...minimal, [field]: 1.5 })).toMatchObject({ reason: 'not an integer', field });
    }
  });

  it('rejects non-finite numbers (JSON overflow to Infinity)', () => {
    const text = line(minimal).replace('"cost_usd":0.0123', '"cost_usd":1e999');
    expect(rejectionOf(parseUsageEventLine(text, 4))).toMatchObject({ reason: 'not finite', field: 'cost_usd' });
    const tokens = line(minimal).replace('"input_tokens":120', '"input_tokens":-1e999');
    expect(rejectionOf(parseUsageEventLine(tokens, 4))).toMatchObject({ reason: 'not finite', field: 'input_tokens' });
  });

  it('rejects integers beyond the Avro int range', () => {
    expect(rejected({ ...minimal, output_tokens: 2 ** 31 })).toMatchObject({ reason: 'out of range', field: 'output_tokens' });
    expect(eventOf(parseUsageEventLine(line({ ...minimal, output_tokens: 2 ** 31 - 1 }), 1)).output_tokens).toBe(2 ** 31 - 1);
  });

  it('accepts zero tokens and zero cost', () => {
    const event = eventOf(parseUsageEventLine(line({ ...minimal, input_tokens: 0, output_tokens: 0, cost_usd: 0 }), 1));
    expect([event.input_tokens, event.output_tokens, event.cost_usd]).toEqual([0, 0, 0]);
  });

  it('accepts any finite temperature and top_p', () => {
    const event = eventOf(parseUsageEventLine(line({ ...minimal, temperature: 0, top_p: 1 }), 1));
    expect([event.temperature, event.top_p]).toEqual([0, 1]);
  });

  it('normalises prompt_simhash to lower case and rejects anything but 16 hex digits', () => {
    expect(eventOf(parseUsageEventLine(line({ ...minimal, prompt_simhash: 'DEADBEEF0123ABCD' }), 1)).prompt_simhash).toBe(
      'deadbeef0123abcd',
    );
    for (const bad of ['deadbeef', 'deadbeef0123abcdef', 'deadbeef0123abcg', '0xdeadbeef012345', '']) {
      expect(rejected({ ...minimal, prompt_simhash: bad })).toMatchObject({ reason: 'invalid format', field: 'prompt_simhash' });
    }
  });

  describe('event_time', () => {
    function timeOf(value: unknown): number {
      return eventOf(parseUsageEventLine(line({ ...minimal, event_time: value }), 1)).event_time;
    }

    it('accepts epoch milliseconds', () => {
      expect(timeOf(1_767_225_600_123)).toBe(1_767_225_600_123);
    });

    it('accepts ISO-8601 with Z and with offsets, giving epoch milliseconds', () => {
      expect(timeOf('2026-01-01T00:00:00Z')).toBe(1_767_225_600_000);
      expect(timeOf('2026-01-01T00:00:00.123Z')).toBe(1_767_225_600_123);
      expect(timeOf('2026-01-01T01:00:00+01:00')).toBe(1_767_225_600_000);
      expect(timeOf('2025-12-31T19:30:00-0430')).toBe(1_767_225_600_000);
      expect(timeOf('2026-01-01T09:00+09')).toBe(1_767_225_600_000);
    });

    it('agrees with Date.parse on zoned instants', () => {
      for (const text of ['1999-12-31T23:59:59.999Z', '2024-02-29T12:00:00+05:30', '1970-01-01T00:00:00Z', '1969-07-20T20:17:40Z']) {
        expect(timeOf(text)).toBe(Date.parse(text));
      }
    });

    it('truncates fractions finer than a millisecond', () => {
      expect(timeOf('2026-01-01T00:00:00.123999Z')).toBe(1_767_225_600_123);
      expect(timeOf('2026-01-01T00:00:00.5Z')).toBe(1_767_225_600_500);
    });

    it.each([
      '2026-01-01T00:00:00', // no zone: ambiguous
      '2026-01-01',
      '2026-01-01 00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-02-29T00:00:00Z', // not a leap year
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:60:00Z',
      '2026-01-01T00:00:60Z',
      '2026-01-01T00:00:00+25:00',
      'yesterday',
      '1767225600000',
      '',
    ])('rejects %j as unparseable', (text) => {
      expect(rejected({ ...minimal, event_time: text })).toMatchObject({
        reason: 'unparseable event_time',
        field: 'event_time',
      });
    });

    it('rejects fractional and out-of-range epoch numbers', () => {
      expect(rejected({ ...minimal, event_time: 1.5 })).toMatchObject({ reason: 'not an integer', field: 'event_time' });
      expect(rejected({ ...minimal, event_time: 9e15 })).toMatchObject({ reason: 'out of range', field: 'event_time' });
    });
  });
});

describe('parseUsageEventRecord', () => {
  /** Both results, the record's and its JSON line's; the events compared field by field with Object.is. */
  function both(record: Record<string, unknown>): [ParseResult, ParseResult] {
    return [parseUsageEventRecord(record, 3, () => JSON.stringify(record)), parseUsageEventLine(JSON.stringify(record), 3)];
  }

  it.each([
    ['a plain record', minimal],
    ['optional fields present', { ...minimal, temperature: 0.7, n: 2, logprobs: true, prompt_simhash: 'ABCDEF0123456789', status: 200 }],
    ['NaN in an optional number (JSON writes null)', { ...minimal, temperature: Number.NaN }],
    ['Infinity in an optional number', { ...minimal, top_p: Number.POSITIVE_INFINITY }],
    ['-0 in numbers (JSON writes 0)', { ...minimal, temperature: -0, event_time: -0 }],
    ['NaN in a required number', { ...minimal, cost_usd: Number.NaN }],
    ['an undefined field (JSON drops it)', { ...minimal, status: undefined }],
    ['an empty id', { ...minimal, lab: '' }],
    ['a fractional count', { ...minimal, n: 1.5 }],
  ])('judges %s as its JSON line is judged', (_, record) => {
    const [fromRecord, fromLine] = both(record);
    expect(fromRecord).toEqual(fromLine);
    if (fromRecord.kind === 'event' && fromLine.kind === 'event') {
      for (const [field, value] of Object.entries(fromLine.event)) expect(Object.is(fromRecord.event[field as keyof UsageEvent], value), field).toBe(true);
    }
  });

  it('computes the text only for a rejection', () => {
    let calls = 0;
    parseUsageEventRecord(minimal, 1, () => { calls++; return ''; });
    expect(calls).toBe(0);
  });
});

describe('parseIsoInstant', () => {
  it('handles years before 100 without the Date.UTC century shift', () => {
    expect(parseIsoInstant('0050-01-01T00:00:00Z')).toBe(Date.parse('0050-01-01T00:00:00Z'));
  });
});

describe('accountKey', () => {
  it('is the Kafka key <lab>/<account_id>', () => {
    expect(accountKey('lab-a', 'acct-7')).toBe('lab-a/acct-7');
  });
});
