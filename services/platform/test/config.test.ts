import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, PLAINTEXT, prefixed } from '../src/config.ts';

describe('loadConfig', () => {
  it('defaults to the broker and registry that `infra up` starts, with no prefix', () => {
    expect(loadConfig({})).toEqual({
      brokers: ['127.0.0.1:9092'],
      schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
      topicPrefix: '',
      ...PLAINTEXT,
    });
  });

  it('reads several brokers, drops a trailing slash from the registry URL and keeps the prefix verbatim', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9093',
      SCHEMA_REGISTRY_URL: 'https://registry.example:8081/',
      DISTILLWATCH_TOPIC_PREFIX: 'staging.',
    });
    expect(config).toEqual({ brokers: ['kafka-1:9092', 'kafka-2:9093'], schemaRegistryUrl: 'https://registry.example:8081', topicPrefix: 'staging.', ...PLAINTEXT });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ KAFKA_BROKERS: ' ', SCHEMA_REGISTRY_URL: '' }).brokers).toEqual(['127.0.0.1:9092']);
  });

  it('rejects a broker without a port and a registry URL that is not http(s), naming the variable', () => {
    expect(() => loadConfig({ KAFKA_BROKERS: 'kafka-1' })).toThrow(new ConfigError('KAFKA_BROKERS', '"kafka-1" is not host:port'));
    expect(() => loadConfig({ SCHEMA_REGISTRY_URL: 'ftp://x' })).toThrow(/^SCHEMA_REGISTRY_URL: /);
    expect(() => loadConfig({ SCHEMA_REGISTRY_URL: 'not a url' })).toThrow(ConfigError);
  });
});

describe('loadConfig: a secured cluster', () => {
  it('reads SASL/SCRAM (mechanism in any case), a CA file and registry basic auth', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'b-1.example:9096', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'dw', KAFKA_SASL_PASSWORD: ' s3cret ',
      KAFKA_TLS_CA_FILE: 'ca.pem', SCHEMA_REGISTRY_URL: 'https://registry.example', SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'user:pw',
    });
    expect(config.kafkaSecurity).toEqual({ tls: true, tlsCaFile: 'ca.pem', tlsCertFile: null, tlsKeyFile: null, sasl: { mechanism: 'scram-sha-512', username: 'dw', password: ' s3cret ' } });
    expect(config.registrySecurity).toEqual({ basicAuthUserInfo: 'user:pw' });
  });

  it('turns TLS on with KAFKA_TLS alone, or with a client certificate and key for mutual TLS', () => {
    expect(loadConfig({ KAFKA_TLS: 'true' }).kafkaSecurity.tls).toBe(true);
    expect(loadConfig({ KAFKA_TLS: 'no' }).kafkaSecurity.tls).toBe(false);
    expect(loadConfig({ KAFKA_TLS_CERT_FILE: 'c.pem', KAFKA_TLS_KEY_FILE: 'k.pem' }).kafkaSecurity).toMatchObject({ tls: true, tlsCertFile: 'c.pem', tlsKeyFile: 'k.pem' });
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_MECHANISM: "gssapi" is not scram-sha-256, scram-sha-512 or plain'],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'dw' }, 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_MECHANISM is set: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required'],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'pw' }, 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_MECHANISM is set: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required'],
    [{ KAFKA_TLS_CERT_FILE: 'c.pem' }, 'KAFKA_TLS_KEY_FILE', 'KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together: set both or neither'],
    [{ KAFKA_TLS: 'maybe' }, 'KAFKA_TLS', 'KAFKA_TLS: "maybe" is not true or false'],
    [{ SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'nocolon' }, 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO', 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO must be user:password'],
  ])('rejects %j as a ConfigError keyed %s', (env, key, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect((error as ConfigError).message).toBe(message);
  });
});

describe('prefixed', () => {
  it('prepends the prefix verbatim to topics, subjects, groups and transactional ids', () => {
    expect(prefixed({ topicPrefix: 'tenant-a.' }, 'usage-events')).toBe('tenant-a.usage-events');
    expect(prefixed({ topicPrefix: '' }, 'usage-events')).toBe('usage-events');
  });
});
