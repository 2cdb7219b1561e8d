// The Kafka and Apicurio Registry binaries, resolved from Maven Central by infra/pom.xml into
// .local/infra/lib. It must never run Maven when the jars for the pinned versions are already
// there (a warm `infra up` stays offline and fast).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import type { InfraLayout } from './layout.ts';

export function kafkaJar(layout: InfraLayout): string {
  return join(layout.kafkaLibDir, `kafka_2.13-${layout.versions.kafka}.jar`);
}

/** The Quarkus runner jar of the registry (its dependencies sit beside it in lib/). */
export function apicurioJar(layout: InfraLayout): string {
  return join(layout.apicurioDir, `apicurio-registry-app-${layout.versions.apicurio}-runner.jar`);
}

export function binariesPresent(layout: InfraLayout): boolean {
  return existsSync(kafkaJar(layout)) && existsSync(apicurioJar(layout));
}

/** Resolves the binaries with Maven when missing; returns true when it had to. */
export function ensureBinaries(layout: InfraLayout, say: (line: string) => void): boolean {
  if (binariesPresent(layout)) return false;
  say(`resolving Kafka ${layout.versions.kafka} and Apicurio Registry ${layout.versions.apicurio} with Maven into ${layout.libDir} (first run only)`);
  // Another version's jars on the same classpath would clash: start from empty folders.
  rmSync(layout.kafkaLibDir, { recursive: true, force: true });
  rmSync(layout.apicurioDir, { recursive: true, force: true });
  const result = spawnSync('mvn', ['-q', '-B', '-f', layout.pomFile, 'package', `-Dinfra.lib=${layout.libDir}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new UserError(`cannot run mvn (${result.error.message}): install Maven 3.8+`);
  if (result.status !== 0 || !binariesPresent(layout)) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new UserError(`mvn -f ${layout.pomFile} failed (exit ${result.status}):\n${output}`);
  }
  return true;
}
