import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, prefixed } from '../src/config.ts';

describe('loadConfig', () => {
  it('defaults to the broker and registry that `infra up` starts, with no prefix', () => {
    expect(loadConfig({})).toEqual({
      brokers: ['127.0.0.1:9092'],
      schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
      topicPrefix: '',
    });
  });

  it('reads several brokers, drops a trailing slash from the registry URL and keeps the prefix verbatim', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9093',
      SCHEMA_REGISTRY_URL: 'https://registry.example:8081/',
      DISTILLWATCH_TOPIC_PREFIX: 'staging.',
    });
    expect(config).toEqual({ brokers: ['kafka-1:9092', 'kafka-2:9093'], schemaRegistryUrl: 'https://registry.example:8081', topicPrefix: 'staging.' });
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

describe('prefixed', () => {
  it('prepends the prefix verbatim to topics, subjects, groups and transactional ids', () => {
    expect(prefixed({ topicPrefix: 'tenant-a.' }, 'usage-events')).toBe('tenant-a.usage-events');
    expect(prefixed({ topicPrefix: '' }, 'usage-events')).toBe('usage-events');
  });
});
