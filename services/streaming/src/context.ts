// What every streaming service in a process shares: settings, connections, logs, metrics,
// topic names and the detector settings. Built once by run.ts.
import type { Admin, Kafka } from '@distillwatch/platform/kafka';
import type { Client } from '@confluentinc/schemaregistry';
import type { DetectorConfig } from '@distillwatch/core';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { StreamingSettings } from './settings.ts';
import type { StreamTopics } from './topology.ts';

export interface ServiceContext {
  settings: StreamingSettings;
  kafka: Kafka;
  admin: Admin;
  registry: Client;
  log: Logger;
  metrics: Metrics;
  detector: DetectorConfig;
  topics: StreamTopics;
  /** Partitions of usage-events (the aggregator's parallelism). */
  usagePartitions: number;
  /** Partitions of account-features. */
  featurePartitions: number;
}

/** A started service. `stop` drains: it finishes and commits what it is processing, then leaves its group. */
export interface RunningService {
  readonly name: string;
  /** Rejects when the service fails for good (the process should exit non-zero). */
  readonly failed: Promise<never>;
  stop(): Promise<void>;
  /** For /healthz. */
  detail(): Record<string, unknown>;
}

/** The consumer group or transactional id `name` under the environment's prefix. */
export function prefixedId(ctx: ServiceContext, name: string): string {
  return ctx.settings.platform.topicPrefix + name;
}

/** A kafkajs error that means another instance took over this transactional id. */
export function isFenced(err: unknown): boolean {
  for (let e = err as { type?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.type === 'INVALID_PRODUCER_EPOCH' || e.type === 'PRODUCER_FENCED' || e.type === 'INVALID_PRODUCER_ID_MAPPING') return true;
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return false;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Transactional producers retry for about three minutes (a broker restart), then fail the
 * transaction: the task aborts it and restores from its changelog with a fresh producer, which
 * is safe with transactions (kafkajs's warning about limited idempotent retries is for
 * non-transactional producers) and cannot spin forever on a coordinator that lost the
 * transaction.
 * The first retry comes after 20 ms, not kafkajs's 300: the first write of a transaction that
 * follows a commit on the same id gets CONCURRENT_TRANSACTIONS until the coordinator has written
 * the previous commit's markers (a few ms), and kafkajs retries it as any error. The Java client
 * retries that error after 20 ms too; the waits double up to 10 s, so an outage still takes
 * the 25 retries about three minutes.
 */
export const PRODUCER_RETRY = { retries: 25, initialRetryTime: 20, maxRetryTime: 10_000 };
