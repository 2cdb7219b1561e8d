// The environment of a federation's parties in tests and benches, from the env files that
// `infra up --federation` writes: no test framework here, so bench/federation.ts can use it too.
import { readFileSync } from 'node:fs';

export const LABS = ['lab-a', 'lab-b', 'lab-c'] as const;

/** The variables of an env file `infra up --federation` wrote (KEY='value' lines, single-quoted). */
export function readEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => {
      const name = line.slice(0, line.indexOf('='));
      const quoted = line.slice(line.indexOf('=') + 1);
      return [name, quoted.slice(1, -1).replaceAll(`'\\''`, "'")];
    }));
}

/** Reads an env file of `infra up --federation` (principal on cluster). */
export type EnvFileReader = (cluster: string, principal: string) => Record<string, string>;

/** A lab's environment: its cluster under a run's own prefix, and the forum cluster as FORUM_ variables. */
export function labEnv(envFile: EnvFileReader, lab: string, prefix: string): Record<string, string> {
  const forum = Object.fromEntries(Object.entries(envFile('forum', lab)).map(([k, v]) => [`FORUM_${k}`, v]));
  return {
    ...envFile(lab, lab), ...forum, DISTILLWATCH_TOPIC_PREFIX: prefix,
    DISTILLWATCH_METRICS_PORT: '0', DISTILLWATCH_IDLE_CHECK_MS: '300', DISTILLWATCH_COMMIT_INTERVAL_MS: '200',
    DISTILLWATCH_BRIDGE_QUIET_MS: '3000',
  };
}

