// The error vocabulary of the whole tree. An error a caller must branch on is either a
// RetriableError (the same call may succeed later: retry it, or let the consumer restart) or a
// FatalError (retrying cannot help: report it and stop). Callers branch on the class or on the
// `retriable` flag, never on a message. ConfigError lives here because the detector's config is
// validated in the core; the platform re-exports all three. This module must never import Kafka,
// the file system or anything else of the shells.

/** The same call may succeed later: a broker restarting, a leader being elected, a timeout. */
export class RetriableError extends Error {
  override readonly name: string = 'RetriableError';
  readonly retriable = true;
}

/** Retrying cannot help: bad settings, bad input, an incompatible schema, a broken invariant. */
export class FatalError extends Error {
  override readonly name: string = 'FatalError';
  readonly retriable = false;
}

/** Input that cannot be read, and the part at fault: the message reads `field: problem`. */
export class FieldError extends FatalError {
  override readonly name: string = 'FieldError';
  /** The part at fault: a record's field, a dotted path. */
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}

/**
 * A setting cannot be used: a key of the detector's JSON config (dotted path) or a variable of
 * the environment. The user's to fix; the CLI prints the message as one line and exits 2.
 */
export class ConfigError extends FatalError {
  override readonly name = 'ConfigError';
  /** The setting at fault: `scorer.alertBudget`, `KAFKA_BROKERS`, `(root)`. */
  readonly key: string;
  /**
   * The message reads `key: problem`, so it always names what to fix. A rule between several
   * settings reads better as its own sentence naming them all: pass it as `sentence`.
   */
  constructor(key: string, problem: string, options: { sentence?: string } = {}) {
    super(options.sentence ?? `${key}: ${problem}`);
    this.key = key;
  }
}

/**
 * A ConfigError of the detector's JSON config rather than of the environment. Catch ConfigError
 * for both; this subclass exists because the CLI prints it as `config: key: problem`, the wording
 * users and scripts have always seen for it.
 */
export class DetectorConfigError extends ConfigError {}
