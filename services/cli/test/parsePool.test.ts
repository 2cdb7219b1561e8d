// The parse pool of `detect --threads N`: chunks of whole lines split as ndjsonBatches splits
// them, the compact batch form gives back exactly the events parseUsageEventLine made (minus
// prompt text, plus its facts), and the pool hands batches back in file order.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROMPT_FACTS, parseUsageEventLine, preparedPromptFacts, promptFactsOf, type ParseResult } from '@distillwatch/core';
import { BatchDecoder, BatchEncoder, workerStrings } from '../src/io/eventBatch.ts';
import { ReceivedStrings, SentStrings } from '../src/io/stringTable.ts';
import { splitChunkLines } from '../src/io/chunkLines.ts';
import { ndjsonBatches, ndjsonChunks } from '../src/io/ndjsonLines.ts';
import { parsedBatches } from '../src/io/parsePool.ts';

function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) { chunks.push(bytes.subarray(from, p)); from = p; }
  chunks.push(bytes.subarray(from));
  return chunks.filter((c) => c.length > 0);
}

const EVENT = {
  event_id: 'e1', event_time: '2026-03-02T10:00:00Z', lab: 'lab-a', account_id: 'acct-1', api_key_id: 'k1', model: 'm',
  endpoint: 'chat', input_tokens: 10, output_tokens: 20, cost_usd: 0.5, temperature: -0, top_p: 0.9, max_tokens: 100, n: 2,
  logprobs: false, top_logprobs: 3, reasoning_effort: 'high', prompt_text: 'Explain step by step how tides work, in full detail.',
  topic: 'physics', system_prompt_hash: 'sp1', ip_prefix: '10.0.0.0/24', user_agent: 'ua', payment_fingerprint: 'pf', country: 'US', status: 429,
};

const LINES = [
  JSON.stringify(EVENT),
  '',
  '{"event_id": oops',
  JSON.stringify({ ...EVENT, event_id: 'e2', prompt_text: null, prompt_simhash: '00FF00ff00ff00FF', system_prompt_hash: null, logprobs: true }),
  JSON.stringify({ ...EVENT, event_id: 'e3', prompt_text: 'Ünïcödé prömpt: 数学の問題を解いて 🙂', topic: null, temperature: null }),
  JSON.stringify({ ...EVENT, event_id: 'e4', input_tokens: -1 }),
  JSON.stringify({ event_id: 'e5', event_time: 1772445600000, lab: 'lab-b', account_id: 'a', model: 'm', input_tokens: 1, output_tokens: 1, cost_usd: 0 }),
  '   ',
  '[1,2]',
];

describe('ndjsonChunks + splitChunkLines', () => {
  it('give the same lines as ndjsonBatches however the input is cut', async () => {
    const piece = fc.constantFrom('{"a":1}', 'é', '数学', '🙂', ' ', '\r', '\n', '\r\n', 'x'.repeat(50), '\uFEFF');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 12 }), async (pieces, offsets) => {
        const bytes = Buffer.from(pieces.join(''), 'utf8');
        const expected: string[] = [];
        for await (const batch of ndjsonBatches(Readable.from(cut(bytes, offsets)), 'in.ndjson')) expected.push(...batch.map((l) => l.text));
        const got: string[] = [];
        for await (const chunk of ndjsonChunks(Readable.from(cut(bytes, offsets)), 'in.ndjson')) got.push(...splitChunkLines(chunk));
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('BatchEncoder / BatchDecoder', () => {
  it('give back every line as parseUsageEventLine judged it, the prompt text replaced by its facts', () => {
    const encoder = new BatchEncoder(LINES.length, workerStrings());
    const direct: ParseResult[] = LINES.map((l, i) => parseUsageEventLine(l, i + 1));
    for (const p of LINES.map((l, i) => parseUsageEventLine(l, i + 1))) encoder.add(p, p.kind === 'event' ? promptFactsOf(p.event) : null);
    const decoder = new BatchDecoder(encoder.finish(), 100, new ReceivedStrings());
    expect(decoder.lines).toBe(LINES.length);
    expectSameLines(decoder, direct, 100);
  });

  it('send each string once across batches, and start afresh together when the table is full', () => {
    const batchOf = (b: number) => [JSON.stringify({ ...EVENT, event_id: `b${b}`, account_id: `new-${b % 2}` }), ...LINES.slice(1, 4)];
    const roundTrip = (table: ReturnType<typeof workerStrings>, received: ReceivedStrings, b: number) => {
      const direct = batchOf(b).map((l, i) => parseUsageEventLine(l, i + 1));
      const encoder = new BatchEncoder(direct.length, table);
      for (const p of direct) encoder.add(p, p.kind === 'event' ? promptFactsOf(p.event) : null);
      const encoded = encoder.finish();
      expectSameLines(new BatchDecoder(encoded, 0, received), direct, 0);
      return encoded;
    };
    const table = workerStrings(), received = new ReceivedStrings();
    expect(roundTrip(table, received, 0).addedStrings).toContain('new-0');
    expect(roundTrip(table, received, 1).addedStrings).toEqual(['new-1']);
    const again = roundTrip(table, received, 2);
    expect([again.addedStrings, again.freshTable]).toEqual([[], false]);
    // A table of one value is full after every batch: each batch starts it afresh on both sides.
    const tiny = workerStrings(1), tinyReceived = new ReceivedStrings();
    for (let b = 0; b < 3; b++) {
      const encoded = roundTrip(tiny, tinyReceived, b);
      expect(encoded.freshTable).toBe(true);
      expect(tinyReceived.strings).toEqual(encoded.addedStrings);
    }
  });
});

describe('SentStrings', () => {
  it('numbers each value once per field set, also values that share a slot of its cache', () => {
    // Same length and same last three characters: the same cache slot, told apart by content.
    const values = ['acct-a-xyz', 'acct-b-xyz', 'acct-c-xyz', 'ab', 'ab', '', 'x'];
    const table = new SentStrings(2);
    table.beginBatch();
    const first = values.map((v) => table.ref(0, v));
    expect(first).toEqual([0, 1, 2, 3, 3, 4, 5]);
    // Asked again in another order and through another field: the numbers the values were given.
    expect([...values].reverse().map((v) => table.ref(1, v))).toEqual([...first].reverse());
    expect(table.ref(0, null)).toBe(-1);
    expect(table.endBatch()).toEqual({ added: ['acct-a-xyz', 'acct-b-xyz', 'acct-c-xyz', 'ab', '', 'x'], fresh: true });
  });
});

function expectSameLines(decoder: BatchDecoder, direct: ParseResult[], lineBase: number): void {
    direct.forEach((want, i) => {
      const got = decoder.next(i);
      if (want.kind === 'event' && got.kind === 'event') {
        expect(got.event).toEqual({ ...want.event, prompt_text: null, [PROMPT_FACTS]: promptFactsOf(want.event) });
        expect(Object.keys(got.event)).toEqual(Object.keys(want.event));
        expect(preparedPromptFacts(got.event)).toEqual(promptFactsOf(want.event));
        expect(Object.is(got.event.temperature, want.event.temperature)).toBe(true);
      } else if (want.kind === 'rejected' && got.kind === 'rejected') {
        expect(got.rejection).toEqual({ ...want.rejection, line: want.rejection.line + lineBase });
      } else {
        expect(got).toEqual(want);
      }
    });
}

describe('parsedBatches', () => {
  it('hands back the same lines in file order with 1, 2 and 3 threads', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => LINES[i % LINES.length]!.replace('"e1"', `"x${i}"`));
    const bytes = Buffer.from(`${many.join('\r\n')}\n${LINES[0]}`, 'utf8');
    const seen = async (threads: number) => {
      const out: unknown[] = [];
      // Small chunks: many batches in flight at once, answered by different workers.
      for await (const batch of parsedBatches(Readable.from(cut(bytes, Array.from({ length: 40 }, (_, k) => k * 7919))), 'in.ndjson', threads)) {
        for (let i = 0; i < batch.size; i++) {
          const p = batch.parsed(i);
          out.push([batch.firstLine + i, batch.text(i), p.kind === 'event' ? { ...Object.fromEntries(Object.entries(p.event)), prompt_text: null, facts: promptFactsOf(p.event) } : p]);
        }
      }
      return out;
    };
    const one = await seen(1);
    expect(one).toHaveLength(3001);
    expect(await seen(2)).toEqual(one);
    expect(await seen(3)).toEqual(one);
  }, 120_000);
});
