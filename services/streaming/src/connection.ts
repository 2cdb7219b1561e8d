// Connections of the streaming services: a kafkajs client with the configured TLS and SASL,
// logging through the service's JSON logger, and a schema-registry client with optional basic
// auth. This is the only place that reads the TLS files named in the settings.
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig, type logCreator, type SASLOptions } from 'kafkajs';
import { SchemaRegistryClient, type Client } from '@confluentinc/schemaregistry';
import type { Logger } from './log.ts';
import type { KafkaSecurity, StreamingSettings } from './settings.ts';

/** kafkajs's ssl and sasl options for the settings (files read here, once). */
export function kafkaSecurityOptions(security: KafkaSecurity, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (security.tls) {
    const hasFiles = security.tlsCaFile !== null || security.tlsCertFile !== null;
    out.ssl = !hasFiles ? true : {
      ...(security.tlsCaFile ? { ca: [read(security.tlsCaFile)] } : {}),
      ...(security.tlsCertFile ? { cert: read(security.tlsCertFile) } : {}),
      ...(security.tlsKeyFile ? { key: read(security.tlsKeyFile) } : {}),
    };
  }
  if (security.sasl) {
    out.sasl = { mechanism: security.sasl.mechanism, username: security.sasl.username, password: security.sasl.password } as SASLOptions;
  }
  return out;
}

/** See PRODUCER_RETRY in context.ts: with transactions, limited retries are safe. */
const LIMITED_RETRIES = 'Limiting retries for the idempotent producer';

export function streamingKafka(settings: StreamingSettings, clientId: string, log: Logger): Kafka {
  return new Kafka({
    clientId,
    brokers: [...settings.platform.brokers],
    ...kafkaSecurityOptions(settings.kafkaSecurity),
    logLevel: logLevel.WARN,
    logCreator: jsonLogCreator(log),
    // A broker restart takes tens of seconds; keep retrying for about two minutes.
    retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
}

// kafkajs reports retriable connection errors it then handles itself at ERROR; they are noise
// for an operator, so connection-level lines go out at debug.
function jsonLogCreator(log: Logger): logCreator {
  return () => ({ namespace, level, log: entry }) => {
    const { message, timestamp: _t, logger: _l, ...extra } = entry;
    const fields = { kafkajs: namespace, ...extra };
    if (namespace === 'Connection' || level <= logLevel.NOTHING || message.startsWith(LIMITED_RETRIES)) return log.debug(message, fields);
    if (level === logLevel.ERROR) return log.warn(message, fields);
    if (level === logLevel.WARN) return log.warn(message, fields);
    return log.debug(message, fields);
  };
}

export function streamingRegistry(settings: StreamingSettings): Client {
  const userInfo = settings.registrySecurity.basicAuthUserInfo;
  return new SchemaRegistryClient({
    baseURLs: [settings.platform.schemaRegistryUrl],
    ...(userInfo ? { basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo } } : {}),
    maxRetries: 5, retriesWaitMs: 500, retriesMaxWaitMs: 10_000,
  });
}
