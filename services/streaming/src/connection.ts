// Connections of the streaming services: the platform's Kafka and registry clients from the
// connection config, with the services' JSON logger and retries long enough to ride out a
// broker or registry restart. TLS, SASL and registry auth are the platform's (config.ts).
import { kafkaClient, type Kafka } from '@distillwatch/platform/kafka';
import { createRegistryClient } from '@distillwatch/platform/registry';
import type { Client } from '@confluentinc/schemaregistry';
import type { Logger } from './log.ts';
import type { StreamingSettings } from './settings.ts';

export function streamingKafka(settings: StreamingSettings, clientId: string, log: Logger): Kafka {
  // A broker restart takes tens of seconds; keep retrying for about two minutes.
  return kafkaClient(settings.platform, { clientId, log, retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 10_000 } });
}

export function streamingRegistry(settings: StreamingSettings): Client {
  return createRegistryClient(settings.platform, { maxRetries: 5, retriesWaitMs: 500, retriesMaxWaitMs: 10_000 });
}
