// Every command that talks to Kafka builds its client from the one connection config: pointed
// at a CA file that does not exist, each fails with the same one-line error naming
// KAFKA_TLS_CA_FILE (the Kafka port reads the TLS files when it builds a client), before it
// tries to connect. No broker is needed: the brokers and registry named here do not answer.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(repo, 'services/cli/src/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'dw-connection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CA_FILE = join(dir, 'no-such-ca.pem');
const EXPECTED = `distillwatch: KAFKA_TLS_CA_FILE: cannot read "${CA_FILE}" (no such file)`;
const env = {
  ...process.env,
  KAFKA_BROKERS: '127.0.0.1:1', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:2/apis/ccompat/v7', KAFKA_TLS_CA_FILE: CA_FILE,
  KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'dw', KAFKA_SASL_PASSWORD: 'pw',
  DISTILLWATCH_WEBHOOK_SECRET: 'secret', DISTILLWATCH_METRICS_PORT: '0',
};

function run(args: string[]) {
  return spawnSync(process.execPath, [main, ...args], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
}

describe('every command connects with the connection config', () => {
  const usage = join(dir, 'usage.ndjson');
  writeFileSync(usage, '{}\n');

  it.each([
    ['produce', ['produce', '--input', usage]],
    ['replay', ['replay', '--from', '0', '--to', '3600000', '--output', join(dir, 'alerts.ndjson')]],
    ['alerts tail', ['alerts', 'tail', '--exit-at-end']],
    ['run notifier', ['run', 'notifier', '--url', 'http://127.0.0.1:3/hook']],
    ['run aggregator', ['run', 'aggregator']],
    ['run scorer', ['run', 'scorer']],
  ])('%s', (_name, args) => {
    const result = run(args);
    expect(result.stderr.trim().split('\n').filter((l) => !l.startsWith('{'))).toEqual([EXPECTED]);
    expect(result.status).toBe(2);
  }, 60_000);

  it('ui (which keeps serving and says why it cannot read the topics)', async () => {
    const child = spawn(process.execPath, [main, 'ui', '--port', '0'], { cwd: dir, env });
    let stderr = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no warning within 60 s; stderr: ${stderr}`)), 60_000);
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
          if (stderr.includes('\n')) { clearTimeout(timer); resolve(); }
        });
        child.on('exit', () => { clearTimeout(timer); resolve(); });
      });
    } finally {
      child.kill('SIGTERM');
    }
    expect(stderr.split('\n')[0]).toBe(`distillwatch ui: reading the topics failed: ${EXPECTED.slice('distillwatch: '.length)}`);
  }, 70_000);
});
