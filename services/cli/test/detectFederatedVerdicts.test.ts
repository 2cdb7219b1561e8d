// `detect --federated --verdicts` over the committed fixture: a lab's benign verdict on a forum
// alert reaches the forum (the decision only), which stops paging that subject, at every lab
// involved, while its behaviour stays the same; nothing before the verdict's time changes; the
// same verdicts give the same bytes; a verdict that names no account (so no lab) is one error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabAlert } from '@distillwatch/core';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = join(repo, 'services/cli/test/fixtures/small-seed3.ndjson.gz');
const dir = mkdtempSync(join(tmpdir(), 'dw-federated-verdicts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function federated(name: string, ...extra: string[]) {
  const output = join(dir, `${name}.ndjson`);
  const r = spawnSync(process.execPath, ['services/cli/src/main.ts', 'detect', '--federated', '--input', fixture, '--output', output, ...extra],
    { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
  const text = r.status === 0 ? readFileSync(output, 'utf8') : '';
  // The last line: the first is the warning about the public test keys.
  return { status: r.status, stderr: r.stderr, error: r.stderr.trimEnd().split('\n').at(-1), text, alerts: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LabAlert) };
}

describe('detect --federated --verdicts', () => {
  const plain = federated('plain');
  // The first forum alert on a subject the forum pages again later at the same lab.
  const judged = plain.alerts.find((a) => a.source === 'forum' &&
    plain.alerts.some((b) => b.subject_id === a.subject_id && b.recipient_lab === a.recipient_lab && b.window_end > a.window_end))!;
  const verdictTime = judged.window_end + 30 * 60_000;
  const verdicts = join(dir, 'verdicts.ndjson');
  writeFileSync(verdicts, JSON.stringify({ verdict_time: verdictTime, alert_id: judged.alert_id, subject_id: judged.subject_id,
    accounts: judged.accounts, verdict: 'benign', analyst: 'kim', note: 'a known customer' }) + '\n');
  const withVerdict = federated('with-verdict', '--verdicts', verdicts);
  const again = federated('again', '--verdicts', verdicts);

  it('stops the forum paging a subject judged benign, at every lab involved, and changes nothing before the verdict', () => {
    expect(plain.status).toBe(0);
    expect(withVerdict.status).toBe(0);
    expect(withVerdict.stderr).toMatch(/; 1 verdicts on forum alerts at the forum;/);
    const upTo = (alerts: LabAlert[]) => alerts.filter((a) => a.window_end <= verdictTime);
    expect(upTo(withVerdict.alerts)).toEqual(upTo(plain.alerts));
    const repeats = (alerts: LabAlert[]) => alerts.filter((a) => a.subject_id === judged.subject_id && a.window_end > verdictTime);
    expect(repeats(plain.alerts).length).toBeGreaterThan(0);
    expect(repeats(withVerdict.alerts)).toEqual([]);
    expect(withVerdict.text).not.toContain('a known customer');
    expect(withVerdict.text).not.toContain('kim');
  });

  it('writes the same bytes for the same verdicts', () => {
    expect(again.text).toBe(withVerdict.text);
  });

  it('refuses a verdict that names no account, in one line, exit 2', () => {
    const lab = join(dir, 'no-lab.ndjson');
    writeFileSync(lab, JSON.stringify({ verdict_time: verdictTime, alert_id: judged.alert_id, subject_id: judged.subject_id, accounts: [], verdict: 'benign' }) + '\n');
    const r = federated('no-lab', '--verdicts', lab);
    expect(r.status).toBe(2);
    expect(r.error).toBe(`distillwatch: ${lab}: the verdict on ${judged.alert_id} names no account, so no lab`);
  });

  it('names the file and line of a bad verdict, as detect --verdicts does', () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"verdict_time": 1, "subject_id": "s", "accounts": [], "verdict": "maybe"}\n');
    const r = federated('bad', '--verdicts', bad);
    expect(r.status).toBe(2);
    expect(r.error).toBe(`distillwatch: ${bad}:1: field 'verdict': unknown verdict`);
  });
});
