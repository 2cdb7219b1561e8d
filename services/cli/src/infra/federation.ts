// What `distillwatch infra up|down|status|rotate-key --federation` do: set up, start, stop and
// describe the three lab clusters and the forum cluster as one unit, with their CA, credentials,
// ACLs, topics, env files and forum key. It must never touch the dev broker and registry (only
// ask whether the registry answers), never stop a process it did not start, and `up` must be safe
// to repeat: what exists is kept, what runs is left running.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from '@distillwatch/platform/kafka';
import { distillwatchTopics, ensureTopics, type TopicSpec } from '@distillwatch/platform/topics';
import { ensureBinaries } from './binaries.ts';
import { ensureBrokerCertificate, ensureCa } from './certificates.ts';
import { clusterGrants, forumClusterTopics, type AclGrant } from './federation-acls.ts';
import { ADMIN_PRINCIPAL, envFileName, type ClusterLayout, type FederationLayout } from './federation-layout.ts';
import { ensureCredentials, ensureForumKey, password, readCredentials, topicPrefixOn, writeEnvFiles, type Credentials } from './federation-secrets.ts';
import { findJava } from './java.ts';
import type { InfraLayout } from './layout.ts';
import { refuseForeignListener, START_TIMEOUT_MS } from './local-infra.ts';
import { runningPid, startOwnedProcess, stopOwnedProcess } from './owned-process.ts';
import { awaitReady } from './readiness.ts';
import { registryAnswers } from './schema-registry.ts';
import { prepareSecuredBroker, securedBrokerAnswers, securedBrokerProcessSpec, securedKafka } from './secured-broker.ts';

type Say = (line: string) => void;

/** Four JVMs start at once on what may be a small, shared machine. */
const FEDERATION_START_TIMEOUT_MS = 2 * START_TIMEOUT_MS;

export async function federationUp(infra: InfraLayout, layout: FederationLayout, say: Say): Promise<void> {
  const java = findJava();
  ensureBinaries(infra, say);
  if (ensureCa(layout)) say(`made the federation CA: ${layout.caFile}`);
  const credentials = ensureCredentials(layout);
  if (ensureForumKey(layout)) say(`made the forum key: ${layout.forumKeyFile}`);
  const caFile = layout.caFile;

  /** Every cluster with its pid, whether it ran already or was started now. */
  const nodes: { cluster: ClusterLayout; pid: number }[] = [];
  for (const cluster of layout.clusters) {
    if (ensureBrokerCertificate(layout, cluster)) say(`issued the ${cluster.name} broker certificate: ${cluster.keystoreFile}`);
    const running = runningPid(cluster.pidFile, cluster.marker);
    if (running !== undefined) {
      say(`${cluster.name} already running (pid ${running})`);
      nodes.push({ cluster, pid: running });
      continue;
    }
    await refuseForeignListener(`kafka ${cluster.name}`, cluster.host, [cluster.port, cluster.controllerPort]);
    const clusterId = prepareSecuredBroker(infra, layout, cluster, java, credentials);
    if (clusterId) say(`formatted ${cluster.name} storage with its SCRAM users (cluster id ${clusterId})`);
    const pid = startOwnedProcess(securedBrokerProcessSpec(infra, cluster, java));
    say(`starting ${cluster.name} (pid ${pid}, log ${cluster.logFile})`);
    nodes.push({ cluster, pid });
  }

  const readiness = await Promise.allSettled(nodes.map(({ cluster, pid }) => awaitReady(
    { name: `kafka ${cluster.name}`, pid, marker: cluster.marker, logFile: cluster.logFile },
    () => securedBrokerAnswers(caFile, cluster, password(credentials, cluster.name, ADMIN_PRINCIPAL)),
    FEDERATION_START_TIMEOUT_MS,
  )));
  const failed = readiness.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;

  for (const { cluster } of nodes) await applyTopicsAndAcls(caFile, cluster, credentials);
  const envFiles = writeEnvFiles(layout, credentials);
  say(`wrote ${envFiles.length} env files in ${layout.dir} (e.g. set -a; source ${join(layout.dir, envFileName('lab-a', 'lab-a'))}; set +a)`);
  for (const { cluster, pid } of nodes) say(`${cluster.name.padEnd(6)} ${cluster.host}:${cluster.port}  SASL_SSL, SCRAM-SHA-512  (pid ${pid})`);
  if (!(await registryAnswers(infra).catch(() => false))) {
    say(`note: the schema registry the lab nodes share (${layout.schemaRegistryUrl}) does not answer; start it with infra up`);
  }
}

/** Retries while a fresh cluster loads its coordinators (NOT_COORDINATOR and the like, a few seconds). */
const WARM_UP_RETRY = { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 };

/**
 * Topics (the lab's distillwatch topics under its prefix, or the forum's), the ACLs, and the
 * group and transaction coordinators; all idempotent. A fresh cluster makes its offsets and
 * transaction-state topics on first use and loads them for seconds, and kafkajs does not retry
 * a transaction's offset commit that meets a coordinator still loading: using both once here
 * means a cluster `up` reports is ready for consumer groups and exactly-once.
 */
async function applyTopicsAndAcls(caFile: string, cluster: ClusterLayout, credentials: Credentials): Promise<void> {
  const kafka = securedKafka(caFile, cluster, ADMIN_PRINCIPAL, password(credentials, cluster.name, ADMIN_PRINCIPAL), 'distillwatch-infra', WARM_UP_RETRY);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics: TopicSpec[] = cluster.name === 'forum' ? forumClusterTopics() : distillwatchTopics({ topicPrefix: topicPrefixOn(cluster.name) });
    await ensureTopics(admin, topics);
    // Creating a binding that exists is a no-op for Kafka.
    await admin.createAcls({ acl: clusterGrants(cluster.name).flatMap(aclEntries) });
    await admin.describeGroups([WARM_UP_ID]);
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ transactionalId: WARM_UP_ID, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    // Beginning a transaction asks the transaction coordinator for a producer id; nothing is sent.
    await (await producer.transaction()).abort();
  } finally {
    await producer.disconnect();
  }
}

/** The consumer group and transactional id `up` uses to wake the coordinators (never holds data). */
const WARM_UP_ID = 'distillwatch-infra.ready';

const RESOURCE_TYPES = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP, 'transactional-id': AclResourceTypes.TRANSACTIONAL_ID } as const;
const OPERATIONS = { all: AclOperationTypes.ALL, read: AclOperationTypes.READ, write: AclOperationTypes.WRITE, describe: AclOperationTypes.DESCRIBE } as const;

export function aclEntries(grant: AclGrant): AclEntry[] {
  return grant.operations.map((operation) => ({
    principal: grant.principal,
    host: '*',
    operation: OPERATIONS[operation],
    permissionType: AclPermissionTypes.ALLOW,
    resourceType: RESOURCE_TYPES[grant.resource],
    resourceName: grant.name,
    resourcePatternType: grant.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
  }));
}

export async function federationDown(layout: FederationLayout, say: Say): Promise<void> {
  // Stopped one at a time: four JVMs flushing at once would only slow each other down.
  for (const cluster of layout.clusters) {
    const pid = runningPid(cluster.pidFile, cluster.marker);
    if (pid === undefined) {
      say(`${cluster.name} is not running`);
      continue;
    }
    const how = await stopOwnedProcess(pid, { name: `kafka ${cluster.name}`, pidFile: cluster.pidFile, marker: cluster.marker });
    say(`${cluster.name} stopped (pid ${pid}${how === 'killed' ? ', killed after the grace period' : ''})`);
  }
}

export interface ClusterStatus {
  name: string;
  bootstrap: string;
  pid: number | null;
  /** The process runs and the admin logs in over TLS. */
  ready: boolean;
  principals: string[];
  /** principal → the env file that connects as it to this cluster. */
  envFiles: Record<string, string>;
  dataDir: string;
  logFile: string;
}

export interface FederationStatus {
  running: boolean;
  caFile: string;
  credentialsFile: string;
  forumKeyFile: string;
  schemaRegistryUrl: string;
  clusters: ClusterStatus[];
}

export async function federationStatus(layout: FederationLayout): Promise<FederationStatus> {
  let caFile: string | undefined;
  let credentials: Credentials | undefined;
  try {
    readFileSync(layout.caFile, 'utf8');
    caFile = layout.caFile;
    credentials = readCredentials(layout);
  } catch {
    // Never set up: every cluster reports stopped.
  }
  const clusters = await Promise.all(layout.clusters.map(async (cluster): Promise<ClusterStatus> => {
    const pid = runningPid(cluster.pidFile, cluster.marker);
    const ready = pid !== undefined && caFile !== undefined && credentials !== undefined
      && (await securedBrokerAnswers(caFile, cluster, password(credentials, cluster.name, ADMIN_PRINCIPAL)).catch(() => false));
    return {
      name: cluster.name,
      bootstrap: `${cluster.host}:${cluster.port}`,
      pid: pid ?? null,
      ready,
      principals: cluster.principals.map((p) => `User:${p}`),
      envFiles: Object.fromEntries(cluster.principals.map((p) => [p, join(layout.dir, envFileName(p, cluster.name))])),
      dataDir: cluster.dataDir,
      logFile: cluster.logFile,
    };
  }));
  return {
    running: clusters.every((c) => c.ready),
    caFile: layout.caFile,
    credentialsFile: layout.credentialsFile,
    forumKeyFile: layout.forumKeyFile,
    schemaRegistryUrl: layout.schemaRegistryUrl,
    clusters,
  };
}
