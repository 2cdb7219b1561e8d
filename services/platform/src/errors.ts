// The error classes every service and command branches on: RetriableError, FatalError and the
// tree's one ConfigError. They are defined in the core (its detector config throws ConfigError,
// and the core imports nothing of the platform) and re-exported here, so that shells import
// errors from the platform like the rest of their plumbing. Loading this module must stay cheap:
// the CLI imports it on its error path, so it must never import a Kafka or registry client
// (kafkajs errors are classified in kafka/errors.ts).
export { ConfigError, FatalError, RetriableError } from '@distillwatch/core/errors';
