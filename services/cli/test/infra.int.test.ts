// `distillwatch infra up|down|status` end to end, on a private instance: its own state dir and
// free ports, so stopping and restarting it never disturbs the shared broker other tests use.
// Starts two real JVMs (Kafka, Apicurio Registry); needs java 17+ and the Maven-resolved jars.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort, freePortPair } from '@distillwatch/platform/harness';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAINTEXT } from '@distillwatch/platform/config';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { REPO, runInfra, type InfraRun } from './infra-cli.ts';


type Run = InfraRun;

interface StatusJson {
  running: boolean;
  java: string;
  globalCompatibility: string | null;
  components: { name: string; version: string; address: string; pid: number | null; ready: boolean }[];
}

let stateDir: string;
let kafkaPort: number;
let registryPort: number;
let env: NodeJS.ProcessEnv;
let registryUrl: string;

function cli(...args: string[]): Promise<Run> {
  return cliWith(env, ...args);
}

const cliWith = runInfra;

async function status(): Promise<{ code: number | null; json: StatusJson }> {
  const run = await cli('status', '--json');
  return { code: run.code, json: JSON.parse(run.stdout) as StatusJson };
}

/** True while the pid names a live process (a zombie, waiting to be reaped, is not live). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}




async function registerSchema(subject: string, schema: string): Promise<Response> {
  return fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema }),
  });
}

const usageEventSchema = readFileSync(join(REPO, 'schemas', 'usage-event.avsc'), 'utf8');

function withField(field: Record<string, unknown>): string {
  const schema = JSON.parse(usageEventSchema) as { fields: unknown[] };
  return JSON.stringify({ ...schema, fields: [...schema.fields, field] });
}

const SUBJECT = 'infra-test.usage-events-value';

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'distillwatch-infra-'));
  kafkaPort = await freePortPair();
  registryPort = await freePort();
  registryUrl = `http://127.0.0.1:${registryPort}/apis/ccompat/v7`;
  env = {
    ...process.env,
    KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
    SCHEMA_REGISTRY_URL: registryUrl,
    DISTILLWATCH_INFRA_DIR: stateDir,
    DISTILLWATCH_TOPIC_PREFIX: 'infra-test.',
  };
});

afterAll(async () => {
  // Whatever failed above, leave no JVM behind.
  if (env) await cli('down');
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('distillwatch infra', () => {
  it('status exits non-zero and reports both stopped before anything was started', async () => {
    const { code, json } = await status();
    expect(code).toBe(1);
    expect(json.running).toBe(false);
    expect(json.components.map((c) => [c.name, c.pid, c.ready])).toEqual([['kafka', null, false], ['apicurio', null, false]]);
  });

  it('up starts Kafka and the registry, creates the prefixed topics and sets BACKWARD compatibility', async () => {
    const up = await cli('up');
    expect(up.stderr).not.toMatch(/error/i);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/starting kafka/);
    expect(up.stdout).toMatch(/starting apicurio/);

    const { code, json } = await status();
    expect(code).toBe(0);
    expect(json.running).toBe(true);
    expect(json.globalCompatibility).toBe('BACKWARD');
    expect(json.components.map((c) => c.address)).toEqual([`127.0.0.1:${kafkaPort}`, registryUrl]);
    expect(json.java).toMatch(/^\d+/);

    const admin = kafkaClient({ brokers: [`127.0.0.1:${kafkaPort}`], ...PLAINTEXT }, { clientId: 'infra-int-test', logLevel: 'nothing' }).admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).toEqual(expect.arrayContaining([
      'infra-test.usage-events', 'infra-test.usage-events.dlq', 'infra-test.account-features', 'infra-test.distillation-alerts', 'infra-test.alert-verdicts',
    ]));
  });

  it('up again leaves the running processes alone and says they run', async () => {
    const before = (await status()).json.components.map((c) => c.pid);
    const again = await cli('up');
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/starting/);
    expect(again.stdout).toContain(`kafka already running (pid ${before[0]})`);
    expect(again.stdout).toContain(`apicurio already running (pid ${before[1]})`);
    expect(again.stdout).toContain(`(pid ${before[0]})`);
    expect((await status()).json.components.map((c) => c.pid)).toEqual(before);
  });

  it('the registry rejects a change that adds a required field without default, and accepts an optional one', async () => {
    const first = await registerSchema(SUBJECT, usageEventSchema);
    expect(first.status).toBe(200);

    const breaking = await registerSchema(SUBJECT, withField({ name: 'datacenter', type: 'string' }));
    expect(breaking.status).toBe(409);

    const compatible = await registerSchema(SUBJECT, withField({ name: 'datacenter', type: ['null', 'string'], default: null }));
    expect(compatible.status).toBe(200);
    const versions = (await (await fetch(`${registryUrl}/subjects/${SUBJECT}/versions`)).json()) as number[];
    expect(versions).toEqual([1, 2]);
  });

  it('keeps schema ids and topics across down and up', async () => {
    const idBefore = ((await (await fetch(`${registryUrl}/subjects/${SUBJECT}/versions/1`)).json()) as { id: number }).id;
    const pids = (await status()).json.components.map((c) => c.pid!);

    const down = await cli('down');
    expect(down.code).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect((await status()).code).toBe(1);

    const up = await cli('up');
    expect(up.code).toBe(0);
    expect(up.stdout).not.toMatch(/formatted kafka storage/);
    expect(up.stdout).not.toMatch(/created topics/);

    const lookup = await fetch(`${registryUrl}/subjects/${SUBJECT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: usageEventSchema }),
    });
    expect(lookup.status).toBe(200);
    expect(((await lookup.json()) as { id: number; version: number })).toMatchObject({ id: idBefore, version: 1 });
    expect((await status()).json.globalCompatibility).toBe('BACKWARD');
  });

  it('up refuses to start on a port another process already serves', async () => {
    const squatter = createServer();
    const port = await freePortPair();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const otherDir = mkdtempSync(join(tmpdir(), 'distillwatch-infra-busy-'));
      const run = await cliWith({ ...env, KAFKA_BROKERS: `127.0.0.1:${port}`, DISTILLWATCH_INFRA_DIR: otherDir }, 'up');
      rmSync(otherDir, { recursive: true, force: true });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`127.0.0.1:${port} is already in use by a process infra up did not start`);
    } finally {
      squatter.close();
    }
  });

  it('up fails with the tail of the broker log when the broker exits during start', async () => {
    const brokenDir = mkdtempSync(join(tmpdir(), 'distillwatch-infra-broken-'));
    const brokenEnv = {
      ...env,
      KAFKA_BROKERS: `127.0.0.1:${await freePortPair()}`,
      SCHEMA_REGISTRY_URL: `http://127.0.0.1:${await freePort()}/apis/ccompat/v7`,
      DISTILLWATCH_INFRA_DIR: brokenDir,
    };
    // Storage formatted for another node id: Kafka refuses to start on it.
    mkdirSync(join(brokenDir, 'kafka', 'data'), { recursive: true });
    writeFileSync(join(brokenDir, 'kafka', 'data', 'meta.properties'), 'version=1\nnode.id=2\ncluster.id=uYz0UM2-Et4XVTeair45qg\ndirectory.id=MfUUUoNchapwwsM4gJGPjw\n');
    try {
      const run = await cliWith(brokenEnv, 'up');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/kafka \(pid \d+\) exited before it was ready/);
      expect(run.stderr).toContain(`--- last lines of ${join(brokenDir, 'kafka', 'server.log')} ---`);
      expect(run.stderr).toContain("Stored node id 2 doesn't match previous node id 1");
    } finally {
      await cliWith(brokenEnv, 'down');
      rmSync(brokenDir, { recursive: true, force: true });
    }
  });

  it('down stops both processes and leaves none behind', async () => {
    const pids = (await status()).json.components.map((c) => c.pid!);
    expect(pids.every(alive)).toBe(true);
    const down = await cli('down');
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/apicurio stopped/);
    expect(down.stdout).toMatch(/kafka stopped/);
    expect(pids.filter(alive)).toEqual([]);
    const { code, json } = await status();
    expect(code).toBe(1);
    expect(json.components.every((c) => c.pid === null)).toBe(true);
  });
});
