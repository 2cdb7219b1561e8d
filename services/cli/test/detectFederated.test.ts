// `distillwatch detect --federated` as users run it (a child process over the committed small
// fixture), and the federation's privacy proofs on what it writes: the forum records hold no
// raw identifier and no prompt word of the input, no lab's feed holds another lab's account
// ids, and forum traffic stays under 5 % of the input bytes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { UsageEvent } from '@distillwatch/core';
import { inputSecrets, leakedInputValues } from './inputSecrets.ts';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = join(repo, 'services/cli/test/fixtures/small-seed3.ndjson.gz');
const dir = mkdtempSync(join(tmpdir(), 'dw-federated-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['services/cli/src/main.ts', ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const inputText = gunzipSync(readFileSync(fixture)).toString('utf8');
const events = inputText.trimEnd().split('\n').map((l) => JSON.parse(l) as UsageEvent);

const hex = (byte: number) => Buffer.alloc(32, byte).toString('hex');
const keyFile = join(dir, 'keys.json');
writeFileSync(keyFile, JSON.stringify({ forum: { current: hex(1) }, labs: { 'lab-a': hex(0xa), 'lab-b': hex(0xb), 'lab-c': hex(0xc) } }));

function federated(name: string, ...extra: string[]) {
  const output = join(dir, `${name}.alerts.ndjson`), forumOut = join(dir, `${name}.forum.ndjson`);
  const result = cli('detect', '--federated', '--input', fixture, '--output', output, '--forum-out', forumOut, ...extra);
  return { ...result, output, forumOut };
}

describe('detect --federated over the small fixture', () => {
  const first = federated('first');
  const again = federated('again');
  const keyed = federated('keyed', '--forum-key-file', keyFile);
  const oneThread = federated('one-thread', '--threads', '1');
  const threeThreads = federated('three-threads', '--threads', '3');
  const immediate = federated('immediate', '--local-alerts', 'immediate');

  it('runs, warns once about the public test keys, and writes the same bytes on every run', () => {
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/^distillwatch: warning: no --forum-key-file: using the fixed public test keys/);
    expect(first.stderr).toMatch(/11515 events .*labs lab-a, lab-b, lab-c; local alerts confirmed; 268 forum records, 0 late at the forum/);
    expect(readFileSync(again.output, 'utf8')).toBe(readFileSync(first.output, 'utf8'));
    expect(readFileSync(again.forumOut, 'utf8')).toBe(readFileSync(first.forumOut, 'utf8'));
    // Parsed on worker threads or on this one, the same bytes.
    expect(oneThread.status).toBe(0);
    expect(readFileSync(threeThreads.output, 'utf8')).toBe(readFileSync(oneThread.output, 'utf8'));
    expect(readFileSync(threeThreads.forumOut, 'utf8')).toBe(readFileSync(oneThread.forumOut, 'utf8'));
    expect(readFileSync(oneThread.output, 'utf8')).toBe(readFileSync(first.output, 'utf8'));
    expect(keyed.status).toBe(0);
    expect(keyed.stderr).not.toMatch(/warning/);
    expect(readFileSync(keyed.forumOut, 'utf8')).not.toBe(readFileSync(first.forumOut, 'utf8'));
  });

  it('names the local-alert mode in its summary; the mode changes the feeds, never what crosses to the forum', () => {
    expect(immediate.status).toBe(0);
    expect(immediate.stderr).toMatch(/; local alerts immediate; /);
    expect(readFileSync(immediate.forumOut, 'utf8')).toBe(readFileSync(first.forumOut, 'utf8'));
    expect(readFileSync(immediate.output, 'utf8')).not.toBe(readFileSync(first.output, 'utf8'));
  });

  it('sorts the feeds by window_end, alert_id, recipient_lab, and gives each recipient an alert once', () => {
    const alerts = lines(first.output);
    expect(alerts.length).toBeGreaterThan(0);
    const keys = alerts.map((a) => [a['window_end'] as number, a['alert_id'] as string, a['recipient_lab'] as string] as const);
    const sorted = [...keys].sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0));
    expect(keys).toEqual(sorted);
    expect(new Set(keys.map((k) => `${k[1]}|${k[2]}`)).size).toBe(keys.length);
    expect(alerts.some((a) => a['source'] === 'forum' && (a['linked_accounts'] as unknown[]).length > 0)).toBe(true);
  });

  it('shows no lab another lab\'s account ids anywhere in its feed', () => {
    const idsByLab = new Map<string, Set<string>>();
    for (const e of events) {
      if (!idsByLab.has(e.lab)) idsByLab.set(e.lab, new Set());
      idsByLab.get(e.lab)!.add(e.account_id);
    }
    for (const path of [first.output, keyed.output, immediate.output]) {
      for (const text of readFileSync(path, 'utf8').trimEnd().split('\n')) {
        const alert = JSON.parse(text) as { recipient_lab: string; accounts: { lab: string }[] };
        for (const a of alert.accounts) expect(a.lab).toBe(alert.recipient_lab);
        for (const [lab, ids] of idsByLab) {
          if (lab === alert.recipient_lab) continue;
          for (const id of ids) expect(text.includes(id), `${id} of ${lab} in ${alert.recipient_lab}'s feed`).toBe(false);
        }
      }
    }
  });

  it('sends the forum no raw identifier and no prompt word of the input', () => {
    const secrets = inputSecrets(events);
    expect(secrets.identifiers.size).toBeGreaterThan(1000);
    expect(secrets.words.size).toBeGreaterThan(100);
    const fields = ['v', 'lab', 'acct', 'ws', 'we', 'n', 'usd', 'usd30', 'fs', 'f', 'top', 'tpl', 'pay', 'net'];
    const labs = new Set(events.map((e) => e.lab));
    for (const path of [first.forumOut, keyed.forumOut]) {
      for (const record of lines(path)) {
        expect(Object.keys(record)).toEqual(fields);
        expect(labs.has(record['lab'] as string)).toBe(true);
        const strings = [record['acct'], record['fs'], ...(record['tpl'] as string[]), ...(record['pay'] as string[]), ...(record['net'] as string[])] as string[];
        expect(leakedInputValues(strings, secrets), 'forum record carries input values').toEqual([]);
        for (const t of record['top'] as { i: unknown; n: unknown }[]) expect([typeof t.i, typeof t.n]).toEqual(['number', 'number']);
        for (const x of record['f'] as unknown[]) expect(typeof x).toBe('number');
      }
    }
  }, 120_000);

  it('keeps forum traffic under 5 % of the input bytes', () => {
    const share = statSync(first.forumOut).size / Buffer.byteLength(inputText);
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThanOrEqual(0.05);
  });
});

describe('detect --federated: user errors', () => {
  it('names an unknown --local-alerts mode and the modes there are, one line, exit 2', () => {
    const result = cli('detect', '--federated', '--input', fixture, '--output', join(dir, 'z.ndjson'), '--local-alerts', 'later');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('distillwatch: --local-alerts: "later" is not one of confirmed, immediate\n');
  }, 60_000);

  it('names a bad key file entry in one line, exit 2', () => {
    const bad = join(dir, 'short.json');
    writeFileSync(bad, JSON.stringify({ forum: { current: 'abcd' }, labs: {} }));
    const result = cli('detect', '--federated', '--input', fixture, '--output', join(dir, 'x.ndjson'), '--forum-key-file', bad);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`distillwatch: ${bad}: forum.current: too short: at least 32 bytes (64 hex digits)\n`);
  }, 60_000);

  it('names a lab of the input that has no key, exit 2', () => {
    const partial = join(dir, 'partial.json');
    writeFileSync(partial, JSON.stringify({ forum: { current: hex(1) }, labs: { 'lab-a': hex(0xa) } }));
    const result = cli('detect', '--federated', '--input', fixture, '--output', join(dir, 'y.ndjson'), '--forum-key-file', partial);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^distillwatch: .*partial\.json: labs\.lab-[bc]: missing: every lab in the input needs its own key\n$/);
  }, 60_000);
});
