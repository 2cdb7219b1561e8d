// `distillwatch simulate`: writes a synthetic, labelled usage stream. The simulator package
// decides every event; this shell only streams them to a file (gzip when the name ends in
// .gz) or stdout with backpressure, reports progress on stderr, and writes the labels once
// the stream is done. Memory stays flat whatever the output size.
import { createWriteStream } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { writeFile } from 'node:fs/promises';
import { buildPopulation, labelsOf, SCENARIOS, scenarioByName, Simulation, SIMULATION_EPOCH } from '@distillwatch/simulator';
import { parseFlags, required, type Command } from '../command.ts';
import { UserError } from '../errors.ts';

const CHUNK_BYTES = 256 * 1024;
const PROGRESS_EVERY_LINES = 250_000;

const help = `usage: distillwatch simulate --scenario S --seed N --out F [--labels L] [--days D] [--scale X]

Writes a synthetic usage stream of three labs (lab-a sends prompt text; lab-b sends prompt
text and its topic label, with ISO-8601 event times; lab-c withholds text and sends
prompt_simhash and topic) as NDJSON usage events (CONTRACT.md section 2), in arrival order:
event time order except for a few events delivered late (most within the 2-minute allowed
lateness, a handful beyond it) and a few delivered twice (same event_id).
Deterministic: the same scenario, seed, --days and --scale give byte-identical output.
Simulated time starts at ${new Date(SIMULATION_EPOCH).toISOString()} whatever the clock says.

Benign accounts: individual, saas_app, eval_runner, coding_assistant, researcher,
multi_lab_company; the wide scenarios add coding_agent, deep_researcher, safety_eval_firm,
enterprise_rag, translation_service, batch_pipeline, tutoring_app, support_bot,
content_studio, agent_platform, labelling_vendor, cloud_startup. Campaigns: coverage_sweep,
cross_lab_split, account_swarm, slow_and_low, eval_mimicry; the wide scenarios add churn,
topic_sharded, reseller, eval_runner_mimicry.

scenarios:
${SCENARIOS.map((s) => `  ${s.name.padEnd(10)}  ${s.description}`).join('\n')}

flags:
  --scenario S   scenario name (required)
  --seed N       integer seed (required)
  --out F        events file; .gz suffix writes gzip; - writes to stdout (required)
  --labels L     labels file (JSON, format distillwatch-labels/1, below)
  --days D       run length in days (default: the scenario's)
  --scale X      multiply every population count by X (default 1; campaigns stay >= 1 each)
  --help         this text

labels (one JSON document):
  format              "distillwatch-labels/1"
  scenario, seed      what was run
  start_time, end_time  simulated range, epoch ms [start, end)
  events_file         the events file relative to the labels file's folder (null for stdout)
  allowed_lateness_ms 120000
  totals              lines, events (distinct), duplicates, delayed_within_lateness,
                      delayed_beyond_lateness, accounts, campaign_accounts, campaigns
  campaigns[]         campaign_id, archetype, link (payment_fingerprint | network_agent |
                      templates | single_account | behaviour: no shared identity), start_time, first_event_time, labs,
                      accounts [{lab, account_id}], events, spend_usd
  accounts[]          lab, account_id, kind (benign | campaign), archetype, campaign_id
                      (null when benign), entity (the real owner: person, company or
                      campaign), events, spend_usd, first_event_time, last_event_time
                      (sorted by lab, account_id)

Progress and a summary go to stderr.
`;

export const simulate: Command = {
  name: 'simulate',
  summary: 'write a synthetic labelled usage stream',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, {
      scenario: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      labels: { type: 'string' },
      days: { type: 'string' },
      scale: { type: 'string' },
    });
    const scenarioName = required(values.scenario, 'scenario');
    const definition = scenarioByName(scenarioName);
    if (!definition) throw new UserError(`unknown scenario '${scenarioName}' (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
    const seed = integerFlag(required(values.seed, 'seed'), 'seed');
    const out = required(values.out, 'out');
    const days = values.days === undefined ? undefined : positiveFlag(values.days, 'days');
    const scale = values.scale === undefined ? undefined : positiveFlag(values.scale, 'scale');

    const began = performance.now();
    const simulation = new Simulation(buildPopulation(definition, { seed, days, scale }));
    const sink = await openSink(out);
    let chunk = '';
    let lines = 0;
    for (const event of simulation.events()) {
      chunk += JSON.stringify(event) + '\n';
      if (++lines % PROGRESS_EVERY_LINES === 0) {
        process.stderr.write(`simulate: ${lines.toLocaleString('en-US')} lines, simulated time ${new Date(event.event_time).toISOString()}\n`);
      }
      if (chunk.length >= CHUNK_BYTES) {
        await sink.write(chunk);
        chunk = '';
      }
    }
    if (chunk.length > 0) await sink.write(chunk);
    await sink.close();

    const labels = labelsOf(simulation, out === '-' || values.labels === undefined ? null : eventsPathFrom(values.labels, out));
    if (values.labels !== undefined) {
      try {
        await writeFile(values.labels, JSON.stringify(labels, null, 1) + '\n');
      } catch (err) {
        throw new UserError(`cannot write labels file ${values.labels}: ${(err as Error).message}`);
      }
    }
    const seconds = (performance.now() - began) / 1000;
    const t = labels.totals;
    process.stderr.write(
      `simulate: wrote ${t.lines.toLocaleString('en-US')} lines (${t.events.toLocaleString('en-US')} events, ${t.duplicates} duplicates, ` +
        `${t.delayed_within_lateness + t.delayed_beyond_lateness} delivered late) for ${t.accounts} accounts and ${t.campaigns} campaigns ` +
        `in ${seconds.toFixed(1)} s (${Math.round(t.lines / seconds).toLocaleString('en-US')} events/s)\n`,
    );
    return 0;
  },
};

function integerFlag(text: string, flag: string): number {
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UserError(`--${flag} must be an integer, got '${text}'`);
  return Number(text);
}

function positiveFlag(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UserError(`--${flag} must be a positive number, got '${text}'`);
  return value;
}

/** The events file as seen from the labels file's folder, with forward slashes. */
function eventsPathFrom(labelsPath: string, eventsPath: string): string {
  return relative(dirname(resolve(labelsPath)), resolve(eventsPath)).split(sep).join('/');
}

interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/** A writable that honours backpressure: `write` waits for 'drain' when the buffer is full. */
async function openSink(path: string): Promise<Sink> {
  if (path === '-') return sinkOf(process.stdout, null);
  const file = createWriteStream(path);
  try {
    await once(file, 'open');
  } catch (err) {
    throw new UserError(`cannot write events file ${path}: ${(err as Error).message}`);
  }
  if (path.endsWith('.gz')) {
    const gzip = createGzip();
    gzip.pipe(file);
    return sinkOf(gzip, file);
  }
  return sinkOf(file, file);
}

function sinkOf(head: Writable, file: Writable | null): Sink {
  let failure: Error | null = null;
  head.on('error', (err) => { failure = err; });
  file?.on('error', (err) => { failure = err; });
  return {
    async write(text) {
      if (failure) throw failure;
      if (!head.write(text)) await once(head, 'drain');
    },
    async close() {
      if (file === null) return; // stdout stays open for the process
      const closed = once(file, 'close');
      head.end();
      await closed;
      if (failure) throw failure;
    },
  };
}
