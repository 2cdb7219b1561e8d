// `distillwatch infra up|status --federation` end to end, on the real secured clusters: every
// client here is built by the project's connection config (`loadConfig`) and Kafka port from
// nothing but an env file that `up` wrote, exactly as a command started after `source`-ing it,
// so the test also proves those files carry all a command needs. The test starts the federation when it does
// not run, and then stops it again afterwards; a federation that already ran is left running.
// It never skips: when the federation cannot start, beforeAll fails with `up`'s own message.
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { loadConfig } from '@distillwatch/platform/config';
import { kafkaClient, type Kafka } from '@distillwatch/platform/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInfra, type InfraRun } from './infra-cli.ts';
import { describeStreamingFederation } from './federationStream.ts';
import { readEnvFile } from './federationEnv.ts';


interface FederationStatusJson {
  running: boolean;
  caFile: string;
  credentialsFile: string;
  forumKeyFile: string;
  clusters: { name: string; bootstrap: string; pid: number | null; ready: boolean; principals: string[]; envFiles: Record<string, string> }[];
}

function infra(...args: string[]): Promise<InfraRun> {
  return runInfra(process.env, ...args);
}

async function federationStatus(): Promise<{ code: number | null; json: FederationStatusJson }> {
  const run = await infra('status', '--federation', '--json');
  return { code: run.code, json: JSON.parse(run.stdout) as FederationStatusJson };
}

/** A client exactly as the env file describes it; `retries: 0` for a refusal test, which must fail at once. */
function clientFrom(env: Record<string, string>, retries?: 0): Kafka {
  expect(env).toMatchObject({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_TLS: 'true' });
  return configuredClient(env, retries);
}

/**
 * A client of the connection config for `env` as given (possibly bent for a refusal test). A
 * cluster fresh from `up` still loads its group and transaction coordinators for a few seconds
 * (NOT_COORDINATOR, retriable); refusals are not retriable and fail at once.
 */
function configuredClient(env: Record<string, string>, retries?: 0): Kafka {
  return kafkaClient(loadConfig(env), {
    clientId: 'federation-infra-int-test', logLevel: 'nothing',
    retry: retries === 0 ? { retries: 0 } : { retries: 8, initialRetryTime: 300 },
  });
}

/** `env` less the named variables. */
function without(env: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !names.includes(k)));
}

let status: FederationStatusJson;
let startedHere = false;
const run = randomUUID();

function envFile(cluster: string, principal: string): Record<string, string> {
  const file = status.clusters.find((c) => c.name === cluster)?.envFiles[principal];
  if (!file) throw new Error(`status --federation names no env file for ${principal} on ${cluster}`);
  return readEnvFile(file);
}

async function produce(kafka: Kafka, topic: string, value: string): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key: run, value }] });
  } finally {
    await producer.disconnect();
  }
}

type KafkaError = Error & { type?: string; cause?: unknown };

/**
 * The error a promise rejects with (the test fails if it resolves), with the broker's error code
 * as `type`: kafkajs wraps the protocol error of a send in a non-retriable error's `cause`.
 */
async function refusal(promise: Promise<unknown>): Promise<{ name: string; type: string | undefined; message: string }> {
  try {
    await promise;
  } catch (err) {
    let inner = err as KafkaError | undefined;
    while (inner && inner.type === undefined) inner = inner.cause as KafkaError | undefined;
    return { name: (err as Error).name, type: inner?.type, message: (err as Error).message };
  }
  throw new Error('expected the cluster to refuse, but it accepted');
}

beforeAll(async () => {
  const before = await federationStatus();
  if (!before.json.running) {
    const up = await infra('up', '--federation');
    if (up.code !== 0) {
      throw new Error(`infra up --federation failed (exit ${up.code}); the federation must run for this test:\n${up.stderr}\n${up.stdout}`);
    }
    startedHere = true;
  }
  const after = await federationStatus();
  if (after.code !== 0) throw new Error(`infra status --federation says the federation does not answer:\n${JSON.stringify(after.json, null, 2)}`);
  status = after.json;
}, 420_000);

afterAll(async () => {
  if (startedHere) await infra('down', '--federation');
}, 240_000);

describe('infra --federation', () => {
  it('status names each cluster\'s bootstrap address, principals and env files, the CA, the credentials and the forum key', () => {
    expect(status.clusters.map((c) => [c.name, c.bootstrap, c.ready])).toEqual([
      ['lab-a', '127.0.0.1:19092', true], ['lab-b', '127.0.0.1:19094', true], ['lab-c', '127.0.0.1:19096', true], ['forum', '127.0.0.1:19098', true],
    ]);
    expect(status.clusters.find((c) => c.name === 'forum')!.principals).toEqual(['User:admin', 'User:forum', 'User:lab-a', 'User:lab-b', 'User:lab-c']);
    expect(status.clusters.find((c) => c.name === 'lab-a')!.principals).toEqual(['User:admin', 'User:lab-a']);
    expect(readFileSync(status.caFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const secrets = [status.credentialsFile, status.forumKeyFile, ...status.clusters.flatMap((c) => Object.values(c.envFiles))];
    expect(secrets.map((file) => [file, statSync(file).mode & 0o777])).toEqual(secrets.map((file) => [file, 0o600]));
    expect(envFile('lab-a', 'lab-a')).toMatchObject({ KAFKA_BROKERS: '127.0.0.1:19092', KAFKA_SASL_USERNAME: 'lab-a', DISTILLWATCH_TOPIC_PREFIX: 'lab-a.' });
    expect(envFile('forum', 'lab-a')).toMatchObject({ KAFKA_BROKERS: '127.0.0.1:19098', KAFKA_SASL_USERNAME: 'lab-a', DISTILLWATCH_TOPIC_PREFIX: '' });
  });

  it('a second up leaves the running clusters alone', async () => {
    const again = await infra('up', '--federation');
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/starting|formatted|made the/);
    for (const cluster of status.clusters) expect(again.stdout).toContain(`${cluster.name} already running (pid ${cluster.pid})`);
  });

  it('the forum principal reads the records each lab produced to its own forum topic over TLS and SCRAM', async () => {
    const labs = ['lab-a', 'lab-b', 'lab-c'];
    for (const lab of labs) await produce(clientFrom(envFile('forum', lab)), `forum.records.${lab}`, `${lab} ${run}`);

    const consumer = clientFrom(envFile('forum', 'forum')).consumer({ groupId: `forum.int-test.${run}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
    const seen = new Set<string>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: labs.map((lab) => `forum.records.${lab}`), fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`forum read only ${[...seen].join(', ') || 'nothing'} of this run's records in 60 s`)), 60_000);
        void consumer.run({
          eachMessage: async ({ topic, message }) => {
            if (message.key?.toString() === run) seen.add(`${topic}: ${message.value?.toString()}`);
            if (seen.size === labs.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        }).catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    expect([...seen].sort()).toEqual(labs.map((lab) => `forum.records.${lab}: ${lab} ${run}`));
  });

  it('lab-a\'s credentials are refused on lab-b\'s forum records and alerts, and on lab-b\'s own cluster', async () => {
    const labA = clientFrom(envFile('forum', 'lab-a'));
    const write = await refusal(produce(labA, 'forum.records.lab-b', `lab-a posing as lab-b ${run}`));
    expect(write.type).toBe('TOPIC_AUTHORIZATION_FAILED');

    const admin = labA.admin();
    await admin.connect();
    try {
      const read = await refusal(admin.fetchTopicOffsets('forum.alerts.lab-b'));
      expect(read.type).toBe('TOPIC_AUTHORIZATION_FAILED');
      // Its own alerts it may read.
      expect((await admin.fetchTopicOffsets('forum.alerts.lab-a')).length).toBe(1);
    } finally {
      await admin.disconnect();
    }

    const reader = labA.consumer({ groupId: `lab-a.int-test.${run}`, allowAutoTopicCreation: false });
    await reader.connect();
    try {
      const subscribe = await refusal(reader.subscribe({ topics: ['forum.alerts.lab-b'], fromBeginning: true }));
      expect(subscribe.type).toBe('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await reader.disconnect();
    }

    // lab-a has no user on lab-b's cluster at all.
    const labBCluster = envFile('lab-b', 'lab-b');
    const foreign = clientFrom({ ...envFile('forum', 'lab-a'), KAFKA_BROKERS: labBCluster.KAFKA_BROKERS! }, 0).admin();
    const login = await refusal(foreign.connect());
    expect(login.name).toBe('KafkaJSSASLAuthenticationError');
  });

  it('the forum may not write a lab\'s records, nor a lab write its own alerts', async () => {
    const forumWrite = await refusal(produce(clientFrom(envFile('forum', 'forum')), 'forum.records.lab-a', `forum posing as lab-a ${run}`));
    expect(forumWrite.type).toBe('TOPIC_AUTHORIZATION_FAILED');
    const labWrite = await refusal(produce(clientFrom(envFile('forum', 'lab-a')), 'forum.alerts.lab-a', `lab-a forging an alert ${run}`));
    expect(labWrite.type).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('a wrong password is refused', async () => {
    const env = envFile('forum', 'lab-a');
    const admin = clientFrom({ ...env, KAFKA_SASL_PASSWORD: `${env.KAFKA_SASL_PASSWORD}x` }, 0).admin();
    const err = await refusal(admin.connect());
    expect(err.name).toBe('KafkaJSSASLAuthenticationError');
  });

  it('a plaintext connection is refused, with or without SASL', async () => {
    const env = envFile('forum', 'lab-a');
    const plaintext = { ...without(env, 'KAFKA_TLS_CA_FILE'), KAFKA_TLS: 'false' };
    for (const bent of [plaintext, without(plaintext, 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD')]) {
      const admin = configuredClient(bent, 0).admin();
      const err = await refusal(admin.connect().then(() => admin.describeCluster()));
      expect(err.name).toMatch(/^KafkaJS/);
      await admin.disconnect();
    }
  });

  it('a client that does not trust the federation CA refuses the broker\'s certificate', async () => {
    const admin = configuredClient(without(envFile('forum', 'lab-a'), 'KAFKA_TLS_CA_FILE'), 0).admin();
    const err = await refusal(admin.connect());
    expect(err.message).toMatch(/self-signed certificate|unable to (get local issuer|verify)/i);
  });

  it('a lab runs exactly-once on its own cluster: its prefixed topics, consumer groups and transactional ids', async () => {
    const env = envFile('lab-a', 'lab-a');
    const kafka = clientFrom(env);
    const topic = `${env.DISTILLWATCH_TOPIC_PREFIX}usage-events`;
    const producer = kafka.producer({ transactionalId: `${env.DISTILLWATCH_TOPIC_PREFIX}int-test`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const tx = await producer.transaction();
      await tx.send({ topic, messages: [{ key: run, value: 'event' }] });
      await tx.sendOffsets({ consumerGroupId: `${env.DISTILLWATCH_TOPIC_PREFIX}int-test.${run}`, topics: [{ topic, partitions: [{ partition: 0, offset: '0' }] }] });
      await tx.commit();
    } finally {
      await producer.disconnect();
    }
    // Outside its prefix, nothing.
    const stray = await refusal(produce(kafka, 'usage-events', `unprefixed ${run}`));
    expect(stray.type).toBe('TOPIC_AUTHORIZATION_FAILED');
  });
});

// The federation's services on these clusters (federationStream.ts), while the four JVMs run.
describeStreamingFederation(() => envFile);
