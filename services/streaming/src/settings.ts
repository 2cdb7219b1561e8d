// Every setting of the streaming services, read from environment variables (CONTRACT.md section
// 1 for the connection, DISTILLWATCH_* for the rest) into one typed, validated object. It never
// opens a connection or reads a file: paths stay paths, and a malformed value is a
// ConfigError naming the variable.
import { hostname } from 'node:os';
import { ConfigError, loadConfig, type PlatformConfig } from '@distillwatch/platform/config';

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

export interface StreamingSettings {
  platform: PlatformConfig;
  kafkaSecurity: KafkaSecurity;
  registrySecurity: RegistrySecurity;
  /** Names this process in logs, client ids and the scorer's ownership (DISTILLWATCH_INSTANCE_ID). */
  instanceId: string;
  /** Port of the /metrics and /healthz endpoint; 0 = any free port (DISTILLWATCH_METRICS_PORT, default 9464). */
  metricsPort: number;
  /** Address the endpoint listens on (DISTILLWATCH_METRICS_HOST, default 127.0.0.1). */
  metricsHost: string;
  /** How often a caught-up partition looks at the rest of the stream (DISTILLWATCH_IDLE_CHECK_MS, default 1000). */
  idleCheckMs: number;
  /** Longest the scorer keeps applied input uncommitted (DISTILLWATCH_COMMIT_INTERVAL_MS, default 500). */
  commitIntervalMs: number;
  /** Consumer-group session timeout: how soon a dead instance's partitions move (DISTILLWATCH_SESSION_TIMEOUT_MS, default 30000). */
  sessionTimeoutMs: number;
  /** Detector settings file, as `detect --config` takes it (DISTILLWATCH_CONFIG). */
  detectorConfigFile: string | null;
  /** Lowest level logged: debug, info, warn, error (DISTILLWATCH_LOG_LEVEL, default info). */
  logLevel: LogLevel;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

type Env = Readonly<Record<string, string | undefined>>;

/** The settings, with a one-line description of each variable for `--help`. */
export const SETTINGS_HELP = `environment:
  KAFKA_BROKERS                       bootstrap brokers, host:port,... (default 127.0.0.1:9092)
  SCHEMA_REGISTRY_URL                 Confluent-compatible registry API
                                      (default http://127.0.0.1:8081/apis/ccompat/v7)
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
                                      the registry: an https:// URL (extra CAs: NODE_EXTRA_CA_CERTS)
  DISTILLWATCH_CONFIG                 detector settings JSON (as detect --config; default: defaults)
  DISTILLWATCH_INSTANCE_ID            this process's name in logs and client ids (default host-pid)
  DISTILLWATCH_METRICS_HOST           address of /metrics and /healthz (default 127.0.0.1)
  DISTILLWATCH_METRICS_PORT           their port; 0 picks a free one (default 9464)
  DISTILLWATCH_IDLE_CHECK_MS          how often a caught-up partition follows the rest of the
                                      stream, closing its silent accounts' windows (default 1000)
  DISTILLWATCH_SESSION_TIMEOUT_MS     consumer-group session timeout: how soon the partitions of
                                      an instance that died move to the others (default 30000)
  DISTILLWATCH_COMMIT_INTERVAL_MS     longest the scorer holds applied input uncommitted (default 500)
  DISTILLWATCH_LOG_LEVEL              debug, info, warn or error (default info); JSON lines on stderr`;

export function loadStreamingSettings(env: Env = process.env): StreamingSettings {
  const platform: PlatformConfig = loadConfig(env);
  const tlsCaFile = text(env, 'KAFKA_TLS_CA_FILE');
  const tlsCertFile = text(env, 'KAFKA_TLS_CERT_FILE');
  const tlsKeyFile = text(env, 'KAFKA_TLS_KEY_FILE');
  if ((tlsCertFile === null) !== (tlsKeyFile === null)) {
    throw new ConfigError(tlsCertFile === null ? 'KAFKA_TLS_CERT_FILE' : 'KAFKA_TLS_KEY_FILE', 'missing', { sentence: 'KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together: set both or neither' });
  }
  const tls = bool(env, 'KAFKA_TLS', false) || tlsCaFile !== null || tlsCertFile !== null;
  const mechanism = text(env, 'KAFKA_SASL_MECHANISM')?.toLowerCase() ?? null;
  let sasl: KafkaSecurity['sasl'] = null;
  if (mechanism !== null) {
    if (mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512' && mechanism !== 'plain') {
      throw new ConfigError('KAFKA_SASL_MECHANISM', `"${mechanism}" is not scram-sha-256, scram-sha-512 or plain`);
    }
    const username = text(env, 'KAFKA_SASL_USERNAME');
    const password = env.KAFKA_SASL_PASSWORD ?? null;
    if (username === null || password === null || password === '') {
      throw new ConfigError(username === null ? 'KAFKA_SASL_USERNAME' : 'KAFKA_SASL_PASSWORD', 'missing', { sentence: 'KAFKA_SASL_MECHANISM is set: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required' });
    }
    sasl = { mechanism, username, password };
  }
  const userInfo = env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO ?? null;
  if (userInfo !== null && userInfo !== '' && !userInfo.includes(':')) {
    throw new ConfigError('SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO', 'not user:password', { sentence: 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO must be user:password' });
  }
  const logLevel = (text(env, 'DISTILLWATCH_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new ConfigError('DISTILLWATCH_LOG_LEVEL', `"${logLevel}" is not debug, info, warn or error`);
  }
  return {
    platform,
    kafkaSecurity: { tls, tlsCaFile, tlsCertFile, tlsKeyFile, sasl },
    registrySecurity: { basicAuthUserInfo: userInfo === '' ? null : userInfo },
    instanceId: text(env, 'DISTILLWATCH_INSTANCE_ID') ?? `${hostname()}-${process.pid}`,
    metricsHost: text(env, 'DISTILLWATCH_METRICS_HOST') ?? '127.0.0.1',
    metricsPort: integer(env, 'DISTILLWATCH_METRICS_PORT', 9464, 0, 65535),
    idleCheckMs: integer(env, 'DISTILLWATCH_IDLE_CHECK_MS', 1000, 10, 3_600_000),
    commitIntervalMs: integer(env, 'DISTILLWATCH_COMMIT_INTERVAL_MS', 500, 0, 3_600_000),
    sessionTimeoutMs: integer(env, 'DISTILLWATCH_SESSION_TIMEOUT_MS', 30_000, 6_000, 1_800_000),
    detectorConfigFile: text(env, 'DISTILLWATCH_CONFIG'),
    logLevel: logLevel as LogLevel,
  };
}

function text(env: Env, name: string): string | null {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? null : v;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = text(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new ConfigError(name, `"${v}" is not true or false`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = text(env, name);
  if (v === null) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(name, `"${v}" is not an integer in [${min}, ${max}]`);
  return n;
}
