// The local Kafka broker: a single KRaft node (broker and controller in one JVM) run from the
// jars in .local/infra/lib/kafka. It must never reformat storage that already holds data: the
// storage is formatted once, and its cluster id stays in the data dir's meta.properties.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAINTEXT } from '@distillwatch/platform/config';
import { kafkaClient, type Admin } from '@distillwatch/platform/kafka';
import type { JavaRuntime } from './java.ts';
import type { InfraLayout, KafkaLayout } from './layout.ts';
import { startOwnedProcess, type OwnedProcessSpec } from './owned-process.ts';
import { InfraStartError, portAccepts } from './readiness.ts';

/** Broker settings for one development node; each line says why it differs from Kafka's default. */
export function brokerProperties(layout: InfraLayout): string {
  const { kafka } = layout;
  return [
    ...combinedNodeRoles(kafka),
    ...nodeListeners(kafka, 'PLAINTEXT'),
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    ...singleNodeSettings(kafka.dataDir),
    '',
  ].join('\n');
}

/** One JVM is the whole cluster: its only broker and its only controller (KRaft voter). */
export function combinedNodeRoles(node: Pick<KafkaLayout, 'host' | 'controllerPort'>): string[] {
  return ['process.roles=broker,controller', 'node.id=1', `controller.quorum.voters=1@${node.host}:${node.controllerPort}`];
}

/**
 * The node's client listener (`PLAINTEXT`, or `SASL_SSL` on a federation cluster) beside its
 * controller listener. With one node, inter-broker traffic is the controller's and its own.
 */
export function nodeListeners(node: Pick<KafkaLayout, 'host' | 'port' | 'controllerPort'>, listener: string): string[] {
  return [
    `listeners=${listener}://${node.host}:${node.port},CONTROLLER://${node.host}:${node.controllerPort}`,
    `advertised.listeners=${listener}://${node.host}:${node.port}`,
    'controller.listener.names=CONTROLLER',
    `inter.broker.listener.name=${listener}`,
  ];
}

/** What every local single node sets beyond its listeners: storage, replication, timestamps. */
export function singleNodeSettings(dataDir: string): string[] {
  return [
    `log.dirs=${dataDir}`,
    '# One node: every internal topic gets one replica, and one in-sync replica is enough.',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    '# Fewer internal partitions than the default 50: faster first start on a small machine.',
    'offsets.topic.num.partitions=6',
    'transaction.state.log.num.partitions=6',
    '# Consumer groups start at once in tests instead of waiting 3 s for more members.',
    'group.initial.rebalance.delay.ms=0',
    '# Topics have explicit partitions and configs (distillwatch topics); a typo must fail.',
    'auto.create.topics.enable=false',
    '# Records carry event time, which may lie far in the past (replays) or ahead (clock skew):',
    '# accept any timestamp (Kafka 4 defaults to rejecting more than 1 h in the future).',
    'log.message.timestamp.before.max.ms=9223372036854775807',
    'log.message.timestamp.after.max.ms=9223372036854775807',
  ];
}

export const LOG4J2_PROPERTIES = [
  '# The broker logs to stdout, which infra up sends to server.log.',
  'status = warn',
  'appender.stdout.type = Console',
  'appender.stdout.name = STDOUT',
  'appender.stdout.layout.type = PatternLayout',
  'appender.stdout.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = INFO',
  'rootLogger.appenderRef.stdout.ref = STDOUT',
  '# Per-request and state-change chatter is not useful in development.',
  'logger.request.name = kafka.request.logger',
  'logger.request.level = WARN',
  'logger.config.name = org.apache.kafka.common.config.AbstractConfig',
  'logger.config.level = WARN',
  '',
].join('\n');

export function classpath(layout: Pick<InfraLayout, 'kafkaLibDir'>): string {
  return join(layout.kafkaLibDir, '*');
}

/** A KRaft cluster id: 16 random bytes, URL-safe base64 without padding, as Kafka's Uuid prints it. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Writes the config files, and formats the storage if it never was. Returns the formatted cluster id when it formatted. */
export function prepareBroker(layout: InfraLayout, java: JavaRuntime): string | undefined {
  const { kafka } = layout;
  mkdirSync(kafka.dataDir, { recursive: true });
  writeFileSync(kafka.propertiesFile, brokerProperties(layout));
  writeFileSync(kafka.log4jFile, LOG4J2_PROPERTIES);
  return formatStorageOnce(layout, java, kafka, []);
}

/** The files of one local node that formatting reads and writes. */
export interface NodeFiles {
  dataDir: string;
  propertiesFile: string;
  log4jFile: string;
  logFile: string;
}

/**
 * Formats the node's storage unless meta.properties shows it was; `extraArgs` go to the storage
 * tool (SCRAM credentials, for example). Returns the cluster id when it formatted.
 */
export function formatStorageOnce(layout: Pick<InfraLayout, 'kafkaLibDir'>, java: JavaRuntime, node: NodeFiles, extraArgs: string[]): string | undefined {
  if (existsSync(join(node.dataDir, 'meta.properties'))) return undefined;
  const clusterId = newClusterId();
  const result = spawnSync(java.command, [
    '-Xmx256m', `-Dlog4j2.configurationFile=${node.log4jFile}`, '-cp', classpath(layout),
    'kafka.tools.StorageTool', 'format', '--cluster-id', clusterId, '--config', node.propertiesFile, ...extraArgs,
  ], { encoding: 'utf8' });
  if (result.status !== 0) {
    writeFileSync(node.logFile, `${result.stdout}\n${result.stderr}`);
    throw new InfraStartError(`formatting Kafka storage in ${node.dataDir} failed (exit ${result.status})`, node.logFile);
  }
  return clusterId;
}

export function brokerProcessSpec(layout: InfraLayout, java: JavaRuntime): OwnedProcessSpec {
  return kafkaNodeProcessSpec('kafka', layout, layout.kafka, java, ['-Xms256m', '-Xmx1g']);
}

/** The JVM of one local Kafka node, with the given heap flags, tracked by its marker. */
export function kafkaNodeProcessSpec(name: string, libs: Pick<InfraLayout, 'kafkaLibDir'>, node: KafkaLayout, java: JavaRuntime, heap: string[]): OwnedProcessSpec {
  return {
    name,
    command: java.command,
    args: [
      node.marker,
      ...heap, '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${node.log4jFile}`,
      '-cp', classpath(libs),
      'kafka.Kafka', node.propertiesFile,
    ],
    cwd: node.dir,
    logFile: node.logFile,
    pidFile: node.pidFile,
    marker: node.marker,
  };
}

export function startBroker(layout: InfraLayout, java: JavaRuntime): number {
  return startOwnedProcess(brokerProcessSpec(layout, java));
}

/** Ready means: the port accepts connections and the broker answers a metadata request. */
export async function brokerAnswers(layout: InfraLayout): Promise<boolean> {
  const { kafka } = layout;
  if (!(await portAccepts(kafka.host, kafka.port))) return false;
  // One quick attempt per poll: the caller polls again.
  // The broker `infra up` starts listens in plaintext on the loopback.
  return reportsBrokerAndController(kafkaClient(
    { brokers: [`${kafka.host}:${kafka.port}`], ...PLAINTEXT },
    { clientId: 'distillwatch-infra', logLevel: 'nothing', retry: { retries: 0 } },
  ).admin());
}

/** Whether the cluster `admin` reaches reports a broker and a controller; connects and lets go of `admin`. */
export async function reportsBrokerAndController(admin: Admin): Promise<boolean> {
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect();
  }
}
