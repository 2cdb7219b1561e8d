// The Kafka broker and schema registry that every *.int.test.ts runs against, and names that
// keep concurrent test runs apart. It must never skip a test: when no broker is reachable the
// tests fail loudly, saying how to start one.
//
// Where the broker comes from, first match wins:
//   1. KAFKA_BROKERS (and SCHEMA_REGISTRY_URL) when set: an existing cluster, reached with the
//      connection config's TLS, SASL and registry auth (platform/config.ts);
//   2. a Docker engine that answers: testcontainers starts apache/kafka and Confluent's registry;
//   3. otherwise the broker and registry of `pnpm distillwatch infra up` on their default ports.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { DEFAULT_KAFKA_BROKERS, DEFAULT_SCHEMA_REGISTRY_URL, loadConfig, PLAINTEXT, type PlatformConfig } from '../src/config.ts';
import { kafkaClient } from '../src/kafka/index.ts';
import { tcpProbe } from '../src/net.ts';

/** The same versions as infra/pom.xml and infra/docker-compose.yml. */
export const KAFKA_IMAGE = 'apache/kafka:4.1.1';
export const SCHEMA_REGISTRY_IMAGE = 'confluentinc/cp-schema-registry:8.1.0';

export interface IntegrationInfra {
  brokers: string[];
  schemaRegistryUrl: string;
  security: Pick<PlatformConfig, 'kafkaSecurity' | 'registrySecurity'>;
  source: 'KAFKA_BROKERS' | 'testcontainers' | 'infra up';
}

let shared: Promise<IntegrationInfra> | undefined;

/** The broker and registry for this test process (started once, reused by every test file in it). */
export function integrationInfra(): Promise<IntegrationInfra> {
  shared ??= locateInfra();
  return shared;
}

/**
 * A PlatformConfig for one test: its own topic prefix, so topics, subjects and consumer groups
 * of different tests and runs never collide on a shared broker.
 */
export async function integrationConfig(label: string): Promise<PlatformConfig> {
  const infra = await integrationInfra();
  return { brokers: infra.brokers, schemaRegistryUrl: infra.schemaRegistryUrl, topicPrefix: uniqueTopicPrefix(label), ...infra.security };
}

/** `it-<label>-<time>-<random>.`: unique per call, readable in broker listings, valid in topic names. */
export function uniqueTopicPrefix(label: string): string {
  const safe = label.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 40);
  return `it-${safe}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.`;
}

/** Finds (or starts) the infrastructure as described at the top of this file; throws when there is none. */
export async function locateInfra(env: Readonly<Record<string, string | undefined>> = process.env): Promise<IntegrationInfra> {
  if (env.KAFKA_BROKERS?.trim()) {
    const { brokers, schemaRegistryUrl, kafkaSecurity, registrySecurity } = loadConfig(env);
    const infra: IntegrationInfra = { brokers: [...brokers], schemaRegistryUrl, security: { kafkaSecurity, registrySecurity }, source: 'KAFKA_BROKERS' };
    await requireReachable(infra, `KAFKA_BROKERS=${env.KAFKA_BROKERS} is set but`);
    return infra;
  }
  const docker = await dockerInfra(env);
  if (docker) return docker;
  const infra: IntegrationInfra = {
    brokers: [DEFAULT_KAFKA_BROKERS],
    schemaRegistryUrl: env.SCHEMA_REGISTRY_URL?.trim() || DEFAULT_SCHEMA_REGISTRY_URL,
    security: PLAINTEXT,
    source: 'infra up',
  };
  await requireReachable(infra, 'KAFKA_BROKERS is unset, no Docker engine answers, and');
  return infra;
}

async function requireReachable(infra: IntegrationInfra, context: string): Promise<void> {
  const broker = await brokerAnswers(infra);
  const registry = await registryAnswers(infra);
  if (broker && registry) return;
  const missing = [
    broker ? undefined : `no Kafka broker answers at ${infra.brokers.join(',')}`,
    registry ? undefined : `no schema registry answers at ${infra.schemaRegistryUrl}`,
  ].filter(Boolean).join(' and ');
  throw new Error(`integration tests need Kafka and a schema registry: ${context} ${missing}. Start it with \`pnpm distillwatch infra up\`.`);
}

async function brokerAnswers(infra: IntegrationInfra): Promise<boolean> {
  // kafkajs retries a refused connection for half a minute; a closed port needs no retry.
  if (!(await Promise.all(infra.brokers.map(acceptsTcp))).some(Boolean)) return false;
  const admin = kafkaClient(
    { brokers: infra.brokers, kafkaSecurity: infra.security.kafkaSecurity },
    { clientId: 'distillwatch-test-harness', logLevel: 'nothing', retry: { retries: 2, initialRetryTime: 200 } },
  ).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function acceptsTcp(broker: string): Promise<boolean> {
  return (await tcpProbe(broker)) === null;
}

async function registryAnswers(infra: IntegrationInfra): Promise<boolean> {
  const userInfo = infra.security.registrySecurity.basicAuthUserInfo;
  const headers: Record<string, string> = userInfo ? { authorization: `Basic ${Buffer.from(userInfo).toString('base64')}` } : {};
  try {
    const response = await fetch(`${infra.schemaRegistryUrl}/subjects`, { headers, signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Docker hosts (CI elsewhere, laptops): the same Kafka version and Confluent's own registry. */
async function dockerInfra(env: Readonly<Record<string, string | undefined>>): Promise<IntegrationInfra | undefined> {
  if (!env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return undefined;
  const tc = await import('testcontainers');
  let runtimeHost: string;
  try {
    runtimeHost = (await tc.getContainerRuntimeClient()).info.containerRuntime.host;
  } catch {
    return undefined;
  }
  const network = await new tc.Network().start();
  const kafkaPort = await new tc.RandomPortGenerator().generatePort();
  // The broker advertises the host port to the tests and the network alias to the registry.
  await new tc.GenericContainer(KAFKA_IMAGE)
    .withNetwork(network)
    .withNetworkAliases('kafka')
    .withExposedPorts({ container: 9092, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,INTERNAL://:19092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${runtimeHost}:${kafkaPort},INTERNAL://kafka:19092`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS: '9223372036854775807',
      KAFKA_LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS: '9223372036854775807',
    })
    .withWaitStrategy(tc.Wait.forLogMessage(/Kafka Server started/))
    .start();
  const registry = await new tc.GenericContainer(SCHEMA_REGISTRY_IMAGE)
    .withNetwork(network)
    .withExposedPorts(8081)
    .withEnvironment({
      SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
      SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: 'PLAINTEXT://kafka:19092',
      SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR: '1',
      SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL: 'backward',
    })
    .withWaitStrategy(tc.Wait.forHttp('/subjects', 8081))
    .start();
  // Testcontainers' reaper removes the containers and network when this process exits.
  return {
    brokers: [`${runtimeHost}:${kafkaPort}`],
    schemaRegistryUrl: `http://${registry.getHost()}:${registry.getMappedPort(8081)}`,
    security: PLAINTEXT,
    source: 'testcontainers',
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for private test instances). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` on 127.0.0.1 can be listened on now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Two adjacent free ports, the first returned: Kafka needs them (broker, controller). */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65_000 && (await portIsFree(port + 1))) return port;
  }
}

/** The environment that points the CLI and the services at a config's broker, registry and topic prefix. */
export function configEnv(config: PlatformConfig): Record<string, string> {
  return { KAFKA_BROKERS: config.brokers.join(','), SCHEMA_REGISTRY_URL: config.schemaRegistryUrl, DISTILLWATCH_TOPIC_PREFIX: config.topicPrefix };
}

/** What a finished process printed, and how it ended. */
export interface ProcessRun { status: number | null; stdout: string; stderr: string }

/** Runs `node script args...` with `env` on top of this process's environment, to completion. */
export function runNodeScript(script: string, args: readonly string[], env: Record<string, string>): Promise<ProcessRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
