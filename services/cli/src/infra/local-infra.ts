// What `distillwatch infra up|down|status` do: start, stop and describe the local broker and
// registry as one unit. It must never stop or report as ours a process it did not start, and
// `up` must be safe to repeat: what already runs is left running.
import type { PlatformConfig } from '@distillwatch/platform/config';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { distillwatchTopics, ensureTopics } from '@distillwatch/platform/topics';
import { UserError } from '../errors.ts';
import { ensureBinaries } from './binaries.ts';
import { findJava, type JavaRuntime } from './java.ts';
import { brokerAnswers, prepareBroker, startBroker } from './kafka-broker.ts';
import type { InfraLayout } from './layout.ts';
import { runningPid, stopOwnedProcess } from './owned-process.ts';
import { awaitReady, portAccepts } from './readiness.ts';
import { enforceBackwardCompatibility, globalCompatibility, registryAnswers, startRegistry } from './schema-registry.ts';

type Say = (line: string) => void;

/** A cold JVM start on a busy 2-core machine can take a while; a hung one must still fail. */
export const START_TIMEOUT_MS = 120_000;

export async function infraUp(config: PlatformConfig, layout: InfraLayout, say: Say): Promise<void> {
  const java = findJava();
  ensureBinaries(layout, say);

  const kafkaPid = alreadyRunning('kafka', runningPid(layout.kafka.pidFile, layout.kafka.marker), say) ?? (await startKafka(layout, java, say));
  const registryPid = alreadyRunning('apicurio', runningPid(layout.registry.pidFile, layout.registry.marker), say) ?? (await startApicurio(layout, java, say));

  // Both start at once; wait for both before reporting, so no poll outlives the command.
  const readiness = await Promise.allSettled([
    awaitReady({ name: 'kafka', pid: kafkaPid, marker: layout.kafka.marker, logFile: layout.kafka.logFile }, () => brokerAnswers(layout), START_TIMEOUT_MS),
    awaitReady({ name: 'apicurio', pid: registryPid, marker: layout.registry.marker, logFile: layout.registry.logFile }, () => registryAnswers(layout), START_TIMEOUT_MS),
  ]);
  const failed = readiness.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;

  const admin = kafkaClient(config, { clientId: 'distillwatch-infra', logLevel: 'error' }).admin();
  await admin.connect();
  try {
    const { created } = await ensureTopics(admin, distillwatchTopics(config));
    if (created.length > 0) say(`created topics: ${created.join(', ')}`);
  } finally {
    await admin.disconnect();
  }
  await enforceBackwardCompatibility(layout.registry.apiUrl);

  say(`kafka ${layout.versions.kafka}     ${layout.kafka.host}:${layout.kafka.port}  (pid ${kafkaPid})`);
  say(`apicurio ${layout.versions.apicurio}  ${layout.registry.apiUrl}  (pid ${registryPid}, compatibility BACKWARD)`);
}

function alreadyRunning(name: string, pid: number | undefined, say: Say): number | undefined {
  if (pid !== undefined) say(`${name} already running (pid ${pid})`);
  return pid;
}

async function startKafka(layout: InfraLayout, java: JavaRuntime, say: Say): Promise<number> {
  await refuseForeignListener('kafka', layout.kafka.host, [layout.kafka.port, layout.kafka.controllerPort]);
  const clusterId = prepareBroker(layout, java);
  if (clusterId) say(`formatted kafka storage in ${layout.kafka.dataDir} (cluster id ${clusterId})`);
  const pid = startBroker(layout, java);
  say(`starting kafka ${layout.versions.kafka} (pid ${pid}, log ${layout.kafka.logFile})`);
  return pid;
}

async function startApicurio(layout: InfraLayout, java: JavaRuntime, say: Say): Promise<number> {
  await refuseForeignListener('apicurio', layout.registry.host, [layout.registry.port]);
  const pid = startRegistry(layout, java);
  say(`starting apicurio registry ${layout.versions.apicurio} (pid ${pid}, log ${layout.registry.logFile})`);
  return pid;
}

/** A port already served by a process we did not start would make ours fail in confusing ways. */
export async function refuseForeignListener(name: string, host: string, ports: number[]): Promise<void> {
  for (const port of ports) {
    if (await portAccepts(host, port)) {
      throw new UserError(`cannot start ${name}: ${host}:${port} is already in use by a process infra up did not start`);
    }
  }
}

export async function infraDown(layout: InfraLayout, say: Say): Promise<void> {
  // Registry first: it is a client of nothing here, but stopping it first keeps the order
  // symmetric with any storage that would live in Kafka.
  for (const [name, part] of [['apicurio', layout.registry], ['kafka', layout.kafka]] as const) {
    const pid = runningPid(part.pidFile, part.marker);
    if (pid === undefined) {
      say(`${name} is not running`);
      continue;
    }
    const how = await stopOwnedProcess(pid, { name, ...part });
    say(`${name} stopped (pid ${pid}${how === 'killed' ? ', killed after the grace period' : ''})`);
  }
}

export interface ComponentStatus {
  name: 'kafka' | 'apicurio';
  version: string;
  address: string;
  pid: number | null;
  /** The process runs and answers its protocol. */
  ready: boolean;
  dataDir: string;
  logFile: string;
}

export interface InfraStatus {
  running: boolean;
  java: string;
  stateDir: string;
  components: ComponentStatus[];
  globalCompatibility: string | null;
}

export async function infraStatus(layout: InfraLayout): Promise<InfraStatus> {
  const java = findJava();
  const kafkaPid = runningPid(layout.kafka.pidFile, layout.kafka.marker);
  const registryPid = runningPid(layout.registry.pidFile, layout.registry.marker);
  const kafkaReady = kafkaPid !== undefined && (await brokerAnswers(layout).catch(() => false));
  const registryReady = registryPid !== undefined && (await registryAnswers(layout).catch(() => false));
  const components: ComponentStatus[] = [
    {
      name: 'kafka', version: layout.versions.kafka, address: `${layout.kafka.host}:${layout.kafka.port}`,
      pid: kafkaPid ?? null, ready: kafkaReady, dataDir: layout.kafka.dataDir, logFile: layout.kafka.logFile,
    },
    {
      name: 'apicurio', version: layout.versions.apicurio, address: layout.registry.apiUrl,
      pid: registryPid ?? null, ready: registryReady, dataDir: layout.registry.dbDir, logFile: layout.registry.logFile,
    },
  ];
  return {
    running: kafkaReady && registryReady,
    java: java.version,
    stateDir: layout.stateDir,
    components,
    globalCompatibility: registryReady ? await globalCompatibility(layout.registry.apiUrl).catch(() => null) : null,
  };
}
