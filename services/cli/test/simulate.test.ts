import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate } from '../src/commands/simulate.ts';
import { UserError } from '../src/errors.ts';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'dw-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quick = ['--scenario', 'small', '--seed', '5', '--days', '0.2'];

describe('distillwatch simulate', () => {
  it('writes NDJSON events and labels that point back at the events file', async () => {
    expect(await simulate.run([...quick, '--out', join(dir, 'a.ndjson'), '--labels', join(dir, 'a.labels.json')])).toBe(0);
    const lines = readFileSync(join(dir, 'a.ndjson'), 'utf8').trimEnd().split('\n');
    const labels = JSON.parse(readFileSync(join(dir, 'a.labels.json'), 'utf8'));
    expect(lines.length).toBe(labels.totals.lines);
    expect(labels.events_file).toBe('a.ndjson');
    expect(labels.scenario).toBe('small');
  });

  it('writes the same bytes again for the same flags, and gzip when the name ends in .gz', async () => {
    expect(await simulate.run([...quick, '--out', join(dir, 'b.ndjson')])).toBe(0);
    expect(await simulate.run([...quick, '--out', join(dir, 'b.ndjson.gz')])).toBe(0);
    const plain = readFileSync(join(dir, 'b.ndjson'));
    expect(plain.equals(readFileSync(join(dir, 'a.ndjson')))).toBe(true);
    expect(gunzipSync(readFileSync(join(dir, 'b.ndjson.gz'))).equals(plain)).toBe(true);
  });

  it('writes to stdout for --out - and keeps progress off stdout', () => {
    const result = spawnSync(process.execPath, ['services/cli/src/main.ts', 'simulate', ...quick, '--out', '-'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 30 });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(dir, 'a.ndjson'), 'utf8'));
    expect(result.stderr).toMatch(/^simulate: wrote [\d,]+ lines/m);
  });

  it('rejects an unknown scenario and a bad seed as user errors', async () => {
    await expect(simulate.run(['--scenario', 'nope', '--seed', '1', '--out', join(dir, 'x')])).rejects.toThrow(new UserError("unknown scenario 'nope' (known: default, small, large, wide, wide-small)"));
    await expect(simulate.run(['--scenario', 'small', '--seed', 'one', '--out', join(dir, 'x')])).rejects.toThrow(UserError);
    await expect(simulate.run(['--scenario', 'small', '--seed', '1'])).rejects.toThrow('missing required flag --out');
  });
});
