// `detect --threads N`: every output file is byte-identical for every N (CONTRACT.md section 1),
// on the committed fixture with bad, blank, late and non-ASCII lines mixed in.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(repo, 'services/cli/src/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'dw-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = gunzipSync(readFileSync(join(repo, 'services/cli/test/fixtures/small-seed3.ndjson.gz')));
const lines = fixture.toString('utf8').trimEnd().split('\n');
// Bad input spread through the file: invalid JSON, a wrong type, a blank line, CRLF, a
// non-ASCII prompt, a stray invalid UTF-8 byte, an event far behind its account (late).
const first = JSON.parse(lines[100]!) as Record<string, unknown>;
const mixed: Array<string | Buffer> = [];
lines.forEach((l, i) => {
  mixed.push(l);
  if (i === 50) mixed.push('{"event_id": oops');
  if (i === 200) mixed.push(JSON.stringify({ ...first, event_id: 'typed', input_tokens: '12' }));
  if (i === 300) mixed.push('');
  if (i === 400) mixed.push(`${JSON.stringify({ ...first, event_id: 'crlf' })}\r`);
  if (i === 500) mixed.push(JSON.stringify({ ...first, event_id: 'unicode', prompt_text: 'Erkläre Schritt für Schritt: 数学 🙂' }));
  if (i === 600) mixed.push(Buffer.concat([Buffer.from('{"event_id": "bad'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
  if (i === 9000) mixed.push(JSON.stringify({ ...first, event_id: 'late' }));
});
const input = join(dir, 'mixed.ndjson');
writeFileSync(input, Buffer.concat(mixed.map((p, i) => Buffer.concat([typeof p === 'string' ? Buffer.from(p) : p, Buffer.from(i === mixed.length - 1 ? '' : '\n')]))));

function detect(threads: string) {
  const out = join(dir, `t${threads}`);
  const r = spawnSync(process.execPath, [main, 'detect', '--threads', threads, '--input', input, '--output', `${out}.alerts`,
    '--features-out', `${out}.features`, '--scores-out', `${out}.scores`], { encoding: 'utf8' });
  const files = ['alerts', 'alerts.dlq.ndjson', 'features', 'scores'].map((f) => readFileSync(`${out}.${f}`));
  return { status: r.status, stderr: r.stderr, files };
}

/** The final summary's counts, without the time it took. */
const summary = (stderr: string) => /^detect: \d+ events.*? alerts;/m.exec(stderr)?.[0];

describe('detect --threads', () => {
  it('writes the same alerts, dead letters, features and scores with 1, 2 and 3 threads', () => {
    const one = detect('1');
    expect(one.status).toBe(0);
    expect(summary(one.stderr)).toMatch(/alerts;$/);
    const dlq = one.files[1]!.toString('utf8');
    for (const reason of ['invalid JSON', 'wrong type', 'late']) expect(dlq).toContain(`"reason":"${reason}"`);
    expect(one.files[0]!.length).toBeGreaterThan(0);
    expect(one.files[2]!.length).toBeGreaterThan(0);
    for (const threads of ['2', '3']) {
      const many = detect(threads);
      expect(many.status).toBe(0);
      expect(summary(many.stderr)).toBe(summary(one.stderr));
      many.files.forEach((f, k) => expect(f.equals(one.files[k]!), `file ${k} differs with --threads ${threads}`).toBe(true));
    }
  }, 300_000);

  it('rejects a thread count that is not a whole number from 1 up, in one line with exit 2', () => {
    for (const bad of ['0', 'two', '1.5']) {
      const r = spawnSync(process.execPath, [main, 'detect', '--threads', bad, '--input', input, '--output', join(dir, 'x')], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('--threads');
    }
  }, 60_000);
});
