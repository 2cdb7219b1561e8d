// Connection settings every service and the CLI share, read from the environment with the
// local defaults of the contract (CONTRACT.md section 1). It must never open a connection or
// touch the file system: it only turns environment variables into a typed, validated config.

import { ConfigError } from './errors.ts';

// A malformed variable is the tree's one ConfigError (errors.ts), keyed by the variable's name.
export { ConfigError };

export interface PlatformConfig {
  /** `host:port` pairs, from KAFKA_BROKERS (comma-separated). */
  readonly brokers: readonly string[];
  /** Base URL of the Confluent-compatible schema registry API, without a trailing slash. */
  readonly schemaRegistryUrl: string;
  /** Prepended verbatim to every topic, schema subject, consumer group and transactional id. */
  readonly topicPrefix: string;
}

export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';
export const DEFAULT_SCHEMA_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';

type Env = Readonly<Record<string, string | undefined>>;

/** Reads KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DISTILLWATCH_TOPIC_PREFIX; empty means unset. */
export function loadConfig(env: Env = process.env): PlatformConfig {
  const brokers = parseBrokers(nonEmpty(env.KAFKA_BROKERS) ?? DEFAULT_KAFKA_BROKERS);
  const schemaRegistryUrl = parseRegistryUrl(nonEmpty(env.SCHEMA_REGISTRY_URL) ?? DEFAULT_SCHEMA_REGISTRY_URL);
  return { brokers, schemaRegistryUrl, topicPrefix: env.DISTILLWATCH_TOPIC_PREFIX ?? '' };
}

/** The environment's name for a topic, subject, consumer group or transactional id. */
export function prefixed(config: Pick<PlatformConfig, 'topicPrefix'>, name: string): string {
  return config.topicPrefix + name;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseBrokers(raw: string): string[] {
  const brokers = raw.split(',').map((b) => b.trim()).filter((b) => b !== '');
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(broker)) {
      throw new ConfigError('KAFKA_BROKERS', `"${broker}" is not host:port`);
    }
  }
  if (brokers.length === 0) throw new ConfigError('KAFKA_BROKERS', 'no broker given');
  return brokers;
}

function parseRegistryUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('SCHEMA_REGISTRY_URL', `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('SCHEMA_REGISTRY_URL', `"${raw}" must be http or https`);
  }
  return raw.replace(/\/+$/, '');
}
