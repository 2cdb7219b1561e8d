// `distillwatch infra up|down|status`: the local Kafka broker and schema registry that every
// other command and the integration tests use. The work is in ../infra/; this module only
// parses flags, prints and maps failures to exit codes.
import { loadConfig } from '@distillwatch/platform/config';
import { parseFlags, type Command } from '../command.ts';
import { UserError } from '../errors.ts';
import { federationDown, federationStatus, federationUp, type FederationStatus } from '../infra/federation.ts';
import { federationLayout } from '../infra/federation-layout.ts';
import { rotateForumKey } from '../infra/federation-secrets.ts';
import { infraLayout, type InfraLayout } from '../infra/layout.ts';
import { infraDown, infraStatus, infraUp, type InfraStatus } from '../infra/local-infra.ts';
import { InfraStartError } from '../infra/readiness.ts';

const HELP = `usage: distillwatch infra <up|down|status> [--json] [--federation]
       distillwatch infra rotate-key --federation

Starts, stops or reports the local infrastructure:
  kafka     Apache Kafka 4 in KRaft mode, one node, on the address of KAFKA_BROKERS
            (default 127.0.0.1:9092; its controller listens on the next port)
  apicurio  Apicurio Registry 3 with the Confluent-compatible API at SCHEMA_REGISTRY_URL
            (default http://127.0.0.1:8081/apis/ccompat/v7), global compatibility
            BACKWARD, schemas kept in an H2 file

Binaries are resolved once with Maven (infra/pom.xml) into .local/infra/lib; data, logs
and pid files live in DISTILLWATCH_INFRA_DIR (default .local). Needs java 17+ and mvn.

  up      start what is not running, wait until both answer, create the topics
          (with DISTILLWATCH_TOPIC_PREFIX) and set the global compatibility; idempotent
  down    stop the processes infra up started (SIGTERM, then SIGKILL after 30 s)
  status  what runs, where, versions; exits 1 unless both run and answer

With --federation the same actions set up, start, stop or report the local federation
instead: three lab clusters (lab-a, lab-b, lab-c) and the forum cluster, each one KRaft node
on 127.0.0.1:19092, 19094, 19096 and 19098, secured with TLS (a CA made at set-up),
SASL/SCRAM-SHA-512 users and ACLs; the CA, credentials, one env file per principal and
cluster, and the forum key live in DISTILLWATCH_INFRA_DIR/federation. The dev broker and
registry are left alone (the lab nodes share that registry).

  rotate-key  (--federation) make a new forum key; the old one stays as the previous key

flags:
  --json        (status) print the status as one JSON object
  --federation  act on the federation's clusters, not the dev broker and registry
`;

export const infra: Command = {
  name: 'infra',
  summary: 'Start, stop or report the local Kafka broker and schema registry',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, federation: { type: 'boolean' } }, true);
    const [action, ...extra] = positionals;
    if (action === undefined) throw new UserError('missing action: infra up, infra down or infra status');
    if (extra.length > 0) throw new UserError(`unexpected argument '${extra[0]}'`);
    const say = (line: string) => process.stdout.write(`${line}\n`);
    try {
      const config = loadConfig();
      const layout = infraLayout(config);
      if (values.federation) return await runFederation(action, layout, values.json === true, say);
      return await runAction(action, {
        up: async () => { await infraUp(config, layout, say); return 0; },
        down: async () => { await infraDown(layout, say); return 0; },
        status: async () => {
          const status = await infraStatus(layout);
          say(values.json ? JSON.stringify(status) : formatStatus(status));
          return status.running ? 0 : 1;
        },
      });
    } catch (err) {
      if (err instanceof InfraStartError) {
        process.stderr.write(`distillwatch: ${err.message}\n--- last lines of ${err.logFile} ---\n${err.logTail}\n`);
        return 1;
      }
      throw err;
    }
  },
};

async function runFederation(action: string, infraLayout: InfraLayout, json: boolean, say: (line: string) => void): Promise<number> {
  const layout = federationLayout(infraLayout);
  return runAction(action, {
    up: async () => { await federationUp(infraLayout, layout, say); return 0; },
    down: async () => { await federationDown(layout, say); return 0; },
    status: async () => {
      const status = await federationStatus(layout);
      say(json ? JSON.stringify(status) : formatFederationStatus(status));
      return status.running ? 0 : 1;
    },
    'rotate-key': async () => {
      const { current, previous } = rotateForumKey(layout);
      say(`forum key rotated in ${layout.forumKeyFile}: current ${current}, previous ${previous}`);
      return 0;
    },
  });
}

/** Runs `action`, one of `actions`; any other is a user error naming them. */
async function runAction(action: string, actions: Record<string, () => Promise<number>>): Promise<number> {
  const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
  if (run === undefined) {
    const names = Object.keys(actions);
    throw new UserError(`unknown action '${action}': use ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);
  }
  return run();
}

function formatFederationStatus(status: FederationStatus): string {
  const clusters = status.clusters.map((c) => {
    const state = c.ready ? 'running' : c.pid !== null ? 'not answering' : 'stopped';
    return [
      `${c.name.padEnd(6)} ${state.padEnd(13)} ${c.bootstrap}  SASL_SSL, SCRAM-SHA-512, pid ${c.pid ?? '-'}`,
      `       principals ${c.principals.join(', ')} (admin is the super user)`,
      ...Object.entries(c.envFiles).map(([principal, file]) => `       env ${principal.padEnd(6)} ${file}`),
      `       data ${c.dataDir}, log ${c.logFile}`,
    ].join('\n');
  });
  return [
    ...clusters,
    `CA file      ${status.caFile}`,
    `credentials  ${status.credentialsFile}`,
    `forum key    ${status.forumKeyFile}`,
    `registry     ${status.schemaRegistryUrl} (shared by the lab nodes)`,
  ].join('\n');
}

function formatStatus(status: InfraStatus): string {
  const lines = status.components.map((c) => {
    const state = c.ready ? 'running' : c.pid !== null ? 'not answering' : 'stopped';
    return [
      `${c.name.padEnd(8)} ${state.padEnd(13)} ${c.address}`,
      `         version ${c.version}, pid ${c.pid ?? '-'}, data ${c.dataDir}, log ${c.logFile}`,
    ].join('\n');
  });
  return [
    ...lines,
    `java     ${status.java}`,
    `registry global compatibility: ${status.globalCompatibility ?? '-'}`,
  ].join('\n');
}
