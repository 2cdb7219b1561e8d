// A parse worker of `detect --threads N`: takes byte chunks of whole NDJSON lines, decodes,
// validates (parseUsageEventLine) and analyses the prompts (promptFactsOf) of every line, and
// sends each batch back in the compact form of eventBatch.ts. It runs exactly the functions
// that the single-threaded `detect` runs, so every N gives the same events and rejections.
// Holds no state between chunks and never writes anything but its replies.
import { parentPort } from 'node:worker_threads';
import { parseUsageEventLine, promptFactsOf } from '@distillwatch/core/parsing';
import { BatchEncoder } from './eventBatch.ts';
import { splitChunkLines } from './chunkLines.ts';
import { threadCpuMicros } from './parseShare.ts';

export interface ParseJob {
  bytes: Uint8Array<ArrayBuffer>;
}

const port = parentPort;
if (port === null) throw new Error('parseWorker.ts runs only as a worker thread');

port.on('message', ({ bytes }: ParseJob) => {
  const lines = splitChunkLines(bytes);
  const encoder = new BatchEncoder(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const parsed = parseUsageEventLine(lines[i]!, i + 1);
    encoder.add(parsed, parsed.kind === 'event' ? promptFactsOf(parsed.event) : null);
  }
  const batch = encoder.finish(threadCpuMicros());
  port.postMessage(batch, [batch.kinds.buffer, batch.numbers.buffer, batch.refs.buffer]);
});
