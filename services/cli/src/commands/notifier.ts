// `distillwatch run notifier`: flags and environment for the webhook notifier
// (@distillwatch/oncall's runNotifier), reached through `run`. It logs one JSON line per event
// on stderr and stops cleanly on SIGTERM or SIGINT.
import type { Severity } from '@distillwatch/core';
import {
  DEFAULT_RETRY_POLICY, NOTIFIER_DLQ_TOPIC, NOTIFIER_GROUP, parseSeverity, runNotifier, SEVERITIES, SIGNATURE_HEADER,
  WEBHOOK_FORMATS, type WebhookFormat,
} from '@distillwatch/oncall';
import { loadConfig } from '@distillwatch/platform/config';
import { parseFlags } from '../command.ts';
import { rethrowConnectionError } from '../connectionErrors.ts';
import { UserError } from '../errors.ts';

const DEFAULT_SECRET_ENV = 'DISTILLWATCH_WEBHOOK_SECRET';

export const NOTIFIER_HELP = `usage: distillwatch run notifier --url U [--min-severity S] [--format generic|slack] [--secret-env VAR] [--max-attempts N] [--from-beginning]

Posts every alert of distillation-alerts at or above a severity to a webhook, as a consumer
group (${NOTIFIER_GROUP}: run several for availability; each alert goes to one of them).
Each POST carries the header ${SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the raw body
under the secret>, and X-Distillwatch-Alert-Id (delivery is at least once: de-duplicate by it).
A failed POST (no answer, 408, 429, 5xx) is retried with exponential backoff (1 s, 2 s, 4 s, ...
up to 60 s; a Retry-After header is honoured up to 60 s); after --max-attempts attempts, or at
once for any other 4xx, the alert is dead-lettered to ${NOTIFIER_DLQ_TOPIC} (JSON: line, reason,
raw, source "notifier", partition, offset, attempts, status, and the whole alert). An alert's
offset is committed only after it was delivered, skipped or dead-lettered.

flags:
  --url U            webhook URL, http or https (logs show only its scheme, host and port)
  --min-severity S   ${SEVERITIES.join(', ')} (default high)
  --format F         generic: the alert as JSON, exactly as in the topic (default);
                     slack: a Slack incoming-webhook message (text and blocks)
  --secret-env VAR   environment variable holding the signing secret (default ${DEFAULT_SECRET_ENV});
                     it must be set and non-empty
  --max-attempts N   attempts per alert before it is dead-lettered (default ${DEFAULT_RETRY_POLICY.maxAttempts})
  --from-beginning   a group that has never committed starts with the oldest alert (default:
                     with alerts written from now on, so a first start does not page for history)
  --help             this text

Logs: one JSON object per line on stderr. Stops on SIGTERM or SIGINT: an alert still being
retried is left uncommitted, so the next instance sends it.`;

export async function runNotifierCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    url: { type: 'string' }, 'min-severity': { type: 'string' }, format: { type: 'string' },
    'secret-env': { type: 'string' }, 'max-attempts': { type: 'string' }, 'from-beginning': { type: 'boolean' },
  });
  if (values.url === undefined) throw new UserError('run notifier: missing required flag --url');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UserError('--url: not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--url: must be http or https, not ${url.protocol}`);
  let minSeverity: Severity = 'high';
  if (values['min-severity'] !== undefined) {
    const s = parseSeverity(values['min-severity']);
    if (s === null) throw new UserError(`--min-severity: "${values['min-severity']}" is not one of ${SEVERITIES.join(', ')}`);
    minSeverity = s;
  }
  const format = (values.format ?? 'generic') as WebhookFormat;
  if (!WEBHOOK_FORMATS.includes(format)) throw new UserError(`--format: "${values.format}" is not one of ${WEBHOOK_FORMATS.join(', ')}`);
  const secretEnv = values['secret-env'] ?? DEFAULT_SECRET_ENV;
  const secret = process.env[secretEnv];
  if (secret === undefined || secret === '') throw new UserError(`${secretEnv} is not set: the notifier signs every request and needs a secret`);
  let maxAttempts = DEFAULT_RETRY_POLICY.maxAttempts;
  if (values['max-attempts'] !== undefined) {
    maxAttempts = Number(values['max-attempts']);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new UserError(`--max-attempts: "${values['max-attempts']}" is not a positive integer`);
  }
  // A ConfigError from the environment is a one-line user error (see errors.ts).
  const config = loadConfig();
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const log = (fields: Record<string, unknown>) =>
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: fields.kind === 'dead-lettered' ? 'error' : fields.kind === 'retrying' ? 'warn' : 'info', service: 'notifier', ...fields })}\n`);
  try {
    await runNotifier(config, {
      url: url.toString(), minSeverity, format, secret, retry: { maxAttempts }, signal: stop.signal,
      fromBeginning: values['from-beginning'] === true,
      onEvent: (event) => log({ ...event }),
    });
  } catch (err) {
    rethrowConnectionError(err, config.brokers);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  log({ kind: 'stopped' });
  return 0;
}
