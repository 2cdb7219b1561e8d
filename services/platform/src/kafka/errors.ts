// Classifies the errors of the Kafka client into the tree's RetriableError and FatalError, by
// the client's own error classes and its `retriable` flag, never by message text. Callers that
// decide whether to retry a step, or whether a failed decode is the record's fault or the
// cluster's, ask `isRetriable`; commands that must explain a failure ask `kafkaErrorKind`.
import kafkajs from 'kafkajs';
import { FatalError, RetriableError } from '../errors.ts';

// kafkajs is CommonJS and spreads its error classes into its exports, which Node cannot see as
// named ESM exports: they are read from the default export.
const {
  KafkaJSConnectionError, KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSRequestTimeoutError,
  KafkaJSSASLAuthenticationError,
} = kafkajs;

/** A Kafka call failed in a way the same call may get past later (a leader election, a restart). */
export class KafkaRetriableError extends RetriableError {
  override readonly name = 'KafkaRetriableError';
}

/** A Kafka call failed in a way retrying cannot mend (authorisation, a fenced producer, bad config). */
export class KafkaFatalError extends FatalError {
  override readonly name = 'KafkaFatalError';
}

/**
 * The error as a KafkaRetriableError or KafkaFatalError (the client's error as `cause`), or
 * null when it is not the client's. A client that gave up retrying (retries exceeded) is judged
 * by the cause it gave up on: a leader election outlasting the client's retries may still end
 * for a caller that retries a whole step.
 */
export function classifyKafkaError(err: unknown): KafkaRetriableError | KafkaFatalError | null {
  if (!(err instanceof KafkaJSError)) return null;
  const retriable = err instanceof KafkaJSNumberOfRetriesExceeded ? err.cause instanceof KafkaJSError && err.cause.retriable : err.retriable;
  return retriable ? new KafkaRetriableError(err.message, { cause: err }) : new KafkaFatalError(err.message, { cause: err });
}

/**
 * Whether the same call may succeed later: a RetriableError of the tree, a retriable client
 * error, or any other error that carries `retriable: true` (the registry client's).
 */
export function isRetriable(err: unknown): boolean {
  if (err instanceof RetriableError || err instanceof FatalError) return err.retriable;
  const kafka = classifyKafkaError(err);
  if (kafka) return kafka.retriable;
  return (err as { retriable?: unknown } | null)?.retriable === true;
}

/**
 * Why a Kafka call failed, for a message a user can act on: the brokers could not be reached
 * (no connection, or the client gave up waiting), they refused the credentials, or other.
 */
export function kafkaErrorKind(err: unknown): 'unreachable' | 'authentication' | 'other' {
  const root = rootCause(err);
  if (root instanceof KafkaJSSASLAuthenticationError) return 'authentication';
  if (root instanceof KafkaJSConnectionError || root instanceof KafkaJSRequestTimeoutError || err instanceof KafkaJSNumberOfRetriesExceeded) return 'unreachable';
  return 'other';
}

// The client wraps what it gave up on (retries exceeded, not retriable) around the error that
// says why, as `cause`.
function rootCause(err: unknown): unknown {
  let root = err;
  while (root instanceof KafkaJSNonRetriableError && root.cause instanceof Error && root.cause !== root) root = root.cause;
  return root;
}
