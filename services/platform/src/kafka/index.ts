// The Kafka client port: the one module of the tree that imports the Kafka client library.
// Services, commands and tests create clients, producers, consumers and admins here, from the
// connection config, and import the client's types and constants from here, so another client
// can be measured behind the same names. It must never hold state or decide anything of
// detection.
import kafkajs from 'kafkajs';

export { kafkaClient, type KafkaClientOptions, type KafkaLog } from './client.ts';
export { classifyKafkaError, isRetriable, kafkaErrorKind, KafkaFatalError, KafkaRetriableError } from './errors.ts';
export { kafkaSecurityOptions } from './security.ts';
export type {
  AclEntry, Admin, Consumer, EachBatchPayload, ITopicConfig, Kafka, KafkaMessage, Message, PartitionAssigner, Producer, TopicMessages,
} from 'kafkajs';

// kafkajs is CommonJS and spreads part of its exports, which Node cannot see as named ESM
// exports: the constants are read from the default export.
/** Record compression codecs (the services compress their changelogs and outputs). */
export const CompressionTypes = kafkajs.CompressionTypes;
/** DefaultPartitioner is murmur2 on the key, as the Java client: the same account lands on the same partition. */
export const Partitioners = kafkajs.Partitioners;
/** Encodes consumer-group member metadata and assignments (the scorer's single-owner assignor). */
export const AssignerProtocol = kafkajs.AssignerProtocol;
/** Resource types of admin config requests (topic configs). */
export const ConfigResourceTypes = kafkajs.ConfigResourceTypes;
/** ACL vocabulary of admin ACL requests (`infra up --federation` grants each principal its topics). */
export const AclResourceTypes = kafkajs.AclResourceTypes;
export const AclOperationTypes = kafkajs.AclOperationTypes;
export const AclPermissionTypes = kafkajs.AclPermissionTypes;
export const ResourcePatternTypes = kafkajs.ResourcePatternTypes;
