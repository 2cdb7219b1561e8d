// `distillwatch detect --federated`: the offline twin of a federation (CONTRACT.md §1, §6). One
// process runs every lab's node and the forum over one mixed NDJSON file split by `lab`, and
// writes every alert as each lab involved receives it (local and forum alerts, sorted by
// window_end, alert_id, recipient_lab) and, with --forum-out, every forum record that crossed.
// The work is the core's `Federation`; this module only reads files, keys and flags and writes.
import {
  compareLabAlerts, cutRaw, Federation, FederationKeyError, FEATURE_NAMES, parseFederationKeys, parseUsageEventLine,
  testFederationKeys, type FederationKeys, type LabAlert,
} from '@distillwatch/core';
import { parseFlags, required } from '../command.ts';
import { UserError } from '../errors.ts';
import { ndjsonBatches, openInput } from '../io/ndjsonLines.ts';
import { LineWriter } from '../io/output.ts';
import { Progress, rate } from '../io/progress.ts';
import { RejectionReporter } from '../io/rejections.ts';
import { readJsonDocument } from '../io/jsonDocument.ts';
import { loadDetectorConfig } from './detect.ts';

export async function runDetectFederated(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    federated: { type: 'boolean' }, input: { type: 'string' }, output: { type: 'string' }, 'forum-out': { type: 'string' },
    'forum-key-file': { type: 'string' }, config: { type: 'string' }, dlq: { type: 'string' },
  });
  const inputPath = required(values.input, 'input');
  const outputPath = required(values.output, 'output');
  const keyPath = values['forum-key-file'];
  const dlqPath = values.dlq ?? (outputPath === '-' ? 'detect.dlq.ndjson' : `${outputPath}.dlq.ndjson`);
  const config = await loadDetectorConfig(values.config);
  const keys = keyPath === undefined ? testKeys() : await readJsonDocument(keyPath, parseFederationKeys, FederationKeyError);

  const { stream } = await openInput(inputPath);
  const out = await LineWriter.open(outputPath);
  const dlq = await LineWriter.open(dlqPath);
  const forumOut = values['forum-out'] ? await LineWriter.open(values['forum-out']) : null;
  const federation = new Federation(config, FEATURE_NAMES, keys);
  if (forumOut) federation.onForumRecord = (r) => forumOut.write(JSON.stringify(r));
  const rejections = new RejectionReporter(inputPath, dlqPath);
  const progress = new Progress();
  const alerts: LabAlert[] = [];
  const c = { lines: 0, events: 0, rejected: 0, late: 0, duplicates: 0 };

  try {
    for await (const batch of ndjsonBatches(stream, inputPath)) {
      for (const { text, line } of batch) {
        c.lines++;
        const parsed = parseUsageEventLine(text, line);
        if (parsed.kind === 'blank') continue;
        if (parsed.kind === 'rejected') {
          c.rejected++;
          rejections.report(parsed.rejection);
          dlq.write(JSON.stringify(parsed.rejection));
          continue;
        }
        c.events++;
        const step = federation.pushEvent(parsed.event);
        if (step.outcome === 'duplicate') c.duplicates++;
        if (step.outcome === 'late') {
          c.late++;
          dlq.write(JSON.stringify({ line, reason: 'late', field: 'event_time', raw: cutRaw(text) }));
        }
        alerts.push(...step.alerts);
      }
      await dlq.drain();
      await forumOut?.drain();
      progress.tick((s) => `detect --federated: ${c.lines} lines, ${rate(c.lines, s)}, ${c.rejected} rejected, ${c.late} late, ${alerts.length} alerts`);
    }
    alerts.push(...federation.flush());
  } catch (err) {
    if (err instanceof FederationKeyError) throw new UserError(`${keyPath ?? '--forum-key-file'}: ${err.message}`);
    throw err;
  }
  for (const a of alerts.sort(compareLabAlerts)) out.write(JSON.stringify(a));
  await out.close();
  await dlq.close();
  await forumOut?.close();
  rejections.finish();
  progress.done();
  const f = federation.forum.counters;
  process.stderr.write(
    `detect --federated: ${c.events} events (${c.lines} lines), ${c.rejected} rejected, ${c.late} late, ${c.duplicates} duplicates; ` +
    `labs ${federation.labs.join(', ')}; ${f.records} forum records, ${f.late} late at the forum, ${f.alerts} forum alerts; ` +
    `${alerts.length} alerts delivered to labs; ${progress.elapsed.toFixed(1)} s\n`,
  );
  return 0;
}

function testKeys(): FederationKeys {
  process.stderr.write('distillwatch: warning: no --forum-key-file: using the fixed public test keys (anyone can recompute every token)\n');
  return testFederationKeys();
}
