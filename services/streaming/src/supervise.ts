// Runs started services until a stop signal or a failure, then drains them: what every `run`
// process does after it has connected and started its services (run.ts, federation/run.ts). It
// serves /metrics and /healthz meanwhile. It must never start a service itself.
import type { RunningService } from './context.ts';
import type { Logger } from './log.ts';
import { Metrics, serveMetrics } from './metrics.ts';
import type { StreamingSettings } from './settings.ts';

/** How long a drained process may take to exit on its own. */
const DRAINED_EXIT_GRACE_MS = 5000;

/** SIGTERM or SIGINT, whichever comes first. */
export function signals(): Promise<string> {
  return new Promise((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve(sig));
  });
}

/**
 * Serves the health endpoint, starts the services with `start` (pushing each into the list as it
 * starts), waits for `stop` or a failure, then stops them in reverse order. Resolves to the exit
 * code: 0 after a clean drain, 1 when a service failed.
 */
export async function superviseServices(
  settings: StreamingSettings, log: Logger, metrics: Metrics, stop: Promise<string>,
  start: (services: RunningService[]) => Promise<void>,
): Promise<number> {
  const services: RunningService[] = [];
  let healthy = false;
  const uptime = metrics.gauge('distillwatch_up', '1 while the services of this process run');
  const { server, port } = await serveMetrics(metrics, {
    healthy: () => healthy,
    detail: () => Object.fromEntries(services.map((s) => [s.name, s.detail()])),
  }, settings.metricsHost, settings.metricsPort);
  log.info('metrics and health endpoint listening', { url: `http://${settings.metricsHost}:${port}/metrics`, health: `http://${settings.metricsHost}:${port}/healthz` });
  try {
    await start(services);
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
}
