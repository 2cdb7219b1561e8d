// Where the local infrastructure lives: binaries, data, logs, pid files, and the loopback
// addresses it serves. It must never start, stop or probe anything: it only computes paths and
// ports from the connection settings, so `up`, `down` and `status` always agree on them.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { UserError } from '../errors.ts';

/** The repository root (this file is services/cli/src/infra/layout.ts). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

/** The Confluent-compatible API path of Apicurio Registry 3. */
export const CCOMPAT_PATH = '/apis/ccompat/v7';

export interface InfraVersions {
  kafka: string;
  apicurio: string;
}

export interface KafkaLayout {
  dir: string;
  dataDir: string;
  propertiesFile: string;
  log4jFile: string;
  logFile: string;
  pidFile: string;
  host: string;
  port: number;
  controllerPort: number;
  /** Appears in the JVM's command line, so a pid file is only trusted for our own process. */
  marker: string;
}

export interface RegistryLayout {
  dir: string;
  dbDir: string;
  logFile: string;
  pidFile: string;
  host: string;
  port: number;
  apiUrl: string;
  marker: string;
}

export interface InfraLayout {
  pomFile: string;
  /** Resolved binaries, shared by every state directory: .local/infra/lib. */
  libDir: string;
  kafkaLibDir: string;
  apicurioDir: string;
  /** Data, logs and pid files: DISTILLWATCH_INFRA_DIR, default .local. */
  stateDir: string;
  versions: InfraVersions;
  kafka: KafkaLayout;
  registry: RegistryLayout;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

/**
 * The broker listens on the (single, loopback) address of KAFKA_BROKERS and the registry on the
 * host and port of SCHEMA_REGISTRY_URL, so clients with the same environment find them.
 */
export function infraLayout(config: PlatformConfig, env: Readonly<Record<string, string | undefined>> = process.env): InfraLayout {
  if (config.brokers.length !== 1) {
    throw new UserError(`KAFKA_BROKERS: infra runs one local broker, got ${config.brokers.length} addresses`);
  }
  const [kafkaHost, kafkaPortText] = config.brokers[0]!.split(':') as [string, string];
  if (!LOOPBACK.has(kafkaHost)) {
    throw new UserError(`KAFKA_BROKERS: infra serves only on 127.0.0.1 or localhost, not ${kafkaHost}`);
  }
  const registryUrl = new URL(config.schemaRegistryUrl);
  if (!LOOPBACK.has(registryUrl.hostname) || registryUrl.protocol !== 'http:' || registryUrl.pathname !== CCOMPAT_PATH) {
    throw new UserError(`SCHEMA_REGISTRY_URL: infra serves the registry at http://127.0.0.1:<port>${CCOMPAT_PATH}, not ${config.schemaRegistryUrl}`);
  }
  const kafkaPort = Number(kafkaPortText);
  const registryPort = Number(registryUrl.port || '80');

  const libDir = join(REPO_ROOT, '.local', 'infra', 'lib');
  const stateDir = resolve(env.DISTILLWATCH_INFRA_DIR?.trim() || join(REPO_ROOT, '.local'));
  const kafkaDir = join(stateDir, 'kafka');
  const registryDir = join(stateDir, 'apicurio');
  const pomFile = join(REPO_ROOT, 'infra', 'pom.xml');
  return {
    pomFile,
    libDir,
    kafkaLibDir: join(libDir, 'kafka'),
    apicurioDir: join(libDir, 'apicurio'),
    stateDir,
    versions: pomVersions(pomFile),
    kafka: {
      dir: kafkaDir,
      dataDir: join(kafkaDir, 'data'),
      propertiesFile: join(kafkaDir, 'server.properties'),
      log4jFile: join(kafkaDir, 'log4j2.properties'),
      logFile: join(kafkaDir, 'server.log'),
      pidFile: join(kafkaDir, 'kafka.pid'),
      host: '127.0.0.1',
      port: kafkaPort,
      controllerPort: kafkaPort + 1,
      marker: `-Ddistillwatch.infra=kafka@${stateDir}`,
    },
    registry: {
      dir: registryDir,
      dbDir: join(registryDir, 'db'),
      logFile: join(registryDir, 'registry.log'),
      pidFile: join(registryDir, 'registry.pid'),
      host: '127.0.0.1',
      port: registryPort,
      apiUrl: `http://127.0.0.1:${registryPort}${CCOMPAT_PATH}`,
      marker: `-Ddistillwatch.infra=apicurio@${stateDir}`,
    },
  };
}

/** The versions infra/pom.xml resolves: the one place they are written down. */
function pomVersions(pomFile: string): InfraVersions {
  const pom = readFileSync(pomFile, 'utf8');
  const property = (name: string): string => {
    const match = new RegExp(`<${name.replace('.', '\\.')}>([^<]+)</`).exec(pom);
    if (!match) throw new Error(`${pomFile}: property ${name} not found`);
    return match[1]!.trim();
  };
  return { kafka: property('kafka.version'), apicurio: property('apicurio.version') };
}
