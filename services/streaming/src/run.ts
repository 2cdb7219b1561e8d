// Runs the streaming services in this process until SIGTERM or SIGINT: connects, creates the
// topics that are missing, serves /metrics and /healthz, starts the services, and on a signal
// drains them (each finishes and commits what it is processing, then leaves its group).
import type { DetectorConfig } from '@distillwatch/core';
import { startAggregator } from './aggregatorService.ts';
import { streamingKafka, streamingRegistry } from './connection.ts';
import type { RunningService, ServiceContext } from './context.ts';
import { Logger } from './log.ts';
import { Metrics, serveMetrics } from './metrics.ts';
import { startScorer } from './scorerService.ts';
import type { StreamingSettings } from './settings.ts';
import { ensureStreamTopics, streamTopics } from './topology.ts';

/** How long a drained process may take to exit on its own. */
const DRAINED_EXIT_GRACE_MS = 5000;

export type ServiceName = 'aggregator' | 'scorer' | 'all';

export interface RunOptions {
  service: ServiceName;
  settings: StreamingSettings;
  detector: DetectorConfig;
  /** Resolves when the services should drain and stop (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<string>;
  log?: Logger;
}

function signals(): Promise<string> {
  return new Promise((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve(sig));
  });
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
  const services: RunningService[] = [];
  let healthy = false;
  const metrics = new Metrics();
  const uptime = metrics.gauge('distillwatch_up', '1 while the services of this process run');
  try {
    const { usagePartitions, featurePartitions } = await ensureStreamTopics(admin, settings.platform);
    const topics = streamTopics(settings.platform);
    const ctx: ServiceContext = {
      settings, kafka, admin, registry: streamingRegistry(settings), log, metrics, detector: options.detector, topics,
      usagePartitions, featurePartitions,
    };
    const { server, port } = await serveMetrics(metrics, {
      healthy: () => healthy,
      detail: () => Object.fromEntries(services.map((s) => [s.name, s.detail()])),
    }, settings.metricsHost, settings.metricsPort);
    log.info('metrics and health endpoint listening', { url: `http://${settings.metricsHost}:${port}/metrics`, health: `http://${settings.metricsHost}:${port}/healthz` });
    try {
      if (options.service === 'aggregator' || options.service === 'all') services.push(await startAggregator(ctx));
      if (options.service === 'scorer' || options.service === 'all') services.push(await startScorer(ctx));
      healthy = true;
      uptime(1);
      const outcome = await Promise.race([stop.then((sig) => ({ sig })), ...services.map((s) => s.failed)]).catch((err: Error) => ({ err }));
      healthy = false;
      uptime(0);
      if ('sig' in outcome) log.info('draining', { signal: outcome.sig });
      else log.error('a service failed; stopping', { error: outcome.err });
      for (const s of [...services].reverse()) await s.stop();
      const code = 'sig' in outcome ? 0 : 1;
      // Everything is committed and every client disconnected. kafkajs can leave a reconnect
      // timer behind after a broker outage; it must not keep a drained service alive.
      setTimeout(() => {
        log.warn('client handles still open after the drain; exiting anyway', { exitCode: code, resources: process.getActiveResourcesInfo() });
        process.exit(code);
      }, DRAINED_EXIT_GRACE_MS).unref();
      return code;
    } finally {
      server.close();
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
