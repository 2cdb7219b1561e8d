// The topics of distillwatch, with explicit partition counts and configs, and an idempotent
// `ensureTopics` that `infra up` and the services call before they produce or consume. It must
// never alter or delete an existing topic: a topic that already exists is left as it is.
import { prefixed, type PlatformConfig } from './config.ts';
import { isRetriable } from './kafka/errors.ts';
import type { Admin, ITopicConfig } from './kafka/index.ts';

export interface TopicSpec {
  /** Full name, prefix included. */
  readonly name: string;
  readonly partitions: number;
  /** Topic-level configs, as Kafka names them. */
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * Records carry their event time as the Kafka timestamp, so replays of old ranges hold records
 * far older than any time-based retention: locally nothing is deleted by age or size.
 * Production deployments set their own retention (see the README).
 */
const KEEP_FOREVER = { 'retention.ms': '-1', 'retention.bytes': '-1' } as const;

/** The public topics of CONTRACT.md section 4, under the configured prefix. */
export function distillwatchTopics(config: Pick<PlatformConfig, 'topicPrefix'>): TopicSpec[] {
  const topic = (name: string, partitions: number): TopicSpec => ({
    name: prefixed(config, name),
    partitions,
    configs: KEEP_FOREVER,
  });
  return [
    // Keyed by `<lab>/<account_id>`: the partition count bounds the aggregator's parallelism.
    topic('usage-events', 6),
    // One partition keeps dead letters in the order they were found.
    topic('usage-events.dlq', 1),
    topic('account-features', 6),
    topic('distillation-alerts', 3),
    // Keyed by subject_id like the alerts; read whole by every scorer, so few partitions.
    topic('alert-verdicts', 3),
  ];
}

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
}

export interface EnsureTopicsOptions {
  /** How long to keep retrying while the broker is not ready to answer for its topics. Default 60 s. */
  timeoutMs?: number;
  /** Pause between attempts. Default 250 ms. */
  retryDelayMs?: number;
}

/**
 * Creates the topics that do not exist yet, with the broker's default replication factor, and
 * returns once every one of them has a leader for each partition. A broker that has just
 * started answers for a while that it does not host a partition (it is still loading its logs)
 * or that a leader is not available: such retriable errors are retried until `timeoutMs`.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[], options: EnsureTopicsOptions = {}): Promise<EnsureTopicsResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const created = new Set<string>();
  for (;;) {
    try {
      const present = new Set(await admin.listTopics());
      const missing = specs.filter((s) => !present.has(s.name));
      if (missing.length > 0) {
        const topics: ITopicConfig[] = missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          configEntries: Object.entries(s.configs).map(([name, value]) => ({ name, value })),
        }));
        // createTopics resolves false (no throw) when another process created one of them first.
        await admin.createTopics({ topics });
        for (const s of missing) created.add(s.name);
      }
      if (await allLed(admin, specs)) break;
    } catch (err) {
      if (!isRetriable(err) || Date.now() >= deadline) throw err;
    }
    if (Date.now() >= deadline) throw new Error(`topics without a leader after ${options.timeoutMs ?? 60_000} ms: ${specs.map((s) => s.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 250));
  }
  return {
    created: specs.filter((s) => created.has(s.name)).map((s) => s.name),
    existing: specs.filter((s) => !created.has(s.name)).map((s) => s.name),
  };
}

/** Whether every partition of every topic has a leader (throws the broker's error while it cannot tell). */
async function allLed(admin: Admin, specs: readonly TopicSpec[]): Promise<boolean> {
  if (specs.length === 0) return true;
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
  return topics.length === specs.length && topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
}
