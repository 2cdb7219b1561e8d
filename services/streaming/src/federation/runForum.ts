// Runs the forum service (`run forum`) until SIGTERM or SIGINT, on the forum cluster that the
// connection variables point at (the forum principal's env file; DISTILLWATCH_TOPIC_PREFIX prefixes
// its transactional id and groups, never its topics): connects, serves /metrics and
// /healthz, starts the forum and drains it on a signal. The forum's topics are made by
// `infra up --federation` (the forum principal may not create topics).
import type { DetectorConfig } from '@distillwatch/core';
import { streamingKafka } from '../connection.ts';
import { Logger } from '../log.ts';
import { Metrics } from '../metrics.ts';
import type { StreamingSettings } from '../settings.ts';
import { signals, superviseServices } from '../supervise.ts';
import { startForum } from './forumService.ts';

export interface RunForumOptions {
  settings: StreamingSettings;
  detector: DetectorConfig;
  labs: readonly string[];
  maxLabLagMs: number;
  stopSignal?: Promise<string>;
}

export async function runForum(options: RunForumOptions): Promise<number> {
  // Records are keyed by pseudonym and spread by kafkajs's default partitioner; the warning is noise.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const { settings } = options;
  const log = new Logger(settings.logLevel, { instance: settings.instanceId });
  const kafka = streamingKafka(settings, `distillwatch-forum-${settings.instanceId}`, log);
  const admin = kafka.admin();
  await admin.connect();
  const metrics = new Metrics();
  try {
    return await superviseServices(settings, log, metrics, options.stopSignal ?? signals(), async (services) => {
      services.push(await startForum({
        kafka, admin, log, metrics, detector: options.detector, labs: options.labs, idPrefix: settings.platform.topicPrefix,
        forum: { maxLabLagMs: options.maxLabLagMs }, sessionTimeoutMs: settings.sessionTimeoutMs,
      }));
    });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
