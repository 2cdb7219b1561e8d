// The input of `detect` as batches of parsed lines, in file order, parsed either on the calling
// thread (`--threads 1`) or by a pool of worker threads (parseWorker.ts) that decode, validate
// and hash while the calling thread assembles windows and scores. Batches come back in the
// order they were read whatever worker finished first, so the detector sees the same lines in
// the same order for every thread count. At most IN_FLIGHT_PER_WORKER chunks wait per worker,
// which bounds memory on a large input. The calling thread parses nothing itself: a share of
// the parsing steered by both threads' CPU time was measured not to pay (BENCHMARKS.md,
// "fourth pass"). Must never reorder, drop or re-judge a line.
import { Worker } from 'node:worker_threads';
import type { Readable } from 'node:stream';
import { parseUsageEventLine, type ParseResult } from '@distillwatch/core';
import { BatchDecoder, type EncodedBatch } from './eventBatch.ts';
import { ReceivedStrings } from './stringTable.ts';
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

// Enough for a worker to keep parsing while the main thread closes and scores an hour's
// windows in one go: on the default scenario a batch costs the main thread 9 ms of CPU at the
// median but up to 120-230 ms at an hour's close, and the worker about 33 ms, so with 3 (2 left
// queued while the main thread works) the worker ran dry at the largest closes. Each chunk in
// flight holds about 1 MB of input twice (here and in the worker) and its columns.
const IN_FLIGHT_PER_WORKER = 8;

/** Batches of parsed lines; with `threads` > 1, parsed by `threads - 1` workers beside this thread. */
export function parsedBatches(stream: Readable, path: string, threads: number): AsyncGenerator<ParsedBatch> {
  return threads <= 1 ? parsedHere(stream, path) : parsedByWorkers(stream, path, threads - 1);
}

async function* parsedHere(stream: Readable, path: string): AsyncGenerator<ParsedBatch> {
  for await (const lines of ndjsonBatches(stream, path)) yield batchParsedHere(lines.map((l) => l.text), lines[0]!.line);
}

/** One worker thread and the replies it still owes, oldest first (a worker answers in order). */
class ParseWorker {
  /** The strings this worker has sent, by their numbers (its replies are decoded in order). */
  readonly strings = new ReceivedStrings();
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

/** A chunk on its way to a worker, and the worker's reply. */
interface PendingChunk {
  bytes: Buffer;
  worker: ParseWorker;
  reply: Promise<EncodedBatch>;
}

async function* parsedByWorkers(stream: Readable, path: string, workers: number): AsyncGenerator<ParsedBatch> {
  const pool = Array.from({ length: workers }, () => new ParseWorker());
  const inFlight: PendingChunk[] = [];
  let nextLine = 1;
  let turn = 0;
  const send = (bytes: Buffer): void => {
    const worker = pool[turn]!;
    const reply = worker.parse(bytes);
    // Marked handled now: a failure is thrown when its turn comes, not as an unhandled rejection.
    reply.catch(() => {});
    inFlight.push({ bytes, worker, reply });
    turn = (turn + 1) % workers;
  };
  const take = async (): Promise<ParsedBatch> => {
    const { bytes, worker, reply } = inFlight.shift()!;
    const batch = workerBatch(bytes, new BatchDecoder(await reply, nextLine - 1, worker.strings), nextLine);
    nextLine += batch.size;
    return batch;
  };
  try {
    for await (const bytes of ndjsonChunks(stream, path)) {
      send(bytes);
      while (inFlight.length >= workers * IN_FLIGHT_PER_WORKER) yield await take();
    }
    while (inFlight.length > 0) yield await take();
  } finally {
    await Promise.all(pool.map((w) => w.close()));
  }
}

/** Lines parsed on this thread, each when the detector asks for it (as `--threads 1` does). */
function batchParsedHere(lines: readonly string[], firstLine: number): ParsedBatch {
  return {
    size: lines.length,
    firstLine,
    parsed: (i) => parseUsageEventLine(lines[i]!, firstLine + i),
    text: (i) => lines[i]!,
  };
}

function workerBatch(bytes: Buffer, decoder: BatchDecoder, firstLine: number): ParsedBatch {
  let lines: string[] | null = null;
  return {
    size: decoder.lines,
    firstLine,
    parsed: (i) => decoder.next(i),
    // Decoded again only for a batch with a late event: the worker kept no text.
    text: (i) => (lines ??= splitChunkLines(bytes))[i]!,
  };
}
