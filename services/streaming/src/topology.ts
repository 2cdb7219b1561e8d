// The topics of the streaming services: the public ones (platform/topics.ts) and the internal
// ones, named `distillwatch.<service>.<name>` as CONTRACT.md section 4 asks, all created
// idempotently before a service starts. Changelogs and the progress and model topics are
// compacted: only the latest value of each key matters to whoever restores from them.
import { isRetriable, type Admin } from '@distillwatch/platform/kafka';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { distillwatchTopics, ensureTopics, type TopicSpec } from '@distillwatch/platform/topics';

export interface StreamTopics {
  usageEvents: string;
  deadLetters: string;
  accountFeatures: string;
  alerts: string;
  /** On-call verdicts the scorer applies (CONTRACT.md section 5). */
  alertVerdicts: string;
  /** Store `windows` of the aggregator: one changelog partition per usage-events partition. */
  aggregatorWindows: string;
  /** Per usage partition, how far its aggregator has got (key = partition). */
  aggregatorProgress: string;
  /** Store `state` of the scorer (one key). */
  scorerState: string;
  /** Versioned models (key = model version). */
  scorerModels: string;
  /** At a federation's lab only: the scorer's local alerts for the bridge (federation/localAlertsWire.ts). */
  scorerLocalAlerts: string;
  /** Split scorer (`run scorer --split`): each window's context for the instances (key = window end; splitWire.ts). */
  scorerContexts: string;
  /** Split scorer: the instances' account scores for the owner (key = window end and account; splitWire.ts). */
  scorerAccountScores: string;
}

export function streamTopics(config: Pick<PlatformConfig, 'topicPrefix'>): StreamTopics {
  const t = (name: string) => prefixed(config, name);
  return {
    usageEvents: t('usage-events'), deadLetters: t('usage-events.dlq'), accountFeatures: t('account-features'),
    alerts: t('distillation-alerts'), alertVerdicts: t('alert-verdicts'), aggregatorWindows: t('distillwatch.aggregator.windows'),
    aggregatorProgress: t('distillwatch.aggregator.progress'), scorerState: t('distillwatch.scorer.state'),
    scorerModels: t('distillwatch.scorer.models'), scorerLocalAlerts: t('distillwatch.scorer.local-alerts'),
    scorerContexts: t('distillwatch.scorer.contexts'), scorerAccountScores: t('distillwatch.scorer.account-scores'),
  };
}

/**
 * Compacted and kept: a changelog must never lose the latest value of a key. Small segments
 * and a low dirty ratio let the cleaner run often, so restoring reads little more than the live
 * state. Large values (a scorer state, a model) are allowed up to 64 MiB.
 */
const COMPACTED = {
  'cleanup.policy': 'compact', 'segment.bytes': String(16 * 1024 * 1024), 'min.cleanable.dirty.ratio': '0.1',
  'max.message.bytes': String(64 * 1024 * 1024), 'retention.ms': '-1',
} as const;

/** Internal topics; the aggregator's changelog is co-partitioned with the usage topic. */
export function internalTopicSpecs(topics: StreamTopics, usagePartitions: number): TopicSpec[] {
  return [
    { name: topics.aggregatorWindows, partitions: usagePartitions, configs: COMPACTED },
    { name: topics.aggregatorProgress, partitions: 1, configs: COMPACTED },
    { name: topics.scorerState, partitions: 1, configs: COMPACTED },
    { name: topics.scorerModels, partitions: 1, configs: COMPACTED },
    // The split scorer's: the owner reads every account score in order, and each context is
    // small and read by every instance, so one partition each; the scores are dropped once
    // their window is scored, so they need no compaction, only a week's keep.
    { name: topics.scorerContexts, partitions: 1, configs: COMPACTED },
    { name: topics.scorerAccountScores, partitions: 1, configs: { 'retention.ms': String(7 * 24 * 3_600_000) } },
  ];
}

/**
 * Creates the public and internal topics that are missing; returns the partition counts of
 * usage-events and account-features. Several instances may start at once: while another one's new topics elect their
 * leaders, metadata requests fail with retriable errors, so the whole step is retried.
 */
export async function ensureStreamTopics(admin: Admin, config: Pick<PlatformConfig, 'topicPrefix'>): Promise<{ usagePartitions: number; featurePartitions: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureOnce(admin, config);
    } catch (err) {
      if (!isRetriable(err) || attempt >= 20) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function ensureOnce(admin: Admin, config: Pick<PlatformConfig, 'topicPrefix'>): Promise<{ usagePartitions: number; featurePartitions: number }> {
  const topics = streamTopics(config);
  await ensureTopics(admin, distillwatchTopics(config));
  const usagePartitions = await partitionCount(admin, topics.usageEvents);
  await ensureTopics(admin, internalTopicSpecs(topics, usagePartitions));
  const changelogPartitions = await partitionCount(admin, topics.aggregatorWindows);
  if (changelogPartitions !== usagePartitions) {
    throw new Error(`${topics.aggregatorWindows} has ${changelogPartitions} partitions but ${topics.usageEvents} has ${usagePartitions}: they must match (one changelog partition per usage partition)`);
  }
  return { usagePartitions, featurePartitions: await partitionCount(admin, topics.accountFeatures) };
}

export async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.length;
}
