// What one transactional producer per input partition costs (the aggregator's layout: kafkajs
// has no KIP-447 fencing, so a zombie is fenced only by reusing the partition's transactional
// id) against one producer whose transaction covers every partition (what KIP-447 allows a
// client that has it), both with kafkajs through the Kafka port, on the broker of KAFKA_BROKERS.
//
//   node bench/transactionalProducers.ts [--partitions 64] [--rounds 20]     (prints JSON)
//
// Each round commits, for every partition, what an aggregator step writes besides its outputs: a
// changelog record on the partition, a progress record and the consumed offset. Per producer:
// one transaction per partition per round, all partitions at once (the aggregator's
// partitionsConsumedConcurrently); single: one transaction per round holding all partitions.
// Reported per layout: connect time (initTransactions of every id), TCP connections and memory
// the producers add, commit time per transaction (p50, p99) and partition-steps committed per
// second. It only measures; its topics, under a fresh prefix, are deleted at the end.
import { readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, type PlatformConfig } from '../services/platform/src/config.ts';
import { kafkaClient, type Kafka, type Producer } from '../services/platform/src/kafka/index.ts';
import { PRODUCER_RETRY } from '../services/streaming/src/context.ts';

/** What one layout cost: everything its producers add to the process, and its commits. */
export interface LayoutFigures {
  producers: number;
  connectSeconds: number;
  tcpConnections: number;
  rssBytes: number;
  heapBytes: number;
  commitMsP50: number;
  commitMsP99: number;
  partitionStepsPerS: number;
}

/** The record an aggregator step writes to its changelog partition: a few hundred bytes of JSON. */
const CHANGELOG_VALUE = Buffer.from(JSON.stringify({ version: 1, nextOffset: 123_456, featuresEnd: { 0: 1, 1: 2, 2: 3 }, clock: 1_700_000_000_000, aheadTime: null, sweptAt: 1_700_000_000_000 }));

/** Sockets this process holds open (Linux): what the producers add to the broker's connections. */
function openSockets(): number {
  return readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:'); } catch { return false; } }).length;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface Topics { changelog: string; progress: string; source: string; group: string }

/** One transaction of `partitions`: each partition's changelog record, a progress record each, the offsets. */
async function commitStep(producer: Producer, t: Topics, partitions: number[], round: number): Promise<number> {
  const started = performance.now();
  const txn = await producer.transaction();
  try {
    await txn.send({ topic: t.changelog, messages: partitions.map((p) => ({ key: 'meta', value: CHANGELOG_VALUE, partition: p })) });
    await txn.send({ topic: t.progress, messages: partitions.map((p) => ({ key: String(p), value: CHANGELOG_VALUE, partition: 0 })) });
    await txn.sendOffsets({ consumerGroupId: t.group, topics: [{ topic: t.source, partitions: partitions.map((p) => ({ partition: p, offset: String(round + 1) })) }] });
    await txn.commit();
  } catch (err) {
    await txn.abort().catch(() => undefined);
    throw err;
  }
  return performance.now() - started;
}

/** Connects `ids.length` transactional producers, commits `rounds` rounds over `partitions`, measures. */
async function measureLayout(kafka: Kafka, t: Topics, ids: string[], partitions: number[], rounds: number): Promise<LayoutFigures> {
  globalThis.gc?.();
  const before = { sockets: openSockets(), rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
  const connectStarted = performance.now();
  const producers = ids.map((transactionalId) => kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60_000, retry: PRODUCER_RETRY }));
  await Promise.all(producers.map((p) => p.connect()));
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  // Each producer's share of the partitions: one each, or all of them for a single producer.
  const shares = producers.map((_, i) => (producers.length === 1 ? partitions : [partitions[i]!]));
  const commitMs: number[] = [];
  await Promise.all(producers.map((p, i) => commitStep(p, t, shares[i]!, -1))); // warm-up: metadata, coordinators
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    commitMs.push(...(await Promise.all(producers.map((p, i) => commitStep(p, t, shares[i]!, round)))));
  }
  const seconds = (performance.now() - started) / 1000;
  globalThis.gc?.();
  const after = { sockets: openSockets(), rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
  await Promise.all(producers.map((p) => p.disconnect()));
  // Closed sockets leave /proc a moment later: the next layout starts from this layout's absence.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  commitMs.sort((a, b) => a - b);
  return {
    producers: producers.length,
    connectSeconds: Math.round(connectSeconds * 100) / 100,
    tcpConnections: after.sockets - before.sockets,
    rssBytes: after.rss - before.rss,
    heapBytes: after.heap - before.heap,
    commitMsP50: Math.round(quantile(commitMs, 0.5)),
    commitMsP99: Math.round(quantile(commitMs, 0.99)),
    partitionStepsPerS: Math.round((rounds * partitions.length) / seconds),
  };
}

export async function measureTransactionalProducers(partitionCount: number, rounds: number): Promise<{ partitions: number; rounds: number; perPartition: LayoutFigures; single: LayoutFigures }> {
  const prefix = `bench-txn-${Date.now().toString(36)}.`;
  const config: PlatformConfig = { ...loadConfig(), topicPrefix: prefix };
  const kafka = kafkaClient(config, { clientId: 'distillwatch-bench-txn' });
  const t: Topics = { changelog: `${prefix}changelog`, progress: `${prefix}progress`, source: `${prefix}usage-events`, group: `${prefix}group` };
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [
      { topic: t.changelog, numPartitions: partitionCount, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: t.progress, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: t.source, numPartitions: partitionCount },
    ] });
    const partitions = Array.from({ length: partitionCount }, (_, p) => p);
    const single = await measureLayout(kafka, t, [`${prefix}aggregator`], partitions, rounds);
    const perPartition = await measureLayout(kafka, t, partitions.map((p) => `${prefix}aggregator.${p}`), partitions, rounds);
    return { partitions: partitionCount, rounds, perPartition, single };
  } finally {
    await admin.deleteTopics({ topics: [t.changelog, t.progress, t.source] }).catch(() => undefined);
    await admin.disconnect();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { partitions: { type: 'string', default: '64' }, rounds: { type: 'string', default: '20' } } });
  const figures = await measureTransactionalProducers(Number(values.partitions), Number(values.rounds));
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
