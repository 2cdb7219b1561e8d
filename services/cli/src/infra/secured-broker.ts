// One federation cluster: a single KRaft node secured as in production, SASL/SCRAM-SHA-512 over
// TLS for clients, mutual TLS between the broker and its controller, and the StandardAuthorizer
// refusing whatever no ACL allows. It must never open a plaintext listener, and never write its
// properties (they hold the admin's password) where others can read them.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { kafkaClient, type Kafka, type KafkaClientOptions } from '@distillwatch/platform/kafka';
import { ADMIN_PRINCIPAL, type ClusterLayout, type FederationLayout } from './federation-layout.ts';
import { password, type Credentials } from './federation-secrets.ts';
import type { JavaRuntime } from './java.ts';
import { combinedNodeRoles, formatStorageOnce, kafkaNodeProcessSpec, LOG4J2_PROPERTIES, nodeListeners, reportsBrokerAndController, singleNodeSettings } from './kafka-broker.ts';
import type { InfraLayout } from './layout.ts';
import type { OwnedProcessSpec } from './owned-process.ts';
import { portAccepts } from './readiness.ts';

/** The heap of each federation JVM: four of them run beside the dev broker and registry. */
export const FEDERATION_HEAP = '-Xmx320m';

export function securedBrokerProperties(layout: FederationLayout, cluster: ClusterLayout, adminPassword: string): string {
  return [
    ...combinedNodeRoles(cluster),
    ...nodeListeners(cluster, 'SASL_SSL'),
    '# Clients authenticate with SCRAM over TLS; the controller only admits certificates of the CA.',
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${ADMIN_PRINCIPAL}" password="${adminPassword}";`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${cluster.keystoreFile}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${layout.caFile}`,
    'listener.name.controller.ssl.client.auth=required',
    '# A certificate\'s principal is its CN (broker.<cluster>), not the whole distinguished name.',
    'ssl.principal.mapping.rules=RULE:^CN=([^,]+).*$/$1/,DEFAULT',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=false',
    `super.users=User:${ADMIN_PRINCIPAL};User:${cluster.brokerPrincipal}`,
    ...singleNodeSettings(cluster.dataDir),
    '',
  ].join('\n');
}

/**
 * Writes the node's config files and formats its storage once, with every principal's SCRAM
 * credentials (the broker's own SASL login needs them before it can serve). Returns the cluster
 * id when it formatted.
 */
export function prepareSecuredBroker(infra: InfraLayout, layout: FederationLayout, cluster: ClusterLayout, java: JavaRuntime, credentials: Credentials): string | undefined {
  mkdirSync(cluster.dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(cluster.propertiesFile, securedBrokerProperties(layout, cluster, password(credentials, cluster.name, ADMIN_PRINCIPAL)), { mode: 0o600 });
  chmodSync(cluster.propertiesFile, 0o600);
  writeFileSync(cluster.log4jFile, LOG4J2_PROPERTIES);
  const scram = cluster.principals.flatMap((principal) => [
    '--add-scram', `SCRAM-SHA-512=[name=${principal},password=${password(credentials, cluster.name, principal)}]`,
  ]);
  return formatStorageOnce(infra, java, cluster, scram);
}

export function securedBrokerProcessSpec(infra: InfraLayout, cluster: ClusterLayout, java: JavaRuntime): OwnedProcessSpec {
  return kafkaNodeProcessSpec(`kafka ${cluster.name}`, infra, cluster, java, ['-Xms128m', FEDERATION_HEAP]);
}

/** A client on a federation cluster, through the Kafka port: TLS trusting the federation CA, SCRAM-SHA-512. */
export function securedKafka(caFile: string, cluster: Pick<ClusterLayout, 'host' | 'port'>, principal: string, secret: string, clientId: string, retry: NonNullable<KafkaClientOptions['retry']> = { retries: 0 }): Kafka {
  return kafkaClient({
    brokers: [`${cluster.host}:${cluster.port}`],
    kafkaSecurity: {
      tls: true, tlsCaFile: caFile, tlsCertFile: null, tlsKeyFile: null,
      sasl: { mechanism: 'scram-sha-512', username: principal, password: secret },
    },
  }, { clientId, logLevel: 'nothing', retry });
}

/** Ready means: the admin logs in over TLS and the broker reports itself and a controller. */
export async function securedBrokerAnswers(caFile: string, cluster: ClusterLayout, adminPassword: string): Promise<boolean> {
  if (!(await portAccepts(cluster.host, cluster.port))) return false;
  return reportsBrokerAndController(securedKafka(caFile, cluster, ADMIN_PRINCIPAL, adminPassword, 'distillwatch-infra').admin());
}
