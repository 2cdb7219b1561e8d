// Reading a `--verdicts` file (NDJSON, CONTRACT.md section 5) into a VerdictBook for `detect`,
// `replay` and `evaluate --feedback`. A bad line stops the command with one error naming the
// file, line and field: a verdict file is written by people, and a verdict skipped in silence
// would page them again for what they already judged.
import { parseVerdictLine, VerdictBook, type AlertVerdict } from '@distillwatch/core';
import { UserError } from '../errors.ts';
import { readTextFile } from './textFile.ts';

export function verdictsFromText(path: string, text: string): AlertVerdict[] {
  const verdicts: AlertVerdict[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const parsed = parseVerdictLine(raw, i + 1);
    if (parsed.kind === 'rejected') {
      const r = parsed.rejection;
      throw new UserError(`${path}:${r.line}: ${r.field ? `field '${r.field}': ` : ''}${r.reason}`);
    }
    if (parsed.kind === 'verdict') verdicts.push(parsed.verdict);
  });
  return verdicts;
}

/** The verdicts of `path` in a fresh book, or null without the flag (scoring stays unsupervised). */
export async function loadVerdictBook(path: string | undefined): Promise<VerdictBook | null> {
  if (path === undefined) return null;
  const book = new VerdictBook();
  for (const v of verdictsFromText(path, await readTextFile(path))) book.add(v);
  return book;
}
