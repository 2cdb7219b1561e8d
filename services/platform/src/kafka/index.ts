// The Kafka client port: the one module of the tree that imports the Kafka client library.
// Services, commands and tests create clients, producers, consumers and admins here, from the
// connection config, and import the client's types from here; so another client can be
// measured behind the same names. It must never hold state or decide anything of detection.
export { kafkaClient, type KafkaClientOptions } from './client.ts';
export { classifyKafkaError, isRetriable, kafkaErrorKind, KafkaFatalError, KafkaRetriableError } from './errors.ts';
