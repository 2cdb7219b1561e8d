import { describe, expect, it } from 'vitest';
import { loadConfig } from '@distillwatch/platform/config';
import { clusterGrants, forumClusterTopics, type AclGrant } from '../src/infra/federation-acls.ts';
import { clusterByName, envFileName, federationLayout } from '../src/infra/federation-layout.ts';
import { connectionEnv } from '../src/infra/federation-secrets.ts';
import { infraLayout } from '../src/infra/layout.ts';
import { securedBrokerProperties } from '../src/infra/secured-broker.ts';

const layout = federationLayout(infraLayout(loadConfig({}), { DISTILLWATCH_INFRA_DIR: '/var/tmp/dw' }));

const properties = (text: string) => Object.fromEntries(
  text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

/** Does any grant let `principal` do `operation` on the topic `name`? */
function mayOnTopic(grants: AclGrant[], principal: string, operation: 'read' | 'write', name: string): boolean {
  return grants.some((g) => g.principal === principal && g.resource === 'topic'
    && (g.pattern === 'literal' ? g.name === name : name.startsWith(g.name))
    && (g.operations.includes(operation) || g.operations.includes('all')));
}

describe('federationLayout', () => {
  it('puts four clusters in a port block clear of the dev broker and registry, under the state dir', () => {
    expect(layout.clusters.map((c) => [c.name, c.port, c.controllerPort])).toEqual([
      ['lab-a', 19092, 19093], ['lab-b', 19094, 19095], ['lab-c', 19096, 19097], ['forum', 19098, 19099],
    ]);
    expect(layout.caFile).toBe('/var/tmp/dw/federation/ca/ca.pem');
    expect(layout.forumKeyFile).toBe('/var/tmp/dw/federation/forum-key.json');
    expect(clusterByName(layout, 'lab-b').dataDir).toBe('/var/tmp/dw/federation/lab-b/data');
    expect(new Set(layout.clusters.map((c) => c.marker)).size).toBe(4);
  });

  it('gives each lab cluster its own user only, and the forum cluster every lab, the forum and an admin', () => {
    expect(clusterByName(layout, 'lab-a').principals).toEqual(['admin', 'lab-a']);
    expect(clusterByName(layout, 'forum').principals).toEqual(['admin', 'forum', 'lab-a', 'lab-b', 'lab-c']);
  });

  it('names env files after the principal, and the cluster when it is not the principal\'s own', () => {
    expect(envFileName('lab-a', 'lab-a')).toBe('lab-a.env');
    expect(envFileName('forum', 'forum')).toBe('forum.env');
    expect(envFileName('lab-a', 'forum')).toBe('lab-a.forum.env');
    expect(envFileName('admin', 'lab-b')).toBe('admin.lab-b.env');
  });

  it('env files set the connection variables: SCRAM over TLS with the CA, the shared registry, the lab\'s prefix', () => {
    expect(connectionEnv(layout, clusterByName(layout, 'lab-c'), 'lab-c', 'pw')).toEqual({
      KAFKA_BROKERS: '127.0.0.1:19096',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'lab-c',
      KAFKA_SASL_PASSWORD: 'pw',
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: '/var/tmp/dw/federation/ca/ca.pem',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
      DISTILLWATCH_TOPIC_PREFIX: 'lab-c.',
    });
    expect(connectionEnv(layout, clusterByName(layout, 'forum'), 'lab-c', 'pw').DISTILLWATCH_TOPIC_PREFIX).toBe('');
  });
});

describe('securedBrokerProperties', () => {
  const props = properties(securedBrokerProperties(layout, clusterByName(layout, 'forum'), 'secret'));

  it('opens no plaintext listener: SCRAM over TLS for clients, mutual TLS for the controller', () => {
    expect(props).toMatchObject({
      listeners: 'SASL_SSL://127.0.0.1:19098,CONTROLLER://127.0.0.1:19099',
      'advertised.listeners': 'SASL_SSL://127.0.0.1:19098',
      'listener.security.protocol.map': 'SASL_SSL:SASL_SSL,CONTROLLER:SSL',
      'listener.name.controller.ssl.client.auth': 'required',
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
      'ssl.truststore.location': '/var/tmp/dw/federation/ca/ca.pem',
    });
    expect(Object.values(props).join('\n')).not.toMatch(/PLAINTEXT/);
  });

  it('refuses whatever no ACL allows; only the admin and the broker itself are super users', () => {
    expect(props).toMatchObject({
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'allow.everyone.if.no.acl.found': 'false',
      'super.users': 'User:admin;User:broker.forum',
    });
    expect(props['listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config']).toContain('username="admin" password="secret"');
  });
});

describe('clusterGrants', () => {
  const forum = clusterGrants('forum');

  it('lets each lab write only its own records and verdicts and read only its own alerts', () => {
    for (const lab of ['lab-a', 'lab-b', 'lab-c']) {
      for (const other of ['lab-a', 'lab-b', 'lab-c']) {
        const own = lab === other;
        expect([lab, other, mayOnTopic(forum, `User:${lab}`, 'write', `forum.records.${other}`)]).toEqual([lab, other, own]);
        expect([lab, other, mayOnTopic(forum, `User:${lab}`, 'write', `forum.verdicts.${other}`)]).toEqual([lab, other, own]);
        expect([lab, other, mayOnTopic(forum, `User:${lab}`, 'read', `forum.alerts.${other}`)]).toEqual([lab, other, own]);
        expect(mayOnTopic(forum, `User:${lab}`, 'read', `forum.records.${other}`)).toBe(false);
        expect(mayOnTopic(forum, `User:${lab}`, 'write', `forum.alerts.${other}`)).toBe(false);
      }
    }
  });

  it('lets the forum read every lab\'s records and verdicts and write every lab\'s alerts, nothing else', () => {
    for (const lab of ['lab-a', 'lab-b', 'lab-c']) {
      expect(mayOnTopic(forum, 'User:forum', 'read', `forum.records.${lab}`)).toBe(true);
      expect(mayOnTopic(forum, 'User:forum', 'read', `forum.verdicts.${lab}`)).toBe(true);
      expect(mayOnTopic(forum, 'User:forum', 'write', `forum.alerts.${lab}`)).toBe(true);
      expect(mayOnTopic(forum, 'User:forum', 'write', `forum.records.${lab}`)).toBe(false);
      expect(mayOnTopic(forum, 'User:forum', 'read', `forum.alerts.${lab}`)).toBe(false);
    }
  });

  it('gives a lab everything under its prefix on its own cluster, groups and transactional ids included, and nobody else anything', () => {
    expect(clusterGrants('lab-b')).toEqual(['topic', 'group', 'transactional-id'].map((resource) => ({
      principal: 'User:lab-b', resource, pattern: 'prefixed', name: 'lab-b.', operations: ['all'],
    })));
  });

  it('creates every topic the grants name on the forum cluster', () => {
    const topics = forumClusterTopics().map((t) => t.name);
    const literal = forum.filter((g) => g.resource === 'topic' && g.pattern === 'literal').map((g) => g.name);
    expect(topics.sort()).toEqual([...new Set(literal)].sort());
  });
});
