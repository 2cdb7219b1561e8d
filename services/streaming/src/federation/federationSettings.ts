// Settings of the federation's services, from environment variables like every other setting
// (settings.ts): the bridge's second connection, to the forum cluster (the connection variables
// of CONTRACT.md §1 with `FORUM_` in front: FORUM_KAFKA_BROKERS, FORUM_KAFKA_SASL_USERNAME, ...),
// the bridge's quiet time and the forum's lag bound. A malformed value is a ConfigError naming
// the variable. It never opens a connection or reads a file.
import { ConfigError, loadConfig, type PlatformConfig } from '@distillwatch/platform/config';
import { envInteger, type Env } from '@distillwatch/platform/env';
import { DEFAULT_FORUM_OPTIONS } from '@distillwatch/core';

const FORUM_PREFIX = 'FORUM_';

export const FEDERATION_SETTINGS_HELP = `  FORUM_KAFKA_BROKERS, FORUM_KAFKA_TLS, FORUM_KAFKA_TLS_CA_FILE, FORUM_KAFKA_SASL_MECHANISM,
  FORUM_KAFKA_SASL_USERNAME, FORUM_KAFKA_SASL_PASSWORD, ...
                                      bridge: the forum cluster, as this lab's principal there
                                      (the connection variables above with FORUM_ in front;
                                      FORUM_KAFKA_BROKERS is required)
  DISTILLWATCH_BRIDGE_QUIET_MS        bridge: how long the lab's stream clock must stand still,
                                      with nothing unread, before the forum stops waiting for
                                      it (default 5000)
  DISTILLWATCH_FORUM_MAX_LAB_LAG_MS   forum: how far (event time) a lab with backlog may hold
                                      the forum behind the leading lab (default ${DEFAULT_FORUM_OPTIONS.maxLabLagMs})`;

/** The forum cluster's connection config, from the FORUM_-prefixed connection variables. */
export function loadForumConnection(env: Env = process.env): PlatformConfig {
  if (!env[`${FORUM_PREFIX}KAFKA_BROKERS`]) throw new ConfigError(`${FORUM_PREFIX}KAFKA_BROKERS`, 'missing', { sentence: 'the bridge needs FORUM_KAFKA_BROKERS (and the rest of the forum cluster connection, FORUM_*)' });
  const stripped: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (name.startsWith(FORUM_PREFIX)) stripped[name.slice(FORUM_PREFIX.length)] = value;
  try {
    // The forum's topics are the same for every lab: no prefix there.
    return { ...loadConfig(stripped), topicPrefix: '' };
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${FORUM_PREFIX}${err.key}`, err.message, { sentence: `forum cluster connection (FORUM_ variables): ${err.message}` });
    throw err;
  }
}

export function bridgeQuietMs(env: Env = process.env): number {
  return envInteger(env, 'DISTILLWATCH_BRIDGE_QUIET_MS', 5000, 0, 3_600_000);
}

export function forumMaxLabLagMs(env: Env = process.env): number {
  return envInteger(env, 'DISTILLWATCH_FORUM_MAX_LAB_LAG_MS', DEFAULT_FORUM_OPTIONS.maxLabLagMs, 0, 366 * 86_400_000);
}
