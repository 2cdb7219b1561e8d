// Errors a command can branch on. A UserError is the user's to fix (bad flag, missing file):
// the CLI prints its one-line message and exits 2, never a stack trace. So is the tree's
// ConfigError, whether a variable of the environment or a key of the detector's config is at
// fault. This module is loaded at every start: it must load no package (a fast `--help`), so
// UserError carries the tree's `retriable` flag itself and ConfigError is imported only when
// an error by that name arrives.

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly retriable = false;
}

/** The one line a user error prints (without the `distillwatch: ` prefix), or null for an internal error. */
export async function userErrorMessage(err: unknown): Promise<string | null> {
  if (err instanceof UserError) return firstLine(err.message);
  if (!(err instanceof Error) || err.name !== 'ConfigError') return null;
  const { ConfigError } = await import('@distillwatch/platform/errors');
  return err instanceof ConfigError ? firstLine(err.message) : null;
}

const firstLine = (text: string) => text.split('\n')[0]!;
