// The input of `detect` as batches of parsed lines, in file order, parsed either on the calling
// thread (`--threads 1`) or by a pool of worker threads (parseWorker.ts) that decode, validate
// and hash while the calling thread assembles windows and scores. Batches come back in the
// order they were read whatever worker finished first, so the detector sees the same lines in
// the same order for every thread count. At most IN_FLIGHT_PER_WORKER chunks wait per worker,
// which bounds memory on a large input. Must never reorder, drop or re-judge a line.
//
// With a single worker the calling thread also parses the last lines of every chunk itself, a
// share of the bytes that follows the two threads' CPU time (parseShare.ts), so that neither
// waits for the other on two cores.
import { Worker } from 'node:worker_threads';
import type { Readable } from 'node:stream';
import { parseUsageEventLine, type ParseResult } from '@distillwatch/core';
import { BatchDecoder, type EncodedBatch } from './eventBatch.ts';
import { splitChunkLines } from './chunkLines.ts';
import { ndjsonBatches, ndjsonChunks } from './ndjsonLines.ts';
import type { ParseJob } from './parseWorker.ts';
import { ParseShare, threadCpuMicros } from './parseShare.ts';

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
  for await (const lines of ndjsonBatches(stream, path)) yield batchParsedHere(lines.map((l) => l.text), lines[0]!.line);
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

/** A chunk on its way: parsed by a worker (`reply`), or left for this thread (`reply` null). */
interface PendingChunk {
  bytes: Buffer;
  reply: Promise<EncodedBatch> | null;
}

async function* parsedByWorkers(stream: Readable, path: string, workers: number): AsyncGenerator<ParsedBatch> {
  const pool = Array.from({ length: workers }, () => new ParseWorker());
  const inFlight: PendingChunk[] = [];
  let waitingForWorkers = 0;
  // With two or more workers the calling thread is the busier one already: it parses nothing.
  const share = workers === 1 ? new ParseShare() : null;
  let nextLine = 1;
  let turn = 0;
  const send = (bytes: Buffer): void => {
    const reply = pool[turn]!.parse(bytes);
    // Marked handled now: a failure is thrown when its turn comes, not as an unhandled rejection.
    reply.catch(() => {});
    inFlight.push({ bytes, reply });
    waitingForWorkers++;
    turn = (turn + 1) % workers;
  };
  const take = async (): Promise<ParsedBatch> => {
    const { bytes, reply } = inFlight.shift()!;
    let batch: ParsedBatch;
    if (reply === null) batch = batchParsedHere(splitChunkLines(bytes), nextLine);
    else {
      waitingForWorkers--;
      const encoded = await reply;
      if (share !== null) share.balance(threadCpuMicros(), encoded.workerCpuMicros);
      batch = workerBatch(bytes, encoded, nextLine);
    }
    nextLine += batch.size;
    return batch;
  };
  try {
    for await (const bytes of ndjsonChunks(stream, path)) {
      const cut = share === null ? bytes.length : shareCut(bytes, share.share);
      if (cut > 0) send(bytes.subarray(0, cut));
      if (cut < bytes.length) inFlight.push({ bytes: bytes.subarray(cut), reply: null });
      while (waitingForWorkers >= workers * IN_FLIGHT_PER_WORKER) yield await take();
    }
    while (inFlight.length > 0) yield await take();
  } finally {
    await Promise.all(pool.map((w) => w.close()));
  }
}

/** Where this thread's share of a chunk of whole lines starts: just after a newline, or 0. */
function shareCut(bytes: Buffer, share: number): number {
  const point = Math.floor(bytes.length * (1 - share));
  // (lastIndexOf counts a negative start from the end)
  return point === 0 ? 0 : bytes.lastIndexOf(0x0a, point - 1) + 1;
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
