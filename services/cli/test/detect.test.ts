// `distillwatch detect` as users run it: a child process over files, stdin and stdout.
//
// Golden file: fixtures/small-seed3.alerts.ndjson is the expected output over
// fixtures/small-seed3.ndjson.gz. When the scorer is retuned on purpose, regenerate it with
//   UPDATE_GOLDEN=1 pnpm vitest run services/cli/test/detect.test.ts
// and review the diff of the alerts before committing it.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(repo, 'services/cli/src/main.ts');
const fixture = join(repo, 'services/cli/test/fixtures/small-seed3.ndjson.gz');
const golden = join(repo, 'services/cli/test/fixtures/small-seed3.alerts.ndjson');
const dir = mkdtempSync(join(tmpdir(), 'dw-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixtureText = gunzipSync(readFileSync(fixture)).toString('utf8');
const fixtureLines = fixtureText.trimEnd().split('\n');

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}
const distillwatch = (args: string[], options: SpawnSyncOptions = {}) => run(process.execPath, [main, ...args], options);

describe('detect: golden output', () => {
  const output = join(dir, 'golden.alerts.ndjson');
  const result = distillwatch(['detect', '--input', fixture, '--output', output]);
  if (process.env.UPDATE_GOLDEN === '1' && result.status === 0) writeFileSync(golden, readFileSync(output));

  it('writes exactly the committed alerts for the committed fixture', () => {
    expect(result.stderr).toMatch(/^detect: 11515 events/m);
    expect(result.status).toBe(0);
    const expected = readFileSync(golden, 'utf8');
    expect(expected.length).toBeGreaterThan(0);
    expect(readFileSync(output, 'utf8'),
      'detect output differs from services/cli/test/fixtures/small-seed3.alerts.ndjson; if the detector changed on purpose, ' +
      'regenerate it with UPDATE_GOLDEN=1 pnpm vitest run services/cli/test/detect.test.ts and review the diff').toBe(expected);
  });

  it('dead-letters late events next to the output (<output>.dlq.ndjson) with their line and raw text', () => {
    const dlq = readFileSync(`${output}.dlq.ndjson`, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(dlq.length).toBeGreaterThan(0);
    for (const d of dlq) {
      expect(d).toEqual({ line: d.line, reason: 'late', field: 'event_time', raw: fixtureLines[d.line - 1]!.slice(0, 1000) });
    }
  });
});

describe('detect: stdout, stdin and plain files', () => {
  it('prints only the alerts NDJSON on stdout through pnpm (no banner), the same bytes on every run', () => {
    const args = ['distillwatch', 'detect', '--input', fixture, '--output', '-', '--dlq', join(dir, 'pnpm.dlq.ndjson')];
    const first = run('pnpm', args);
    const second = run('pnpm', args);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(readFileSync(golden, 'utf8'));
    expect(second.stdout).toBe(first.stdout);
    for (const line of first.stdout.trimEnd().split('\n')) expect(JSON.parse(line)).toHaveProperty('alert_id');
  });

  it('reads stdin for --input - and dead-letters to detect.dlq.ndjson in the working directory for --output -', () => {
    const cwd = mkdtempSync(join(dir, 'stdin-'));
    const result = distillwatch(['detect', '--input', '-', '--output', '-'], { cwd, input: fixtureText });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(readFileSync(golden, 'utf8'));
    expect(existsSync(join(cwd, 'detect.dlq.ndjson'))).toBe(true);
    expect(readFileSync(join(cwd, 'detect.dlq.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'golden.alerts.ndjson.dlq.ndjson'), 'utf8'));
  });

  it('keeps everyone else\'s alerts when one account sends a far-future event (plain .ndjson input)', () => {
    const first = JSON.parse(fixtureLines[0]!);
    const stray = JSON.stringify({ ...first, event_id: 'stray-1', account_id: 'clock-skewed', event_time: '2027-06-01T00:00:00Z',
      payment_fingerprint: 'pf-stray', ip_prefix: '192.0.2.0/24', api_key_id: 'key-stray' });
    const middle = Math.floor(fixtureLines.length / 2);
    const input = join(dir, 'far-future.ndjson');
    writeFileSync(input, [...fixtureLines.slice(0, middle), stray, ...fixtureLines.slice(middle)].join('\n') + '\n');
    const result = distillwatch(['detect', '--input', input, '--output', '-', '--dlq', join(dir, 'far.dlq.ndjson')]);
    expect(result.status).toBe(0);
    const others = result.stdout.trimEnd().split('\n').filter((l) => !l.includes('clock-skewed'));
    expect(others.join('\n') + '\n').toBe(readFileSync(golden, 'utf8'));
  });
});

describe('detect: malformed lines', () => {
  const good = (id: string, minute: number) => JSON.stringify({ event_id: id, event_time: Date.UTC(2026, 2, 2, 0, minute), lab: 'lab-a',
    account_id: 'acct-1', model: 'm', input_tokens: 10, output_tokens: 20, cost_usd: 0.01 });
  const long = JSON.stringify({ event_id: 'x'.repeat(1500), lab: 'lab-a' });
  const lines = [
    good('e1', 1),
    '{not json',
    '[1, 2]',
    '',
    JSON.stringify({ ...JSON.parse(good('e2', 2)), account_id: undefined }),
    JSON.stringify({ ...JSON.parse(good('e3', 3)), input_tokens: -5 }),
    JSON.stringify({ ...JSON.parse(good('e4', 4)), output_tokens: 2.5 }),
    JSON.stringify({ ...JSON.parse(good('e5', 5)), event_time: 'yesterday' }),
    JSON.stringify({ ...JSON.parse(good('e6', 6)), cost_usd: '0.01' }),
    long,
    JSON.stringify({ ...JSON.parse(good('e7', 7)), some_future_field: true }),
  ];
  const input = join(dir, 'malformed.ndjson');
  writeFileSync(input, lines.join('\n') + '\n');
  const output = join(dir, 'malformed.alerts.ndjson');
  const result = distillwatch(['detect', '--input', input, '--output', output]);
  const dlq = readFileSync(`${output}.dlq.ndjson`, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));

  it('is not fatal: exits 0 and counts the rejected lines', () => {
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^detect: 2 events \(11 lines, 1 blank\), 8 rejected, 0 late/m);
  });

  it('writes one dead-letter line per malformed line with line, reason, field and raw text', () => {
    expect(dlq.map((d) => [d.line, d.reason, d.field])).toEqual([
      [2, 'invalid JSON', undefined],
      [3, 'not an object', undefined],
      [5, 'missing field', 'account_id'],
      [6, 'negative value', 'input_tokens'],
      [7, 'not an integer', 'output_tokens'],
      [8, 'unparseable event_time', 'event_time'],
      [9, 'wrong type', 'cost_usd'],
      [10, 'missing field', 'event_time'],
    ]);
    for (const d of dlq) expect(Object.keys(d).sort()).toEqual(d.field === undefined ? ['line', 'raw', 'reason'] : ['field', 'line', 'raw', 'reason']);
    expect(dlq.slice(0, 7).map((d) => d.raw)).toEqual([lines[1], lines[2], lines[4], lines[5], lines[6], lines[7], lines[8]]);
  });

  it('keeps at most 1,000 characters of a line in the dead-letter output', () => {
    expect(dlq.at(-1)!.raw).toBe(long.slice(0, 1000));
  });

  it('reports each rejected line on stderr as FILE:LINE with the field', () => {
    expect(result.stderr).toContain(`${input}:2: invalid JSON`);
    expect(result.stderr).toContain(`${input}:5: field 'account_id': missing field`);
  });

  it('writes the dead-letter output where --dlq says', () => {
    const elsewhere = join(dir, 'elsewhere.dlq.ndjson');
    expect(distillwatch(['detect', '--input', input, '--output', join(dir, 'm2.ndjson'), '--dlq', elsewhere]).status).toBe(0);
    expect(readFileSync(elsewhere, 'utf8').trimEnd().split('\n')).toHaveLength(8);
  });
});
