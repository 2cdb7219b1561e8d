// A parse worker of `detect --threads N`: takes byte chunks of whole NDJSON lines and sends back
// each one parsed by `parseChunk` (decoded, validated, prompts analysed, in the compact form of
// eventBatch.ts). Holds no state between chunks and never writes anything but its replies.
import { parentPort } from 'node:worker_threads';
import { parseChunk } from './parseChunk.ts';

export interface ParseJob {
  bytes: Uint8Array<ArrayBuffer>;
}

const port = parentPort;
if (port === null) throw new Error('parseWorker.ts runs only as a worker thread');

port.on('message', ({ bytes }: ParseJob) => {
  const batch = parseChunk(bytes);
  port.postMessage(batch, [batch.kinds.buffer, batch.numbers.buffer, batch.refs.buffer]);
});
