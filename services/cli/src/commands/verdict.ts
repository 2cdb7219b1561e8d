// `distillwatch verdict`: an on-call verdict on one alert, published to `alert-verdicts`
// (CONTRACT.md section 5). The alert is read back from the alerts topic to fill subject_id and
// accounts; verdict_time is --at, or else the end of the latest window on the alerts topic
// (event time, so offline, replay and streaming apply the verdict to the same windows). The
// note goes only into the verdict itself (stdout echoes what was published, stderr never holds
// it), and the alerts topic is only read (a throw-away group).
import { VerdictKind_SYMBOLS, type DistillationAlert, type VerdictKind } from '@distillwatch/core';
import { followAlerts, publishVerdict, verdictOn } from '@distillwatch/oncall';
import { CONNECTION_HELP, loadConfig } from '@distillwatch/platform/config';
import { parseFlags, required, stringFlags, type Command } from '../command.ts';
import { rethrowConnectionError } from '../connectionErrors.ts';
import { UserError } from '../errors.ts';
import { parseInstant } from './replay.ts';

const help = `usage: distillwatch verdict --alert ID --verdict benign|distillation|unsure [--note T] [--analyst A] [--at T]

Publishes an on-call verdict on an alert to the alert-verdicts topic (Avro, key subject_id).
The alert is looked up on the alerts topic (distillation-alerts) to fill subject_id and
accounts. The scorer applies the verdict to every window that ends after verdict_time:
  benign        the subject is not paged again unless its behaviour changes materially
                (score up by 0.05 or more over the judged window, or its campaign gains
                accounts); subjects that look like it score lower
  distillation  subjects that look like it score higher
  unsure        recorded; replaces an earlier verdict on the subject, changes no score

flags:
  --alert ID     the alert_id judged (as alerts tail --json shows it)
  --verdict V    benign, distillation or unsure
  --note T       free text for people; never copied into alerts or logs
  --analyst A    who decided
  --at T         verdict_time: ISO-8601 with Z or an offset, or epoch ms (default: the end of
                 the latest window on the alerts topic, i.e. from the next window scored)
  --help         this text

Prints the published verdict as one JSON line on stdout.
Exit status: 0 on success, 2 on a user error (unknown alert id, bad flag, unreachable broker).

${CONNECTION_HELP}`;

export function parseVerdictKind(text: string): VerdictKind {
  if (!(VerdictKind_SYMBOLS as readonly string[]).includes(text)) {
    throw new UserError(`--verdict: "${text}" is not one of ${VerdictKind_SYMBOLS.join(', ')}`);
  }
  return text as VerdictKind;
}

export const verdict: Command = {
  name: 'verdict',
  summary: 'publish an on-call verdict on an alert to alert-verdicts',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, stringFlags('alert', 'verdict', 'note', 'analyst', 'at'));
    const alertId = required(values.alert, 'alert');
    const kind = parseVerdictKind(required(values.verdict, 'verdict'));
    const at = values.at === undefined ? null : parseInstant(values.at, 'at');
    const config = loadConfig();
    let judged: DistillationAlert | null = null;
    let latestWindowEnd = Number.NEGATIVE_INFINITY;
    try {
      await followAlerts(config, {
        fromBeginning: true, stopAtEnd: true, clientId: 'distillwatch-verdict',
        onAlert: (alert) => {
          if (alert.alert_id === alertId) judged = alert;
          latestWindowEnd = Math.max(latestWindowEnd, alert.window_end);
        },
      });
      if (judged === null) throw new UserError(`--alert: no alert ${alertId} on the alerts topic`);
      const v = verdictOn(judged, { verdict: kind, verdictTime: at ?? latestWindowEnd, analyst: values.analyst ?? null, note: values.note ?? null });
      const where = await publishVerdict(config, v);
      process.stdout.write(`${JSON.stringify(v)}\n`);
      process.stderr.write(`verdict: ${kind} on ${alertId} (subject ${v.subject_id}, ${v.accounts.length} accounts) from ${new Date(v.verdict_time).toISOString()} -> ${where.topic} partition ${where.partition} offset ${where.offset}\n`);
    } catch (err) {
      if (err instanceof UserError) throw err;
      rethrowConnectionError(err, config.brokers);
    }
    return 0;
  },
};
