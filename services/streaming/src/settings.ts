// Every setting of the streaming services, read from environment variables (the connection
// config of the platform, DISTILLWATCH_* for the rest) into one typed, validated object. It never
// opens a connection or reads a file: paths stay paths, and a malformed value is a
// ConfigError naming the variable.
import { hostname } from 'node:os';
import { CONNECTION_HELP, ConfigError, loadConfig, type PlatformConfig } from '@distillwatch/platform/config';
import { envInteger, envText, type Env } from '@distillwatch/platform/env';

export interface StreamingSettings {
  /** The connection config every command and service shares (platform/config.ts). */
  platform: PlatformConfig;
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

/** The settings, with a one-line description of each variable for `--help`. */
export const SETTINGS_HELP = `environment:
${CONNECTION_HELP}
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
  const platform = loadConfig(env);
  const logLevel = (envText(env, 'DISTILLWATCH_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new ConfigError('DISTILLWATCH_LOG_LEVEL', `"${logLevel}" is not debug, info, warn or error`);
  }
  return {
    platform,
    instanceId: envText(env, 'DISTILLWATCH_INSTANCE_ID') ?? `${hostname()}-${process.pid}`,
    metricsHost: envText(env, 'DISTILLWATCH_METRICS_HOST') ?? '127.0.0.1',
    metricsPort: envInteger(env, 'DISTILLWATCH_METRICS_PORT', 9464, 0, 65535),
    idleCheckMs: envInteger(env, 'DISTILLWATCH_IDLE_CHECK_MS', 1000, 10, 3_600_000),
    commitIntervalMs: envInteger(env, 'DISTILLWATCH_COMMIT_INTERVAL_MS', 500, 0, 3_600_000),
    sessionTimeoutMs: envInteger(env, 'DISTILLWATCH_SESSION_TIMEOUT_MS', 30_000, 6_000, 1_800_000),
    detectorConfigFile: envText(env, 'DISTILLWATCH_CONFIG'),
    logLevel: logLevel as LogLevel,
  };
}
