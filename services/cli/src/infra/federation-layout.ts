// Where the local federation lives: three lab clusters and the forum cluster, each one secured
// KRaft node, their ports, certificates, credentials and env files, and the forum's topic names.
// It must never start, stop or probe anything, nor read a secret: it only computes names, paths
// and ports, so `up`, `down` and `status --federation` always agree on them.
import { join } from 'node:path';
import type { InfraLayout, KafkaLayout } from './layout.ts';

export const LAB_NAMES = ['lab-a', 'lab-b', 'lab-c'] as const;
export type LabName = (typeof LAB_NAMES)[number];
export type ClusterName = LabName | 'forum';
export const CLUSTER_NAMES: readonly ClusterName[] = [...LAB_NAMES, 'forum'];

/** The forum service's own principal; each lab's principal is named after the lab. */
export const FORUM_PRINCIPAL = 'forum';
/** The super user of every cluster: creates topics and ACLs, and the broker's own SASL login. */
export const ADMIN_PRINCIPAL = 'admin';

/**
 * The federation's port block starts here, away from the dev broker (9092/9093) and registry
 * (8081): cluster i serves clients on BASE + 2i and its controller on BASE + 2i + 1.
 */
export const FEDERATION_BASE_PORT = 19092;

/** The forum cluster's topics for one lab: the names the federation's services use. */
export { forumTopicsOf as forumTopics, FORUM_DLQ_TOPIC } from '@distillwatch/streaming/federation/wire';

/**
 * A lab's topics, schema subjects, consumer groups and transactional ids on its own cluster start
 * with this prefix (DISTILLWATCH_TOPIC_PREFIX), so the labs can share one local registry without
 * their subjects colliding, and the ACLs can grant the lab everything under it.
 */
export function labPrefix(lab: LabName): string {
  return `${lab}.`;
}

/** A federation node: a local Kafka node whose `port` is SASL_SSL and whose controller listener is mutual TLS. */
export interface ClusterLayout extends KafkaLayout {
  name: ClusterName;
  /** The broker's TLS identity: PEM private key followed by its certificate (mode 0600). */
  keystoreFile: string;
  /** The certificate's CN, which the controller listener maps to this principal (a super user). */
  brokerPrincipal: string;
  /** The principals with SCRAM credentials on this cluster, admin first. */
  principals: string[];
}

export interface FederationLayout {
  dir: string;
  caDir: string;
  /** The CA certificate Node clients trust (KAFKA_TLS_CA_FILE). */
  caFile: string;
  /** The CA's private key (mode 0600): signs the broker certificates at set-up. */
  caKeyFile: string;
  /** Every principal's password on every cluster (mode 0600). */
  credentialsFile: string;
  /** The key the labs share for identity tokens, current and previous (mode 0600). */
  forumKeyFile: string;
  /** The dev registry every lab node shares (its subjects carry the lab's prefix). */
  schemaRegistryUrl: string;
  clusters: ClusterLayout[];
}

export function federationLayout(infra: InfraLayout): FederationLayout {
  const dir = join(infra.stateDir, 'federation');
  const caDir = join(dir, 'ca');
  return {
    dir,
    caDir,
    caFile: join(caDir, 'ca.pem'),
    caKeyFile: join(caDir, 'ca.key'),
    credentialsFile: join(dir, 'credentials.json'),
    forumKeyFile: join(dir, 'forum-key.json'),
    schemaRegistryUrl: infra.registry.apiUrl,
    clusters: CLUSTER_NAMES.map((name, i) => clusterLayout(dir, infra.stateDir, name, FEDERATION_BASE_PORT + 2 * i)),
  };
}

function clusterLayout(federationDir: string, stateDir: string, name: ClusterName, port: number): ClusterLayout {
  const dir = join(federationDir, name);
  return {
    name,
    dir,
    dataDir: join(dir, 'data'),
    propertiesFile: join(dir, 'server.properties'),
    log4jFile: join(dir, 'log4j2.properties'),
    logFile: join(dir, 'server.log'),
    pidFile: join(dir, 'kafka.pid'),
    keystoreFile: join(dir, 'broker.pem'),
    host: '127.0.0.1',
    port,
    controllerPort: port + 1,
    brokerPrincipal: `broker.${name}`,
    principals: name === 'forum' ? [ADMIN_PRINCIPAL, FORUM_PRINCIPAL, ...LAB_NAMES] : [ADMIN_PRINCIPAL, name],
    marker: `-Ddistillwatch.infra=federation.${name}@${stateDir}`,
  };
}

/**
 * The env file that points every command at `cluster` as `principal`: a lab's own file is
 * `lab-a.env`; a principal on another cluster gets `<principal>.<cluster>.env`
 * (`lab-a.forum.env`, `admin.lab-b.env`).
 */
export function envFileName(principal: string, cluster: ClusterName): string {
  return principal === cluster ? `${principal}.env` : `${principal}.${cluster}.env`;
}

export function clusterByName(layout: FederationLayout, name: ClusterName): ClusterLayout {
  const cluster = layout.clusters.find((c) => c.name === name);
  if (!cluster) throw new Error(`no cluster ${name} in the federation layout`);
  return cluster;
}
