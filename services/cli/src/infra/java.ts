// Finding the JVM that runs the broker and the registry (JAVA_HOME's, else `java` on PATH) and
// checking it is new enough. It must never install or download a JDK.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { UserError } from '../errors.ts';

export interface JavaRuntime {
  command: string;
  /** As `java -version` prints it, e.g. `17.0.15`. */
  version: string;
  major: number;
}

/** Kafka 4 brokers and Apicurio Registry 3 both need Java 17 or newer. */
export const MIN_JAVA_MAJOR = 17;

export function findJava(env: Readonly<Record<string, string | undefined>> = process.env): JavaRuntime {
  const command = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  const result = spawnSync(command, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new UserError(`cannot run ${command} -version: install a JDK ${MIN_JAVA_MAJOR}+ or set JAVA_HOME`);
  }
  const match = /version "([^"]+)"/.exec(result.stderr);
  const version = match?.[1] ?? 'unknown';
  const major = Number(version.startsWith('1.') ? version.split('.')[1] : version.split(/[.+-]/)[0]);
  if (!(major >= MIN_JAVA_MAJOR)) {
    throw new UserError(`${command} is Java ${version}; Kafka 4 and Apicurio Registry 3 need Java ${MIN_JAVA_MAJOR}+ (set JAVA_HOME)`);
  }
  return { command, version, major };
}
