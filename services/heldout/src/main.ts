// `pnpm heldout --seed N --days D --out events.ndjson --labels labels.json [--scale S]`: writes
// the held-out usage stream and its labels. The thin shell around generateHeldout: it parses
// flags and writes files, nothing else. A bad flag is one line on stderr and exit code 2.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateHeldout } from './generate.ts';

class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE = 'usage: pnpm heldout --seed N --days D --out events.ndjson --labels labels.json [--scale S]';

function number(flags: Record<string, string | undefined>, key: string, fallback: number | null, integer: boolean): number {
  const raw = flags[key];
  if (raw === undefined) {
    if (fallback === null) throw new UsageError(`--${key} is required (${USAGE})`);
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${key}: expected a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
  }
  return value;
}

function main(argv: string[]): void {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: { seed: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' }, labels: { type: 'string' }, scale: { type: 'string' } } }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (${USAGE})`);
  }
  const seed = number(values, 'seed', null, true);
  const days = number(values, 'days', 7, true);
  const scale = number(values, 'scale', 1, false);
  const out = values['out'];
  const labelsPath = values['labels'];
  if (out === undefined) throw new UsageError(`--out is required (${USAGE})`);
  if (labelsPath === undefined) throw new UsageError(`--labels is required (${USAGE})`);

  const { lines, labels } = generateHeldout({ seed, days, scale, eventsFile: relative(dirname(resolve(labelsPath)), resolve(out)) });
  const fd = openSync(out, 'w');
  try {
    for (let i = 0; i < lines.length; i += 20_000) writeSync(fd, `${lines.slice(i, i + 20_000).join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  writeFileSync(labelsPath, `${JSON.stringify(labels, null, 1)}\n`);
  const t = labels.totals;
  process.stderr.write(`heldout: ${t.lines} lines, ${t.events} events, ${t.accounts} accounts (${t.campaign_accounts} in ${t.campaigns} campaigns) -> ${out}, ${labelsPath}\n`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`heldout: ${err.message}\n`);
  process.exitCode = 2;
}
