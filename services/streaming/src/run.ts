// Runs the streaming services in this process until SIGTERM or SIGINT: connects, creates the
// topics that are missing, serves /metrics and /healthz, starts the services, and on a signal
// drains them (each finishes and commits what it is processing, then leaves its group).
import type { DetectorConfig } from '@distillwatch/core';
import { startAggregator } from './aggregatorService.ts';
import { streamingKafka, streamingRegistry } from './connection.ts';
import type { ServiceContext } from './context.ts';
import { Logger } from './log.ts';
import { Metrics } from './metrics.ts';
import { startScorer } from './scorerService.ts';
import { startScorerInstance } from './scorerInstanceService.ts';
import { signals, superviseServices } from './supervise.ts';
import type { StreamingSettings } from './settings.ts';
import { ensureStreamTopics, streamTopics } from './topology.ts';
import { startBridge, type BridgeOptions } from './federation/bridgeService.ts';

export type ServiceName = 'aggregator' | 'scorer' | 'scorer-instance' | 'all' | 'bridge';

export interface RunOptions {
  service: ServiceName;
  settings: StreamingSettings;
  detector: DetectorConfig;
  /** Resolves when the services should drain and stop (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<string>;
  log?: Logger;
  /** What `bridge` needs besides the lab's own cluster (federation/bridgeService.ts). */
  bridge?: BridgeOptions;
  /** At a federation's lab: the scorer hands its local alerts to the lab's bridge instead of distillation-alerts. */
  federated?: boolean;
  /** `scorer`: split the scoring of each window's accounts with `scorer-instance` processes (scorerInstanceService.ts). */
  split?: boolean;
}

/** Runs until stopped; resolves to the exit code (0 after a clean drain, 1 when a service failed). */
export async function runStreaming(options: RunOptions): Promise<number> {
  // The services pick partitions explicitly (murmur2, like Java clients and `produce`).
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const { settings } = options;
  const log = options.log ?? new Logger(settings.logLevel, { instance: settings.instanceId });
  const stop = options.stopSignal ?? signals();
  const kafka = streamingKafka(settings, `distillwatch-${options.service}-${settings.instanceId}`, log);
  const admin = kafka.admin();
  await admin.connect();
  const metrics = new Metrics();
  try {
    const { usagePartitions, featurePartitions } = await ensureStreamTopics(admin, settings.platform);
    const topics = streamTopics(settings.platform);
    const ctx: ServiceContext = {
      settings, kafka, admin, registry: streamingRegistry(settings), log, metrics, detector: options.detector, topics,
      usagePartitions, featurePartitions,
    };
    return await superviseServices(settings, log, metrics, stop, async (services) => {
      if (options.service === 'aggregator' || options.service === 'all') services.push(await startAggregator(ctx));
      if (options.service === 'scorer' || options.service === 'all') services.push(await startScorer(ctx, { federated: options.federated ?? false, split: options.split ?? false }));
      if (options.service === 'scorer-instance') services.push(await startScorerInstance(ctx));
      if (options.service === 'bridge') {
        if (!options.bridge) throw new Error('run bridge needs its bridge options');
        services.push(await startBridge(ctx, options.bridge));
      }
    });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
