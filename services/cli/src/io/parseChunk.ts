// The job of a parse worker of `detect --threads N`, on whatever thread runs it: a byte chunk of
// whole NDJSON lines in, every line decoded, validated (parseUsageEventLine) and its prompt
// analysed (promptFactsOf), out as one batch in the compact form of eventBatch.ts. The worker
// threads run it, and so does the main thread for a chunk it takes on while the workers are
// behind (parsePool.ts): every line gets the same functions whoever parses it.
// Must never keep state between chunks.
import { parseUsageEventLine, promptFactsOf } from '@distillwatch/core';
import { BatchEncoder, type EncodedBatch } from './eventBatch.ts';
import { splitChunkLines } from './chunkLines.ts';

export function parseChunk(bytes: Uint8Array): EncodedBatch {
  const lines = splitChunkLines(bytes);
  const encoder = new BatchEncoder(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const parsed = parseUsageEventLine(lines[i]!, i + 1);
    encoder.add(parsed, parsed.kind === 'event' ? promptFactsOf(parsed.event) : null);
  }
  return encoder.finish();
}
