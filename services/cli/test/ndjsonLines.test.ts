import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ndjsonBatches } from '../src/io/ndjsonLines.ts';

/** Every line `ndjsonBatches` yields for `text` delivered as the given UTF-8 chunks. */
async function linesOf(chunks: Buffer[]): Promise<{ text: string; line: number }[]> {
  const out: { text: string; line: number }[] = [];
  for await (const batch of ndjsonBatches(Readable.from(chunks), 'input.ndjson')) out.push(...batch);
  return out;
}

/** `bytes` cut at the given offsets (anywhere, even inside a multi-byte character). */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks.filter((c) => c.length > 0);
}

describe('ndjsonBatches', () => {
  it('yields the same numbered lines however the input is cut into chunks', async () => {
    const piece = fc.constantFrom('{"a":1}', 'é', '数学', '🙂', ' ', '\r', '\n', '\r\n', 'x'.repeat(50));
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 12 }), async (pieces, offsets) => {
        const text = pieces.join('');
        const expected = text.split('\n').map((l, i) => ({ text: l.endsWith('\r') ? l.slice(0, -1) : l, line: i + 1 }));
        // A final newline ends the last line; it does not start an empty one.
        if (text.endsWith('\n') || text.length === 0) expected.pop();
        expect(await linesOf(cut(Buffer.from(text, 'utf8'), offsets))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('joins a line that spans several chunks and drops only its own trailing carriage return', async () => {
    const lines = await linesOf([Buffer.from('{"a":'), Buffer.from('1}\r'), Buffer.from('\n\r\n{"b"'), Buffer.from(':2}')]);
    expect(lines).toEqual([{ text: '{"a":1}', line: 1 }, { text: '', line: 2 }, { text: '{"b":2}', line: 3 }]);
  });
});
