// Reading one environment variable into a typed value: text, a flag, a bounded integer. Every
// malformed value is a ConfigError naming the variable; an empty or blank variable is unset.
// It must never read anything but the environment object it is given.
import { ConfigError } from './errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** The trimmed value, or null when unset or blank. */
export function envText(env: Env, name: string): string | null {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? null : v;
}

/** true/1/yes or false/0/no (any case); `fallback` when unset. */
export function envFlag(env: Env, name: string, fallback: boolean): boolean {
  const v = envText(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new ConfigError(name, `"${v}" is not true or false`);
}

/** A safe integer in [min, max]; `fallback` when unset. */
export function envInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = envText(env, name);
  if (v === null) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(name, `"${v}" is not an integer in [${min}, ${max}]`);
  return n;
}
