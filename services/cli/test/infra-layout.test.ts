import { describe, expect, it } from 'vitest';
import { loadConfig } from '@distillwatch/platform/config';
import { UserError } from '../src/errors.ts';
import { brokerProperties } from '../src/infra/kafka-broker.ts';
import { infraLayout } from '../src/infra/layout.ts';

const properties = (text: string) => Object.fromEntries(
  text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

describe('infraLayout', () => {
  it('serves Kafka on the KAFKA_BROKERS port (controller on the next) and the registry on the SCHEMA_REGISTRY_URL port', () => {
    const layout = infraLayout(loadConfig({}), { DISTILLWATCH_INFRA_DIR: '/var/tmp/dw' });
    expect([layout.kafka.host, layout.kafka.port, layout.kafka.controllerPort]).toEqual(['127.0.0.1', 9092, 9093]);
    expect(layout.registry.apiUrl).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
    expect(layout.kafka.dataDir).toBe('/var/tmp/dw/kafka/data');
    expect(layout.registry.dbDir).toBe('/var/tmp/dw/apicurio/db');
  });

  it('moves with the connection settings, so clients with the same environment find it', () => {
    const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:29092', SCHEMA_REGISTRY_URL: 'http://localhost:28081/apis/ccompat/v7' });
    const layout = infraLayout(config, {});
    expect([layout.kafka.port, layout.kafka.controllerPort, layout.registry.port]).toEqual([29092, 29093, 28081]);
  });

  it('reads the versions from infra/pom.xml', () => {
    const { versions } = infraLayout(loadConfig({}), {});
    expect(versions.kafka).toMatch(/^4\.\d+\.\d+$/);
    expect(versions.apicurio).toMatch(/^3\.\d+\.\d+$/);
  });

  it('refuses addresses it cannot serve: remote hosts, several brokers, a registry path other than ccompat', () => {
    expect(() => infraLayout(loadConfig({ KAFKA_BROKERS: 'kafka.example:9092' }), {})).toThrow(UserError);
    expect(() => infraLayout(loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9094' }), {})).toThrow(/one local broker/);
    expect(() => infraLayout(loadConfig({ SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081' }), {})).toThrow(/apis\/ccompat\/v7/);
  });
});

describe('brokerProperties', () => {
  const props = properties(brokerProperties(infraLayout(loadConfig({}), { DISTILLWATCH_INFRA_DIR: '/var/tmp/dw' })));

  it('runs one KRaft node that is broker and controller, on loopback only', () => {
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'controller.quorum.voters': '1@127.0.0.1:9093',
      listeners: 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9092',
      'log.dirs': '/var/tmp/dw/kafka/data',
    });
  });

  it('gives internal topics one replica, so groups and transactions work on a single node', () => {
    expect(props).toMatchObject({
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
    });
  });

  it('never auto-creates topics and accepts records with any event-time timestamp', () => {
    expect(props).toMatchObject({
      'auto.create.topics.enable': 'false',
      'log.message.timestamp.before.max.ms': '9223372036854775807',
      'log.message.timestamp.after.max.ms': '9223372036854775807',
    });
  });
});
