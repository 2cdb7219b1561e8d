import { EventEmitter } from 'node:events';
import type { Consumer } from '@distillwatch/platform/kafka';
import { describe, expect, it } from 'vitest';
import { keepConsuming } from '../src/keepConsuming.ts';
import { Logger } from '../src/log.ts';

/** A consumer that only emits CRASH when told to; `starts` counts the starts given to keepConsuming. */
function fakeConsumer() {
  const emitter = new EventEmitter();
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (event: string, listener: (e: unknown) => void) => { emitter.on(event, listener); return () => emitter.off(event, listener); },
    disconnect: async () => undefined,
  } as unknown as Pick<Consumer, 'on' | 'events' | 'disconnect'>;
  const crash = (restart: boolean) => emitter.emit('consumer.crash', { payload: { error: new Error('Failed to find group coordinator'), restart, groupId: 'g' } });
  return { consumer, crash };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('keepConsuming', () => {
  const lines: string[] = [];
  const log = new Logger('info', {}, (l) => lines.push(l));

  it('starts the consumer again when kafkajs gives up on a crash, and leaves kafkajs\'s own restarts to it', async () => {
    const { consumer, crash } = fakeConsumer();
    let starts = 0;
    const failures: Error[] = [];
    await keepConsuming(consumer, async () => { starts++; }, { log, stopping: () => false, fail: (e) => failures.push(e), delayMs: 1 });
    expect(starts).toBe(1);
    crash(true);
    await settle();
    expect(starts).toBe(1);
    crash(false);
    await settle();
    expect(starts).toBe(2);
    expect(failures).toEqual([]);
    expect(lines.some((l) => l.includes('consumer started again'))).toBe(true);
  });

  it('fails the service after too many restarts within the span, and never restarts while stopping', async () => {
    const { consumer, crash } = fakeConsumer();
    let starts = 0;
    const failures: Error[] = [];
    await keepConsuming(consumer, async () => { starts++; }, { log, stopping: () => false, fail: (e) => failures.push(e), delayMs: 1, maxRestarts: 2 });
    for (let i = 0; i < 3; i++) { crash(false); await settle(); }
    expect(starts).toBe(3);
    expect(failures.map((e) => e.message)).toEqual(['Failed to find group coordinator']);

    const stopped = fakeConsumer();
    let stoppedStarts = 0;
    await keepConsuming(stopped.consumer, async () => { stoppedStarts++; }, { log, stopping: () => true, fail: (e) => failures.push(e), delayMs: 1 });
    stopped.crash(false);
    await settle();
    expect(stoppedStarts).toBe(1);
  });

  it('retries a restart that fails (the broker still down), within the same budget', async () => {
    const { consumer, crash } = fakeConsumer();
    let starts = 0;
    const failures: Error[] = [];
    await keepConsuming(consumer, async () => { if (++starts === 2) throw new Error('Connection error: connect ECONNREFUSED'); }, { log, stopping: () => false, fail: (e) => failures.push(e), delayMs: 1 });
    crash(false);
    await settle();
    await settle();
    expect(starts).toBe(3);
    expect(failures).toEqual([]);
  });
});
