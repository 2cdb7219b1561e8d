// The input of `detect` as batches of parsed lines, in file order, parsed either on the calling
// thread (`--threads 1`) or by a pool of worker threads (parseWorker.ts) that decode, validate
// and hash while the calling thread assembles windows and scores. Batches come back in the
// order they were read whatever worker finished first, so the detector sees the same lines in
// the same order for every thread count; while the workers are behind, the calling thread parses
// chunks too. At most IN_FLIGHT_PER_WORKER chunks wait per worker (and one more parsed here),
// which bounds memory on a large input. Must never reorder, drop or re-judge a line.
import { Worker } from 'node:worker_threads';
import type { Readable } from 'node:stream';
import { parseUsageEventLine, type ParseResult } from '@distillwatch/core';
import { BatchDecoder, type EncodedBatch } from './eventBatch.ts';
import { splitChunkLines } from './chunkLines.ts';
import { ndjsonBatches, ndjsonChunks } from './ndjsonLines.ts';
import type { ParseJob } from './parseWorker.ts';

/** Consecutive lines of the input, each as `parseUsageEventLine` judged it. */
export interface ParsedBatch {
  readonly size: number;
  /** Line number (from 1) of the batch's first line. */
  readonly firstLine: number;
  /** Line `i` of the batch (0-based, taken in order, each once). */
  parsed(i: number): ParseResult;
  /** The text of line `i` (for a dead-letter record of a late event). */
  text(i: number): string;
}

const IN_FLIGHT_PER_WORKER = 3;

/** Batches of parsed lines; with `threads` > 1, parsed by `threads - 1` workers beside this thread. */
export function parsedBatches(stream: Readable, path: string, threads: number): AsyncGenerator<ParsedBatch> {
  return threads <= 1 ? parsedHere(stream, path) : parsedByWorkers(stream, path, threads - 1);
}

async function* parsedHere(stream: Readable, path: string): AsyncGenerator<ParsedBatch> {
  for await (const lines of ndjsonBatches(stream, path)) {
    yield {
      size: lines.length,
      firstLine: lines[0]!.line,
      parsed: (i) => parseUsageEventLine(lines[i]!.text, lines[i]!.line),
      text: (i) => lines[i]!.text,
    };
  }
}

/** One worker thread and the replies it still owes, oldest first (a worker answers in order). */
class ParseWorker {
  private readonly worker: Worker;
  private readonly waiting: Array<{ resolve: (b: EncodedBatch) => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;

  constructor() {
    this.worker = new Worker(new URL('./parseWorker.ts', import.meta.url));
    this.worker.on('message', (batch: EncodedBatch) => this.waiting.shift()!.resolve(batch));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`parse worker exited (code ${code})`)));
  }

  parse(bytes: Buffer): Promise<EncodedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    // A copy of its own for the worker: the caller keeps `bytes` for late lines' text.
    const job: ParseJob = { bytes: new Uint8Array(bytes) };
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(job, [job.bytes.buffer]);
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** A chunk on its way to the assembler: with a worker (`ready` once its reply is in), or parsed here. */
type PendingChunk =
  | { kind: 'worker'; bytes: Buffer; reply: Promise<EncodedBatch>; ready: boolean }
  | { kind: 'here'; lines: string[]; parsed: ParseResult[] };

/**
 * Chunks go to the workers in turn, at most IN_FLIGHT_PER_WORKER waiting per worker. When the
 * oldest chunk's reply is not in yet, this thread would wait for it: it parses the next chunk
 * itself instead, as `--threads 1` does, so on two cores the assembling thread takes a share of
 * the parsing until both threads are busy, whatever their speeds. The batches still come out in
 * file order.
 */
async function* parsedByWorkers(stream: Readable, path: string, workers: number): AsyncGenerator<ParsedBatch> {
  const pool = Array.from({ length: workers }, () => new ParseWorker());
  const chunks = ndjsonChunks(stream, path)[Symbol.asyncIterator]();
  const pending: PendingChunk[] = [];
  let nextLine = 1;
  let turn = 0;
  let exhausted = false;
  const read = async (): Promise<Buffer | null> => {
    const next = exhausted ? null : await chunks.next();
    if (next === null || next.done === true) { exhausted = true; return null; }
    return next.value;
  };
  const send = (bytes: Buffer): void => {
    const chunk: PendingChunk = { kind: 'worker', bytes, reply: pool[turn]!.parse(bytes), ready: false };
    // Marked handled now: a failure is thrown when its turn comes, not as an unhandled rejection.
    chunk.reply.then(() => { chunk.ready = true; }, () => { chunk.ready = true; });
    pending.push(chunk);
    turn = (turn + 1) % workers;
  };
  const waiting = (): boolean => pending[0]!.kind === 'worker' && !pending[0]!.ready;
  try {
    for (;;) {
      while (pending.length < workers * IN_FLIGHT_PER_WORKER) {
        const bytes = await read();
        if (bytes === null) break;
        send(bytes);
      }
      if (pending.length === 0) break;
      if (waiting()) await turnOfEventLoop();
      if (waiting()) {
        const bytes = await read();
        if (bytes !== null) pending.push(parsedHereNow(bytes));
      }
      const chunk = pending.shift()!;
      const batch = chunk.kind === 'worker' ? workerBatch(chunk.bytes, await chunk.reply, nextLine) : hereBatch(chunk, nextLine);
      nextLine += batch.size;
      yield batch;
    }
  } finally {
    await Promise.all(pool.map((w) => w.close()));
  }
}

/** A chunk parsed on this thread at once, its lines numbered within the chunk (see `hereBatch`). */
function parsedHereNow(bytes: Buffer): PendingChunk {
  const lines = splitChunkLines(bytes);
  return { kind: 'here', lines, parsed: lines.map((text, i) => parseUsageEventLine(text, i + 1)) };
}

/** A chunk parsed here before the lines ahead of it were counted: its rejections are renumbered as they are taken. */
function hereBatch(chunk: Extract<PendingChunk, { kind: 'here' }>, firstLine: number): ParsedBatch {
  return {
    size: chunk.lines.length,
    firstLine,
    parsed: (i) => {
      const parsed = chunk.parsed[i]!;
      if (parsed.kind === 'rejected') parsed.rejection.line += firstLine - 1;
      return parsed;
    },
    text: (i) => chunk.lines[i]!,
  };
}

/** Lets the replies that the workers have already posted be delivered. */
function turnOfEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function workerBatch(bytes: Buffer, encoded: EncodedBatch, firstLine: number): ParsedBatch {
  const decoder = new BatchDecoder(encoded, firstLine - 1);
  let lines: string[] | null = null;
  return {
    size: decoder.lines,
    firstLine,
    parsed: (i) => decoder.next(i),
    // Decoded again only for a batch with a late event: the worker kept no text.
    text: (i) => (lines ??= splitChunkLines(bytes))[i]!,
  };
}
