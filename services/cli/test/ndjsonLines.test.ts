import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ndjsonBatches, openInput } from '../src/io/ndjsonLines.ts';

/** Every line `ndjsonBatches` yields for `text` delivered as the given UTF-8 chunks. */
async function linesOf(chunks: Buffer[]): Promise<{ text: string; line: number }[]> {
  return linesOfStream(Readable.from(chunks), 'input.ndjson');
}

async function linesOfStream(stream: Readable, path: string): Promise<{ text: string; line: number }[]> {
  const out: { text: string; line: number }[] = [];
  for await (const batch of ndjsonBatches(stream, path)) out.push(...batch);
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

  // The cases produce's own line splitter was tested on, before produce used ndjsonBatches.
  const texts = async (chunks: string[]) => (await linesOf(chunks.map((c) => Buffer.from(c, 'utf8')))).map((l) => l.text);

  it('splits on LF and CRLF, keeping blank lines so line numbers match the file', async () => {
    expect(await texts(['{"a":1}\n\r\n{"b":2}\r\n', '\n'])).toEqual(['{"a":1}', '', '{"b":2}', '']);
  });

  it('joins a line cut across chunks, including a CRLF cut between its CR and LF', async () => {
    expect(await texts(['{"event', '_id":"e-1"}\r', '\n{"x"', ':1}\n'])).toEqual(['{"event_id":"e-1"}', '{"x":1}']);
  });

  it('keeps a last line without a newline, and adds no line after a final newline', async () => {
    expect(await texts(['one\ntwo'])).toEqual(['one', 'two']);
    expect(await texts(['one\ntwo\n'])).toEqual(['one', 'two']);
    expect(await texts([])).toEqual([]);
  });
});

describe('openInput', () => {
  it('names a corrupt .gz when it is read, even when the error comes before reading starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dw-ndjson-'));
    try {
      const path = join(dir, 'usage.ndjson.gz');
      writeFileSync(path, 'not gzip at all\n');
      const { stream } = await openInput(path);
      // Let the stream fail while nobody reads it, as it does while produce connects to Kafka.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(linesOfStream(stream, path)).rejects.toThrow(`${path}: not valid gzip (incorrect header check)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
