// `distillwatch run <aggregator|scorer|all>`: the streaming services as Kafka consumer groups
// (services/streaming). This module only parses flags and settings; the services live there.
import { FEDERATION_SETTINGS_HELP, loadStreamingSettings, runStreaming, SETTINGS_HELP, type ServiceName } from '@distillwatch/streaming';
import { parseFlags, type Command } from '../command.ts';
import { UserError } from '../errors.ts';
import { loadDetectorConfig } from './detect.ts';

const SERVICES: readonly ServiceName[] = ['aggregator', 'scorer', 'scorer-instance', 'all'];
const ROLES = [...SERVICES, 'notifier', 'forum', 'bridge'];

const help = `usage: distillwatch run <aggregator|scorer|scorer-instance|all|notifier|forum|bridge> [--config C] [--federated] [--split]

Runs the streaming services until SIGTERM or SIGINT, then drains: each finishes and commits
what it is processing (Kafka transactions) and leaves its consumer group.

  aggregator  usage-events -> per-account event-time windows and features -> account-features
              (consumer group distillwatch.aggregator; one task per usage partition; state in
              the changelog distillwatch.aggregator.windows; progress in
              distillwatch.aggregator.progress; bad records to usage-events.dlq)
  scorer      account-features (+ on-call verdicts from alert-verdicts) -> campaign linking,
              isolation forest, calibration, lifecycle -> distillation-alerts (consumer group distillwatch.scorer: one owner, the other
              instances stand by; state in distillwatch.scorer.state; models, versioned, in
              distillwatch.scorer.models)
              --split: each window's accounts are scored by scorer-instance
              processes in the context (model, population mix) this scorer
              publishes on distillwatch.scorer.contexts, while it links the window;
              it scores the window once every account's score is in
              (distillwatch.scorer.account-scores). Same alerts for any number of
              instances; at least one must run (README "Several scorer processes")
  scorer-instance
              the per-account half of a split scorer: account-features (consumer
              group distillwatch.scorer-instances) + contexts -> account scores
  all         both in this process (small deployments); --split as for scorer
  notifier    distillation-alerts -> signed webhook POSTs, retried, dead-lettered to
              distillation-alerts.notifier.dlq (consumer group distillwatch.notifier):
              run notifier --url U [--min-severity S] [--format generic|slack]
                           [--secret-env VAR] [--max-attempts N]
              (signing secret in DISTILLWATCH_WEBHOOK_SECRET by default; README "Webhooks")
  forum       federation, on the forum cluster: forum.records.<lab> of every lab -> link,
              sum spend, score -> forum.alerts.<lab> of each lab involved; late records to
              forum.dlq:  run forum --labs lab-a,lab-b,lab-c
  bridge      federation, at a lab: account-features -> forum records on the forum cluster;
              forum alerts -> this lab's distillation-alerts (own accounts in clear, others as
              {lab, token}); verdicts on forum alerts -> forum.verdicts.<lab>:
              run bridge --lab L --forum-key-file K   (K: as for detect --federated;
              the forum cluster connection in FORUM_* variables, below);
              --local-alerts confirmed|immediate (default confirmed) as for
              detect --federated: the lab's local alerts (from a scorer run with
              --federated) reach distillation-alerts once the forum confirms them, or at once

Alerts equal \`distillwatch detect\`'s for the same events and settings, for every window the
stream has closed. Topics that are missing are created. Logs: JSON lines on stderr.
Metrics (Prometheus text format) on /metrics and health on /healthz (see below).

flags:
  --config C   detector settings JSON, as for detect --config (overrides DISTILLWATCH_CONFIG);
               every instance must run with the same settings
  --federated  scorer, all: at a federation's lab, write local alerts to
               distillwatch.scorer.local-alerts for the lab's bridge (run bridge), which
               shows them in distillation-alerts, instead of writing them there
  --help       this text

${SETTINGS_HELP}
${FEDERATION_SETTINGS_HELP}

Exit status: 0 after a clean drain, 1 when a service failed, 2 on a user error.`;

export const run: Command = {
  name: 'run',
  summary: 'the streaming services: aggregator, scorer, all in one process, notifier; federation: forum, bridge',
  help,
  async run(argv) {
    if (argv[0] === 'notifier') return (await import('./notifier.ts')).runNotifierCommand(argv.slice(1));
    if (argv[0] === 'forum') return (await import('./runFederation.ts')).runForumCommand(argv.slice(1));
    if (argv[0] === 'bridge') return (await import('./runFederation.ts')).runBridgeCommand(argv.slice(1));
    const { values, positionals } = parseFlags(argv, { config: { type: 'string' }, federated: { type: 'boolean' }, split: { type: 'boolean' } }, true);
    if (positionals.length !== 1 || !SERVICES.includes(positionals[0] as ServiceName)) {
      throw new UserError(`run needs one of ${ROLES.join(', ')}${positionals.length ? ` (got ${positionals.join(' ')})` : ''}`);
    }
    // A malformed variable, or a metrics port in use, is a ConfigError: a user error (errors.ts).
    const settings = loadStreamingSettings();
    const detector = await loadDetectorConfig(values.config ?? settings.detectorConfigFile ?? undefined);
    const service = positionals[0] as ServiceName;
    if (values.federated && service === 'aggregator') throw new UserError('--federated: only the scorer (run scorer, run all) has local alerts to hand to the bridge');
    if (values.split && service !== 'scorer' && service !== 'all') throw new UserError('--split: only the scorer (run scorer, run all) splits its work with scorer-instance processes');
    if (values.federated && service === 'scorer-instance') throw new UserError('--federated: only the scorer (run scorer, run all) has local alerts to hand to the bridge');
    return await runStreaming({ service, settings, detector, federated: values.federated ?? false, split: values.split ?? false });
  },
};
