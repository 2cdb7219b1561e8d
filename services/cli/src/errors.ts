// Errors a command can branch on. A UserError is the user's to fix (bad flag, missing file):
// the CLI prints its one-line message and exits 2, never a stack trace.

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly retriable = false;
}
