// The lines of a byte chunk of whole NDJSON lines (see ndjsonChunks), split as ndjsonBatches
// splits them: UTF-8 decoded without dropping a byte-order mark, cut at each newline, a
// trailing carriage return removed, and a last line without newline kept when not empty.
export function splitChunkLines(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return lines;
}
