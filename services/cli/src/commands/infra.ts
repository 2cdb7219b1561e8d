// `distillwatch infra up|down|status`: the local Kafka broker and schema registry that every
// other command and the integration tests use. The work is in ../infra/; this module only
// parses flags, prints and maps failures to exit codes.
import { loadConfig } from '@distillwatch/platform/config';
import { parseFlags, type Command } from '../command.ts';
import { UserError } from '../errors.ts';
import { infraLayout } from '../infra/layout.ts';
import { infraDown, infraStatus, infraUp, type InfraStatus } from '../infra/local-infra.ts';
import { InfraStartError } from '../infra/readiness.ts';

const HELP = `usage: distillwatch infra <up|down|status> [--json]

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

flags:
  --json  (status) print the status as one JSON object
`;

export const infra: Command = {
  name: 'infra',
  summary: 'Start, stop or report the local Kafka broker and schema registry',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' } }, true);
    const [action, ...extra] = positionals;
    if (action === undefined) throw new UserError('missing action: infra up, infra down or infra status');
    if (extra.length > 0) throw new UserError(`unexpected argument '${extra[0]}'`);
    const say = (line: string) => process.stdout.write(`${line}\n`);
    try {
      const config = loadConfig();
      const layout = infraLayout(config);
      switch (action) {
        case 'up':
          await infraUp(config, layout, say);
          return 0;
        case 'down':
          await infraDown(layout, say);
          return 0;
        case 'status': {
          const status = await infraStatus(layout);
          say(values.json ? JSON.stringify(status) : formatStatus(status));
          return status.running ? 0 : 1;
        }
        default:
          throw new UserError(`unknown action '${action}': use up, down or status`);
      }
    } catch (err) {
      if (err instanceof InfraStartError) {
        process.stderr.write(`distillwatch: ${err.message}\n--- last lines of ${err.logFile} ---\n${err.logTail}\n`);
        return 1;
      }
      throw err;
    }
  },
};

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
