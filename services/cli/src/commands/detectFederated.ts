// `distillwatch detect --federated`: the offline twin of a federation (CONTRACT.md §1, §6). One
// process runs every lab's node and the forum over one mixed NDJSON file split by `lab`, and
// writes every alert as each lab involved receives it (local and forum alerts, sorted by
// window_end, alert_id, recipient_lab) and, with --forum-out, every forum record that crossed.
// --local-alerts chooses how a lab's local alerts reach its feed (core labFeed.ts); --verdicts
// gives the labs' on-call verdicts, read as `detect --verdicts` reads them (io/verdictFile.ts).
// The work is the core's `Federation`; this module only reads files, keys and flags and writes.
// The input, dead letters and progress are `detect`'s own (io/detectFiles.ts).
import {
  compareLabAlerts, Federation, FederatedVerdictError, FederationKeyError, FEATURE_NAMES, parseFederationKeys, testFederationKeys,
  type FederationKeys, type LabAlert,
} from '@distillwatch/core';
import { parseFlags, required } from '../command.ts';
import { UserError } from '../errors.ts';
import { DetectFiles } from '../io/detectFiles.ts';
import { LineWriter } from '../io/output.ts';
import { rate } from '../io/progress.ts';
import { readJsonDocument } from '../io/jsonDocument.ts';
import { readTextFile } from '../io/textFile.ts';
import { verdictsFromText } from '../io/verdictFile.ts';
import { threadCount } from '../io/threads.ts';
import { loadDetectorConfig } from './detect.ts';
import { localAlertMode } from './localAlertMode.ts';

export async function runDetectFederated(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    federated: { type: 'boolean' }, input: { type: 'string' }, output: { type: 'string' }, 'forum-out': { type: 'string' },
    'forum-key-file': { type: 'string' }, config: { type: 'string' }, dlq: { type: 'string' }, threads: { type: 'string' },
    'local-alerts': { type: 'string' }, verdicts: { type: 'string' },
  });
  const localAlerts = localAlertMode(values['local-alerts']);
  const threads = threadCount(values.threads);
  const paths = { input: required(values.input, 'input'), output: required(values.output, 'output'), dlq: values.dlq };
  const keyPath = values['forum-key-file'];
  const config = await loadDetectorConfig(values.config);
  const keys = keyPath === undefined ? testKeys() : await readJsonDocument(keyPath, parseFederationKeys, FederationKeyError);

  const verdictPath = values.verdicts;
  const verdicts = verdictPath === undefined ? [] : verdictsFromText(verdictPath, await readTextFile(verdictPath));
  let federation: Federation;
  try {
    federation = new Federation(config, FEATURE_NAMES, keys, { localAlerts, verdicts });
  } catch (err) {
    if (err instanceof FederatedVerdictError) throw new UserError(`${verdictPath}: ${err.message}`);
    throw err;
  }

  const files = await DetectFiles.open(paths);
  const forumOut = values['forum-out'] ? await LineWriter.open(values['forum-out']) : null;
  if (forumOut) federation.onForumRecord = (r) => forumOut.write(JSON.stringify(r));
  let alerts: LabAlert[];
  try {
    alerts = await federateAll(federation, files, threads, async () => { await forumOut?.drain(); });
  } catch (err) {
    if (err instanceof FederationKeyError) throw new UserError(`${keyPath ?? '--forum-key-file'}: ${err.message}`);
    throw err;
  }
  for (const a of alerts.sort(compareLabAlerts)) files.out.write(JSON.stringify(a));
  await files.close();
  await forumOut?.close();
  printSummary(federation, alerts.length, files.progress.elapsed);
  return 0;
}

/** Every line of the input through the federation, then the end of input: every alert delivered, unsorted. */
async function federateAll(federation: Federation, files: DetectFiles, threads: number, drain: () => Promise<void>): Promise<LabAlert[]> {
  const alerts: LabAlert[] = [];
  const c = federation.counters;
  await files.feed(threads, (parsed, line, text) => {
    const step = federation.pushParsed(parsed, line, text);
    alerts.push(...step.alerts);
    return step.rejection;
  }, drain, (s) => `detect --federated: ${c.lines} lines, ${rate(c.lines, s)}, ${c.rejected} rejected, ${c.late} late, ${alerts.length} alerts`);
  alerts.push(...federation.flush());
  return alerts;
}

function printSummary(federation: Federation, delivered: number, elapsed: number): void {
  const c = federation.counters;
  const f = federation.forum.counters;
  process.stderr.write(
    `detect --federated: ${c.events} events (${c.lines} lines), ${c.rejected} rejected, ${c.late} late, ${c.duplicates} duplicates; ` +
    `labs ${federation.labs.join(', ')}; local alerts ${federation.localAlerts}; ${f.records} forum records, ${f.late} late at the forum, ${f.alerts} forum alerts sent, ` +
    `${f.singleLab} on single-lab subjects returned in confirmations; ${f.verdicts} verdicts on forum alerts at the forum; ` +
    `${delivered} alerts delivered to labs; ${elapsed.toFixed(1)} s\n`,
  );
}

function testKeys(): FederationKeys {
  process.stderr.write('distillwatch: warning: no --forum-key-file: using the fixed public test keys (anyone can recompute every token)\n');
  return testFederationKeys();
}
