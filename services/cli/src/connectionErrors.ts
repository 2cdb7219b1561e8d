// Turns a failure to reach Kafka or the schema registry into a one-line UserError a person can
// act on (which address, what to check), for every command that talks to them. Anything else is
// rethrown as it is: an internal error keeps its stack. Loaded only by commands that already
// load the Kafka client (errors.ts must stay free of it).
import { kafkaErrorKind } from '@distillwatch/platform/kafka';
import { SchemaRegistryError } from '@distillwatch/platform/registry';
import { UserError } from './errors.ts';

export function rethrowConnectionError(err: unknown, brokers: readonly string[]): never {
  const kind = kafkaErrorKind(err);
  if (kind === 'unreachable') {
    throw new UserError(`cannot reach Kafka at ${brokers.join(',')} (${(err as Error).message}); is \`distillwatch infra up\` running?`);
  }
  if (kind === 'authentication') {
    throw new UserError(`Kafka at ${brokers.join(',')} refused the credentials (${(err as Error).message}); check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
  }
  if (err instanceof SchemaRegistryError) {
    throw new UserError(err.retriable ? `${err.message}; start it with \`pnpm distillwatch infra up\`` : err.message);
  }
  throw err;
}

/** Runs a call to Kafka or the registry; a failure to reach them becomes a one-line UserError. */
export async function connectionCall<T>(brokers: readonly string[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    rethrowConnectionError(err, brokers);
  }
}
