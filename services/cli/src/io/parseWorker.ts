// A parse worker of `detect --threads N`: takes byte chunks of whole NDJSON lines, decodes,
// validates (parseUsageEventLine) and analyses the prompts (promptFactsOf) of every line, and
// sends each batch back in the compact form of eventBatch.ts. It runs exactly the functions
// that the single-threaded `detect` runs, so every N gives the same events and rejections.
// Holds nothing between chunks but its string table, and never writes anything but its replies.
import { parentPort } from 'node:worker_threads';
import { parseUsageEventLine, promptFactsOf } from '@distillwatch/core/parsing';
import { BatchEncoder, workerStrings } from './eventBatch.ts';
import { splitChunkLines } from './chunkLines.ts';

export interface ParseJob {
  bytes: Uint8Array<ArrayBuffer>;
}

const port = parentPort;
if (port === null) throw new Error('parseWorker.ts runs only as a worker thread');

// Numbers for the strings of every batch this worker sends (stringTable.ts).
const strings = workerStrings();

port.on('message', ({ bytes }: ParseJob) => {
  const lines = splitChunkLines(bytes);
  const encoder = new BatchEncoder(lines.length, strings);
  for (let i = 0; i < lines.length; i++) {
    const parsed = parseUsageEventLine(lines[i]!, i + 1);
    encoder.add(parsed, parsed.kind === 'event' ? promptFactsOf(parsed.event) : null);
  }
  const batch = encoder.finish();
  port.postMessage(batch, [batch.kinds.buffer, batch.numbers.buffer, batch.refs.buffer]);
});
