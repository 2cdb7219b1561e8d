// Keeps a service's consumer running through a broker restart. kafkajs restarts a crashed
// consumer itself only when it deems the cause retriable; right after a broker goes away it can
// give up with a non-retriable "Failed to find group coordinator" instead, and the consumer
// stays stopped. Here such a consumer is started again (connect, subscribe, run), a few times
// within a span before the service is failed. Restarting is safe for the services: each task
// skips records below the offset it has applied, as it does after kafkajs's own restarts.
import type { Consumer } from '@distillwatch/platform/kafka';
import type { Logger } from './log.ts';

export interface KeepConsumingOptions {
  log: Logger;
  /** True once the service is stopping: a crash then is not restarted. */
  stopping: () => boolean;
  /** Fails the service (too many restarts, or a restart that failed too often). */
  fail: (err: Error) => void;
  /** Restarts allowed within `spanMs` before the service is failed. Default 5. */
  maxRestarts?: number;
  /** Default 5 minutes. */
  spanMs?: number;
  /** Pause before a restart. Default 1 s. */
  delayMs?: number;
}

/**
 * Starts the consumer with `start` (connect, subscribe, run) and starts it again when kafkajs
 * gives up on a crash; resolves once the first start has returned.
 */
export async function keepConsuming(consumer: Pick<Consumer, 'on' | 'events' | 'disconnect'>, start: () => Promise<void>, options: KeepConsumingOptions): Promise<void> {
  const { log, stopping, fail } = options;
  const maxRestarts = options.maxRestarts ?? 5;
  const spanMs = options.spanMs ?? 5 * 60_000;
  const delayMs = options.delayMs ?? 1000;
  const restarts: number[] = [];

  const scheduleRestart = (cause: Error): void => {
    const now = Date.now();
    while (restarts.length > 0 && restarts[0]! <= now - spanMs) restarts.shift();
    if (restarts.length >= maxRestarts) {
      fail(cause);
      return;
    }
    restarts.push(now);
    setTimeout(() => { void restart(); }, delayMs).unref();
  };
  const restart = async (): Promise<void> => {
    if (stopping()) return;
    try {
      await consumer.disconnect().catch(() => undefined);
      await start();
      log.info('consumer started again after kafkajs gave up on a crash');
    } catch (err) {
      log.warn('could not start the consumer again; retrying', { error: err });
      scheduleRestart(err as Error);
    }
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    log.warn('consumer crashed', { error: payload.error, restart: payload.restart });
    if (payload.restart || stopping()) return;
    scheduleRestart(payload.error);
  });
  await start();
}
