// `detect --verdicts` as users run it, over the committed fixture: alerts up to a verdict's time
// are untouched, a benign verdict keeps its subject from paging again with unchanged behaviour,
// the same verdicts give byte-identical output, and a bad verdict line is one error naming the
// file, line and field (exit 2).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DistillationAlert } from '@distillwatch/core';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(repo, 'services/cli/src/main.ts');
const fixture = join(repo, 'services/cli/test/fixtures/small-seed3.ndjson.gz');
const golden = readFileSync(join(repo, 'services/cli/test/fixtures/small-seed3.alerts.ndjson'), 'utf8').split('\n').filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'dw-verdicts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const distillwatch = (args: string[]) => {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stderr: String(r.stderr) };
};

describe('detect --verdicts', () => {
  const alerts = golden.map((l) => JSON.parse(l) as DistillationAlert);
  const judged = alerts[0]!;
  const verdictTime = judged.window_end + 30 * 60_000;
  const verdicts = join(dir, 'verdicts.ndjson');
  writeFileSync(verdicts, JSON.stringify({ verdict_time: new Date(verdictTime).toISOString(), alert_id: judged.alert_id,
    subject_id: judged.subject_id, accounts: judged.accounts, verdict: 'benign', note: 'a known customer' }) + '\n');
  const out = join(dir, 'with-verdicts.ndjson');
  const first = distillwatch(['detect', '--input', fixture, '--output', out, '--verdicts', verdicts]);
  const withVerdicts = readFileSync(out, 'utf8').split('\n').filter(Boolean);

  it('changes nothing up to the verdict time, and never copies the note', () => {
    expect(first.status).toBe(0);
    const upTo = (ls: string[]) => ls.filter((l) => (JSON.parse(l) as DistillationAlert).window_end <= verdictTime);
    expect(upTo(withVerdicts)).toEqual(upTo(golden));
    expect(withVerdicts.join('\n')).not.toContain('a known customer');
  });

  it('does not page the benign subject again unless it changed materially', () => {
    const later = (ls: string[]) => ls.map((l) => JSON.parse(l) as DistillationAlert).filter((a) => a.subject_id === judged.subject_id && a.window_end > verdictTime);
    // Without the verdict the subject does page again (so the check below is not vacuous).
    expect(later(golden).length).toBeGreaterThan(0);
    expect(later(withVerdicts).length).toBeLessThan(later(golden).length);
    for (const a of later(withVerdicts)) expect(a.score >= judged.score + 0.05 || a.accounts.length > judged.accounts.length).toBe(true);
  });

  it('gives byte-identical output for the same verdicts', () => {
    const again = join(dir, 'again.ndjson');
    expect(distillwatch(['detect', '--input', fixture, '--output', again, '--verdicts', verdicts]).status).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
  }, 120_000);

  it('refuses a bad verdict line with one error naming file, line and field', () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, `${readFileSync(verdicts, 'utf8')}{"verdict_time": 1, "subject_id": "s", "accounts": [], "verdict": "maybe"}\n`);
    const r = distillwatch(['detect', '--input', fixture, '--output', join(dir, 'x.ndjson'), '--verdicts', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`distillwatch: ${bad}:2: field 'verdict': unknown verdict`);
  }, 60_000);
});
