// Reading a small JSON document the user names (a key file), and checking it with the core's
// parser: bad JSON, or an entry the parser refuses, is a one-line UserError naming the file.
import { UserError } from '../errors.ts';
import { readTextFile } from './textFile.ts';

/** `parse` throws an instance of `refusal` naming the entry at fault; anything else is a bug. */
export async function readJsonDocument<T>(path: string, parse: (json: unknown) => T, refusal: new (...args: never[]) => Error): Promise<T> {
  const text = await readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: invalid JSON (${(err as Error).message})`);
  }
  try {
    return parse(json);
  } catch (err) {
    if (err instanceof refusal) throw new UserError(`${path}: ${err.message}`);
    throw err;
  }
}
