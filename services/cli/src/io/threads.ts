// The `--threads N` flag of `detect`: a whole number from 1 up, every core when absent.
import os from 'node:os';
import { UserError } from '../errors.ts';

export function threadCount(flag: string | undefined): number {
  if (flag === undefined) return os.availableParallelism();
  const n = Number(flag);
  if (!/^\d+$/.test(flag) || !Number.isSafeInteger(n) || n < 1) throw new UserError(`--threads: expected a whole number from 1 up, got '${flag}'`);
  return n;
}
