// Reads an NDJSON input line by line, streaming: a file (`.ndjson`, or gzip when the name ends
// in `.gz`), or standard input for `-`. Lines are numbered from 1, every line counted (blank
// ones too); a trailing `\r` is dropped. Memory is bounded by the longest line, not the file.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { InputFileError } from '../errors.ts';
import { fileProblem } from './textFile.ts';

export interface InputLine {
  text: string;
  /** 1-based line number. */
  line: number;
}

/** Opens `path` (or stdin for `-`), failing with a UserError that names a missing file. */
export async function openInput(path: string): Promise<{ stream: Readable; bytes: number | null }> {
  if (path === '-') return { stream: process.stdin, bytes: null };
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new InputFileError(path, 'not a file');
    size = s.size;
  } catch (err) {
    if (err instanceof InputFileError) throw err;
    throw fileProblem(path, err);
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  if (stream !== raw) raw.on('error', (err) => stream.destroy(err));
  // The stream starts reading at once, and a caller may connect to Kafka or open outputs before
  // it reads: an error (a corrupt .gz) must wait for the reader (ndjsonBatches rethrows it naming
  // the file), not crash the process as an 'error' event nobody listens to.
  stream.on('error', () => undefined);
  return { stream, bytes: size };
}

/** Yields batches of lines (one batch per chunk read) so the per-line cost stays a plain loop. */
export async function* ndjsonBatches(stream: Readable, path: string): AsyncGenerator<InputLine[]> {
  const decoder = new StringDecoder('utf8');
  // The start of a line that goes on in the next chunk. Kept apart from the next chunk rather
  // than prepended to it: `carry + chunk` would copy the whole chunk into a new string at the
  // first search, a cost per byte of input that showed in profiles of `detect`.
  let carry = '';
  let line = 0;
  try {
    for await (const chunk of stream) {
      const text = decoder.write(chunk as Buffer);
      const batch: InputLine[] = [];
      let start = 0;
      let nl = text.indexOf('\n');
      while (nl !== -1) {
        let lineText = text.slice(start, nl);
        if (carry.length > 0) {
          lineText = carry + lineText;
          carry = '';
        }
        if (lineText.charCodeAt(lineText.length - 1) === 13) lineText = lineText.slice(0, -1);
        batch.push({ text: lineText, line: ++line });
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      carry += text.slice(start);
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    throw inputProblem(path, err);
  }
  const rest = carry + decoder.end();
  if (rest.length > 0) {
    yield [{ text: rest.endsWith('\r') ? rest.slice(0, -1) : rest, line: ++line }];
  }
}

/**
 * The input as raw byte chunks that each end just after a newline (the last one at the end of
 * the input), for `detect --threads`: a chunk holds whole lines, so the worker that decodes it
 * gets the same text and line breaks as `ndjsonBatches` would (a newline byte never occurs
 * inside a multi-byte UTF-8 character).
 */
export async function* ndjsonChunks(stream: Readable, path: string): AsyncGenerator<Buffer> {
  let carry: Buffer | null = null;
  try {
    for await (const chunk of stream) {
      const bytes: Buffer = carry === null ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
      const end = bytes.lastIndexOf(0x0a) + 1;
      if (end === 0) { carry = bytes; continue; }
      carry = end < bytes.length ? bytes.subarray(end) : null;
      yield bytes.subarray(0, end);
    }
  } catch (err) {
    throw inputProblem(path, err);
  }
  if (carry !== null) yield carry;
}

function inputProblem(path: string, err: unknown): InputFileError {
  const code = (err as NodeJS.ErrnoException).code;
  return new InputFileError(path, code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' ? `not valid gzip (${(err as Error).message})` : (err as Error).message);
}
