// The consumer-service skeleton: the lock, restore, commit and recover steps that the aggregator
// and the scorer share. A service owns state for a key (a usage partition, or the one scorer):
// it locks the key with a transactional producer (initialising it fences the previous holder),
// restores the key's state from its changelog, processes one batch or timer at a time per key,
// commits each step as one Kafka transaction (outputs, changelog, offsets), and on a failed
// commit drops the state, rewinds the consumer to the last commit and restores on the next
// batch. Services plug in what is theirs: how to restore, what a step writes, where to rewind.
// It must never decide anything of detection, nor hold a service's state itself.
import type { Consumer, EachBatchPayload, Producer } from '@distillwatch/platform/kafka';
import { PRODUCER_RETRY, isFenced, sleep, type RunningService, type ServiceContext } from './context.ts';
import { keepConsuming } from './keepConsuming.ts';
import type { Logger } from './log.ts';
import type { StoreReader } from './storeReader.ts';

/** An open Kafka transaction of a transactional producer. */
export type Transaction = Awaited<ReturnType<Producer['transaction']>>;

/** Runs functions one at a time, in call order: batches and timers never interleave on one owner. */
export class SerialLock {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn, fn);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

/**
 * Lock, then restore: connects a transactional producer for `transactionalId` (which fences the
 * previous holder and aborts its open transaction), then runs `restore` with it. The producer
 * is released when restoring fails.
 */
export async function lockAndRestore<T>(ctx: ServiceContext, transactionalId: string, restore: (producer: Producer) => Promise<T>): Promise<T> {
  const producer = ctx.kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60_000, retry: PRODUCER_RETRY });
  await producer.connect();
  try {
    return await restore(producer);
  } catch (err) {
    await producer.disconnect().catch(() => undefined);
    throw err;
  }
}

/** Commit: one transaction holding everything `write` sends; aborted when any of it fails. */
export async function inTransaction<T>(producer: Producer, write: (txn: Transaction) => Promise<T>): Promise<T> {
  const txn = await producer.transaction();
  try {
    const result = await write(txn);
    await txn.commit();
    return result;
  } catch (err) {
    await txn.abort().catch(() => undefined);
    throw err;
  }
}

export interface RecoverSteps {
  log: Logger;
  /** Log fields naming what failed (e.g. the partition). */
  context: Record<string, unknown>;
  /** Forgets the owner's state and releases its producer. */
  drop(): Promise<void>;
  /** Seeks the consumer back to the last commit; null when the step read no records (a timer). */
  rewind: (() => void) | null;
  stopping(): boolean;
}

/**
 * Recover from a failed step: drop the state; unless another instance fenced this one (it owns
 * the key now) or the service is stopping, rewind to the last commit so the next batch restores
 * from the changelog and applies the same records again.
 */
export async function recover(err: unknown, steps: RecoverSteps): Promise<void> {
  const fenced = isFenced(err);
  steps.log.warn(fenced ? 'fenced: another instance owns this now' : 'transaction failed; restoring from the changelog', { ...steps.context, error: err });
  await steps.drop();
  if (fenced || steps.stopping() || steps.rewind === null) return;
  steps.rewind();
  await sleep(1000);
}

/**
 * What every consumer service holds besides its steps: whether it is stopping, how it fails for
 * good, its consumer kept running and leaving its group, and the handle `start*` returns.
 */
export abstract class ConsumerService {
  abstract readonly name: string;
  protected readonly ctx: ServiceContext;
  protected readonly log: Logger;
  /** Reads the service's changelogs back (restore) and follows its other store topics. */
  protected readonly reader: StoreReader;
  /** The consumer group, also the prefix of the transactional ids. */
  protected readonly groupId: string;
  protected abstract readonly consumer: Consumer;
  /** True once stop() began: a failed step is then not rewound, a crash not restarted. */
  protected stopping = false;
  #fail: (err: Error) => void = () => undefined;
  readonly #failed = new Promise<never>((_, reject) => { this.#fail = reject; });

  constructor(ctx: ServiceContext, log: Logger, reader: StoreReader, groupId: string) {
    this.ctx = ctx;
    this.log = log;
    this.reader = reader;
    this.groupId = groupId;
    this.#failed.catch(() => undefined);
  }

  /** Fails the service for good (the process should exit non-zero). */
  protected fail(err: Error): void {
    this.#fail(err);
  }

  /** Starts the consumer with `start` (connect, subscribe, run), and again when kafkajs gives up on it. */
  protected keepConsuming(start: () => Promise<void>): Promise<void> {
    return keepConsuming(this.consumer, start, { log: this.log, stopping: () => this.stopping, fail: (err) => this.fail(err) });
  }

  /**
   * The state a batch applies to, from `obtain`; null when restoring it failed: then, after a
   * pause, the consumer is sought back to the batch, whose next delivery retries the restore.
   */
  protected async stateFor<T>(batch: EachBatchPayload['batch'], obtain: () => Promise<T>): Promise<T | null> {
    try {
      return await obtain();
    } catch {
      await sleep(1000);
      this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: batch.firstOffset() ?? '0' });
      return null;
    }
  }

  /** First step of stopping: leave the group (disconnecting waits for the batch in progress, which commits before it returns). */
  protected async leaveGroup(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect().catch((err) => this.log.warn('consumer disconnect failed', { error: err }));
  }

  /** Consumes the service's inputs until it stops: connect, subscribe, then a process step per batch. */
  protected abstract consume(): Promise<void>;

  /** Starts the service's timer step (what must happen also when no batch arrives). */
  protected abstract startTimer(): void;

  /** Runs the service: consume, then the timer step; the handle stops it. */
  async start(): Promise<RunningService> {
    await this.consume();
    this.startTimer();
    return this.running();
  }

  /** For /healthz. */
  protected abstract detail(): Record<string, unknown>;

  /** Drains: finishes and commits what it is processing, then releases what it holds. */
  abstract stop(): Promise<void>;

  running(): RunningService {
    return { name: this.name, failed: this.#failed, detail: () => this.detail(), stop: () => this.stop() };
  }
}
