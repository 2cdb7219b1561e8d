// Settings of the streaming services from the environment: defaults, the shared connection
// config for real clusters, and a one-line error naming the variable for anything malformed.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@distillwatch/platform/config';
import { ConfigError } from '@distillwatch/platform/errors';
import { loadStreamingSettings } from '../src/settings.ts';

describe('loadStreamingSettings', () => {
  it('runs against the local infra with no variables set', () => {
    const s = loadStreamingSettings({});
    expect(s.platform).toEqual(loadConfig({}));
    expect(s.platform.kafkaSecurity).toEqual({ tls: false, tlsCaFile: null, tlsCertFile: null, tlsKeyFile: null, sasl: null });
    expect(s.platform.registrySecurity.basicAuthUserInfo).toBeNull();
    expect([s.metricsHost, s.metricsPort, s.idleCheckMs, s.commitIntervalMs, s.sessionTimeoutMs, s.logLevel])
      .toEqual(['127.0.0.1', 9464, 1000, 500, 30_000, 'info']);
  });

  it('connects with the platform\'s connection config: SASL/SCRAM, TLS files and registry basic auth for a real cluster', () => {
    const env = {
      KAFKA_BROKERS: 'b-1.example:9096,b-2.example:9096', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'dw',
      KAFKA_SASL_PASSWORD: 's3cret', KAFKA_TLS_CA_FILE: 'ca.pem', SCHEMA_REGISTRY_URL: 'https://registry.example',
      SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'user:pw', DISTILLWATCH_TOPIC_PREFIX: 'prod.',
    };
    const s = loadStreamingSettings(env);
    expect(s.platform).toEqual(loadConfig(env));
    expect(s.platform.kafkaSecurity).toEqual({ tls: true, tlsCaFile: 'ca.pem', tlsCertFile: null, tlsKeyFile: null, sasl: { mechanism: 'scram-sha-512', username: 'dw', password: 's3cret' } });
    expect(s.platform.registrySecurity.basicAuthUserInfo).toBe('user:pw');
    expect(s.platform.topicPrefix).toBe('prod.');
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, /KAFKA_SASL_MECHANISM: "gssapi"/],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'dw' }, /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required/],
    [{ KAFKA_TLS_CERT_FILE: 'c.pem' }, /KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together/],
    [{ KAFKA_TLS: 'maybe' }, /KAFKA_TLS: "maybe" is not true or false/],
    [{ SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'nocolon' }, /must be user:password/],
    [{ DISTILLWATCH_METRICS_PORT: '70000' }, /DISTILLWATCH_METRICS_PORT: "70000" is not an integer in \[0, 65535\]/],
    [{ DISTILLWATCH_SESSION_TIMEOUT_MS: '100' }, /DISTILLWATCH_SESSION_TIMEOUT_MS/],
    [{ DISTILLWATCH_LOG_LEVEL: 'chatty' }, /DISTILLWATCH_LOG_LEVEL/],
    [{ KAFKA_BROKERS: 'nohost' }, /KAFKA_BROKERS: "nohost" is not host:port/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadStreamingSettings(env)).toThrow(ConfigError);
    expect(() => loadStreamingSettings(env)).toThrow(message);
  });
});
