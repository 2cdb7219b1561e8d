// `distillwatch alerts tail`: the on-call view of the alerts topic. People get one compact block
// per alert (severity coloured on a terminal, who, how much, why); scripts get `--json`, one
// alert per line exactly as in the topic (CONTRACT.md section 3). It only reads: its consumer
// group is throw-away, never commits, and is deleted when it stops.
import type { Severity } from '@distillwatch/core';
import { atLeast, followAlerts, formatAlert, parseSeverity, SEVERITIES } from '@distillwatch/oncall';
import { loadConfig } from '@distillwatch/platform/config';
import { parseFlags, type Command } from '../command.ts';
import { rethrowConnectionError } from '../connectionErrors.ts';
import { UserError } from '../errors.ts';
import { LineWriter } from '../io/output.ts';

const help = `usage: distillwatch alerts tail [--min-severity S] [--from-beginning] [--json] [--max N] [--exit-at-end]

Follows the alerts topic (distillation-alerts) until interrupted (Ctrl-C) and prints each alert:
for people, one block per alert with its severity (coloured on a terminal), subject, accounts
and labs, spend and KYC tier, and its top reasons as "feature value vs population percentile";
with --json, one alert per line (the topic's fields, CONTRACT.md section 3). Records written
with any registered version of the alert schema are read as the current version.

flags:
  --min-severity S   only alerts at or above S: ${SEVERITIES.join(', ')} (default low: all)
  --from-beginning   start with the oldest alert in the topic (default: only new alerts)
  --json             one alert per line as JSON instead of the human view
  --max N            stop after printing N alerts
  --exit-at-end      stop once every alert that was in the topic at start has been read
                     (with --from-beginning; without it there is nothing to read, so it exits
                     at once). For scripts: alerts tail --from-beginning --exit-at-end --json
  --topic T          read another topic of alerts, e.g. one that replay wrote (prefix added)
  --help             this text

Alerts of one subject keep their order; alerts of different subjects may interleave across
partitions. Exit status: 0 when stopped, 2 on a user error (bad flag, unreachable broker).

environment: KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DISTILLWATCH_TOPIC_PREFIX (see README).`;

export const alerts: Command = {
  name: 'alerts',
  summary: 'on-call view of the alerts topic: alerts tail, human-readable or --json',
  help,
  async run(argv) {
    const [verb, ...rest] = argv;
    if (verb !== 'tail') throw new UserError(`alerts needs the verb tail${verb === undefined ? '' : ` (got ${verb})`}`);
    const { values } = parseFlags(rest, {
      'min-severity': { type: 'string' }, 'from-beginning': { type: 'boolean' }, json: { type: 'boolean' },
      max: { type: 'string' }, 'exit-at-end': { type: 'boolean' }, topic: { type: 'string' },
    });
    let minSeverity: Severity = 'low';
    if (values['min-severity'] !== undefined) {
      const s = parseSeverity(values['min-severity']);
      if (s === null) throw new UserError(`--min-severity: "${values['min-severity']}" is not one of ${SEVERITIES.join(', ')}`);
      minSeverity = s;
    }
    let max = Number.POSITIVE_INFINITY;
    if (values.max !== undefined) {
      max = Number(values.max);
      if (!Number.isInteger(max) || max < 1) throw new UserError(`--max: "${values.max}" is not a positive integer`);
    }
    // A ConfigError from the environment is a one-line user error (see errors.ts).
    const config = loadConfig();
    const json = values.json === true;
    const colour = !json && process.stdout.isTTY === true && !process.env.NO_COLOR;
    const out = await LineWriter.open('-');
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let printed = 0;
    try {
      await followAlerts(config, {
        topic: values.topic,
        fromBeginning: values['from-beginning'] === true,
        stopAtEnd: values['exit-at-end'] === true,
        signal: stop.signal,
        clientId: 'distillwatch-alerts-tail',
        onAlert: async (alert) => {
          if (!atLeast(alert.severity, minSeverity)) return true;
          out.write(json ? JSON.stringify(alert) : `${formatAlert(alert, { colour })}\n`);
          // A person watching must see each alert as it comes, not when a buffer fills.
          await out.drain(true);
          printed++;
          return printed < max;
        },
        onUndecodable: (err, at) => process.stderr.write(`alerts tail: skipped partition ${at.partition} offset ${at.offset}: ${err.message}\n`),
      });
    } catch (err) {
      rethrowConnectionError(err, config.brokers);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    await out.close();
    return 0;
  },
};
