// The on-call commands as processes, against the real broker and registry: `distillwatch ui`
// prints the address with a generated token once and serves the page only with it;
// `distillwatch run notifier` posts a signed alert and stops cleanly on SIGTERM. Both exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { configEnv, integrationConfig } from '@distillwatch/platform/harness';
import { verifySignature } from '../src/webhook.ts';
import { produceAlerts, sampleAlert } from './sampleAlerts.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const CLI = join(import.meta.dirname, '..', '..', 'cli', 'src', 'main.ts');

function start(config: PlatformConfig, args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: { stdout: string; stderr: string }; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...configEnv(config), DISTILLWATCH_UI_TOKEN: '', ...env },
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => { output.stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output.stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output, exited };
}

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('on-call commands as processes', () => {
  it('ui prints its address with a generated token once and stops on SIGTERM', async () => {
    const config = await integrationConfig('ui-cli');
    const ui = start(config, ['ui', '--port', '0']);
    await until(() => ui.output.stdout.includes('\n'));
    const match = /^distillwatch ui: (http:\/\/127\.0\.0\.1:\d+\/)\?token=([A-Za-z0-9_-]{32})\n$/.exec(ui.output.stdout);
    expect(match).not.toBeNull();
    const [, url, token] = match!;
    expect((await fetch(url!)).status).toBe(401);
    const page = await fetch(`${url}?token=${token}`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const html = await fetch(url!, { headers: { cookie } });
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('<title>distillwatch · live alerts</title>');
    ui.child.kill('SIGTERM');
    expect(await ui.exited).toBe(0);
    expect(ui.output.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('run notifier posts a signed alert, logs JSON lines and stops on SIGTERM', async () => {
    const config = await integrationConfig('notifier-cli');
    const bodies: { body: string; signature: string | undefined }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => { bodies.push({ body, signature: req.headers['x-distillwatch-signature'] as string | undefined }); res.end(); });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    const alert = sampleAlert({ alert_id: 'alert-cli', severity: 'critical' });
    await produceAlerts(config, [alert], 'notifier-cli-test');

    const notifier = start(config, ['run', 'notifier', '--url', hook, '--from-beginning', '--secret-env', 'HOOK_SECRET'], { HOOK_SECRET: 'cli-secret' });
    await until(() => bodies.length > 0 && notifier.output.stderr.includes('"kind":"delivered"'));
    notifier.child.kill('SIGTERM');
    expect(await notifier.exited).toBe(0);
    await new Promise<void>((resolve) => server.close(() => resolve()));

    expect(JSON.parse(bodies[0]!.body)).toEqual(alert);
    expect(verifySignature('cli-secret', bodies[0]!.body, bodies[0]!.signature)).toBe(true);
    const logs = notifier.output.stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string; target?: string });
    expect(logs.map((l) => l.kind)).toEqual(['started', 'delivered', 'stopped']);
    expect(logs[0]!.target).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…$/);
    expect(notifier.output.stdout).toBe('');
  });
});
