// Errors a command can branch on. A UserError is the user's to fix (bad flag, missing file):
// the CLI prints its one-line message and exits 2, never a stack trace. So is the tree's
// ConfigError, whether a variable of the environment or a key of the detector's config is at
// fault (the latter prefixed `config: `, as it always was). This module is loaded at every start: it must load no package (a fast `--help`), so
// UserError carries the tree's `retriable` flag itself and ConfigError is imported only when
// an error by that name arrives.

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly retriable = false;
}

/** An input file that cannot be read: `path: problem`. A command may name the file in its own words. */
export class InputFileError extends UserError {
  readonly path: string;
  /** `no such file`, `not valid gzip (...)`, ... */
  readonly problem: string;

  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}

/** The one line a user error prints (without the `distillwatch: ` prefix), or null for an internal error. */
export async function userErrorMessage(err: unknown): Promise<string | null> {
  if (err instanceof UserError) return firstLine(err.message);
  if (!(err instanceof Error) || err.name !== 'ConfigError') return null;
  const { ConfigError, DetectorConfigError } = await import('@distillwatch/core/errors');
  if (err instanceof DetectorConfigError) return `config: ${firstLine(err.message)}`;
  return err instanceof ConfigError ? firstLine(err.message) : null;
}

const firstLine = (text: string) => text.split('\n')[0]!;
