// The connection config: how every command and service reaches Kafka and the schema registry
// (brokers, TLS, SASL, registry URL and basic auth) and the topic prefix, read from the
// environment with the local defaults of the contract (CONTRACT.md section 1). Every command
// (produce, replay, alerts tail, ui, run, infra status) and every service builds its clients from
// it, so a secured cluster works everywhere or nowhere. It must never open a connection or read
// a file: the TLS files stay paths here (the Kafka port reads them when it builds a client).
import { envFlag, envText, type Env } from './env.ts';
import { ConfigError } from './errors.ts';

// A malformed variable is the tree's one ConfigError (errors.ts), keyed by the variable's name.
export { ConfigError };

export type SaslMechanism = 'scram-sha-256' | 'scram-sha-512' | 'plain';

export interface KafkaSecurity {
  /** TLS to the brokers (KAFKA_TLS=true, or implied by any KAFKA_TLS_* file). */
  tls: boolean;
  /** PEM files: CA bundle to trust, client certificate and key for mutual TLS. */
  tlsCaFile: string | null;
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  /** SASL authentication; null for none. */
  sasl: { mechanism: SaslMechanism; username: string; password: string } | null;
}

export interface RegistrySecurity {
  /** `user:password` for HTTP basic auth (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO). */
  basicAuthUserInfo: string | null;
}

export interface PlatformConfig {
  /** `host:port` pairs, from KAFKA_BROKERS (comma-separated). */
  readonly brokers: readonly string[];
  /** Base URL of the Confluent-compatible schema registry API, without a trailing slash. */
  readonly schemaRegistryUrl: string;
  /** Prepended verbatim to every topic, schema subject, consumer group and transactional id. */
  readonly topicPrefix: string;
  readonly kafkaSecurity: KafkaSecurity;
  readonly registrySecurity: RegistrySecurity;
}

export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';
export const DEFAULT_SCHEMA_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';

/** No TLS, no SASL, no registry auth: the local infrastructure of `infra up`. */
export const PLAINTEXT: Pick<PlatformConfig, 'kafkaSecurity' | 'registrySecurity'> = {
  kafkaSecurity: { tls: false, tlsCaFile: null, tlsCertFile: null, tlsKeyFile: null, sasl: null },
  registrySecurity: { basicAuthUserInfo: null },
};

/** The connection variables, one line each, for every command's `--help`. */
export const CONNECTION_HELP = `  KAFKA_BROKERS                       bootstrap brokers, host:port,... (default ${DEFAULT_KAFKA_BROKERS})
  SCHEMA_REGISTRY_URL                 Confluent-compatible registry API
                                      (default ${DEFAULT_SCHEMA_REGISTRY_URL})
  DISTILLWATCH_TOPIC_PREFIX           prepended to every topic, subject, group and transactional id
  KAFKA_TLS                           true: TLS to the brokers (default false)
  KAFKA_TLS_CA_FILE                   PEM CA bundle to trust (implies KAFKA_TLS=true)
  KAFKA_TLS_CERT_FILE, KAFKA_TLS_KEY_FILE
                                      PEM client certificate and key, for mutual TLS
  KAFKA_SASL_MECHANISM                scram-sha-256, scram-sha-512 or plain (default: no SASL)
  KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD
                                      SASL credentials (required with a mechanism)
  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO
                                      user:password for the registry's HTTP basic auth; TLS to
                                      the registry: an https:// URL (extra CAs: NODE_EXTRA_CA_CERTS)`;

/** Reads the connection variables (CONNECTION_HELP); empty means unset. */
export function loadConfig(env: Env = process.env): PlatformConfig {
  return {
    brokers: parseBrokers(envText(env, 'KAFKA_BROKERS') ?? DEFAULT_KAFKA_BROKERS),
    schemaRegistryUrl: parseRegistryUrl(envText(env, 'SCHEMA_REGISTRY_URL') ?? DEFAULT_SCHEMA_REGISTRY_URL),
    topicPrefix: env.DISTILLWATCH_TOPIC_PREFIX ?? '',
    kafkaSecurity: kafkaSecurity(env),
    registrySecurity: registrySecurity(env),
  };
}

/** The environment's name for a topic, subject, consumer group or transactional id. */
export function prefixed(config: Pick<PlatformConfig, 'topicPrefix'>, name: string): string {
  return config.topicPrefix + name;
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

function kafkaSecurity(env: Env): KafkaSecurity {
  const tlsCaFile = envText(env, 'KAFKA_TLS_CA_FILE');
  const tlsCertFile = envText(env, 'KAFKA_TLS_CERT_FILE');
  const tlsKeyFile = envText(env, 'KAFKA_TLS_KEY_FILE');
  if ((tlsCertFile === null) !== (tlsKeyFile === null)) {
    throw new ConfigError(tlsCertFile === null ? 'KAFKA_TLS_CERT_FILE' : 'KAFKA_TLS_KEY_FILE', 'missing', {
      sentence: 'KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together: set both or neither',
    });
  }
  const tls = envFlag(env, 'KAFKA_TLS', false) || tlsCaFile !== null || tlsCertFile !== null;
  return { tls, tlsCaFile, tlsCertFile, tlsKeyFile, sasl: sasl(env) };
}

function sasl(env: Env): KafkaSecurity['sasl'] {
  const mechanism = envText(env, 'KAFKA_SASL_MECHANISM')?.toLowerCase() ?? null;
  if (mechanism === null) return null;
  if (mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512' && mechanism !== 'plain') {
    throw new ConfigError('KAFKA_SASL_MECHANISM', `"${mechanism}" is not scram-sha-256, scram-sha-512 or plain`);
  }
  const username = envText(env, 'KAFKA_SASL_USERNAME');
  // A password is taken verbatim: leading or trailing spaces may be part of it.
  const password = env.KAFKA_SASL_PASSWORD ?? null;
  if (username === null || password === null || password === '') {
    throw new ConfigError(username === null ? 'KAFKA_SASL_USERNAME' : 'KAFKA_SASL_PASSWORD', 'missing', {
      sentence: 'KAFKA_SASL_MECHANISM is set: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required',
    });
  }
  return { mechanism, username, password };
}

function registrySecurity(env: Env): RegistrySecurity {
  const userInfo = env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO ?? '';
  if (userInfo !== '' && !userInfo.includes(':')) {
    throw new ConfigError('SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO', 'not user:password', { sentence: 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO must be user:password' });
  }
  return { basicAuthUserInfo: userInfo === '' ? null : userInfo };
}
