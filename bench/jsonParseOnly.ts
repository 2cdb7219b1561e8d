// The floor `detect` is measured against in `pnpm bench`: reads an NDJSON file with the same
// line reader as `detect` and JSON.parse-s each line, nothing else. Prints {"lines": N}.
import { ndjsonBatches, openInput } from '../services/cli/src/io/ndjsonLines.ts';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: node bench/jsonParseOnly.ts FILE');
const { stream } = await openInput(path);
let lines = 0;
let objects = 0;
for await (const batch of ndjsonBatches(stream, path)) {
  for (const { text } of batch) {
    lines++;
    // Counted so the parse cannot be optimised away.
    if (typeof JSON.parse(text) === 'object') objects++;
  }
}
process.stdout.write(`${JSON.stringify({ lines, objects })}\n`);
