// Reading a whole small input file (a config, labels, a saved model), failing with a UserError
// that names the file instead of a stack trace.
import { readFile } from 'node:fs/promises';
import { InputFileError } from '../errors.ts';

/** The one-line reason a file could not be opened or read. */
export function fileProblem(path: string, err: unknown): InputFileError {
  return new InputFileError(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message);
}

export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw fileProblem(path, err);
  }
}
