// Where alerts go once detected: the one interface every alert output implements, so a new
// output (a pager, a ticket queue) is one file. Today: an NDJSON file (detect-style output of
// `replay`), an Avro topic (`replay --output topic:NAME`) and a webhook (`run notifier`).
// A sink only moves alerts; it never filters, re-orders or changes them (callers choose which
// alerts to hand it), and it never logs a secret of its target.
import type { DistillationAlert } from '@distillwatch/core';
import { FatalError, RetriableError } from '@distillwatch/platform/errors';

export interface AlertSink {
  /** What the sink writes to, for logs and messages; never a secret (a webhook shows scheme, host and port). */
  readonly target: string;
  /**
   * Takes alerts, in order. Resolves once the sink has taken them: queued until `flush` (a file,
   * a topic) or delivered (a webhook). Rejects with UndeliverableAlertError when it gave up on
   * one alert (the caller dead-letters it), DeliveryAbandonedError when it was told to stop
   * first, and any other error when the sink itself failed.
   */
  write(alerts: readonly DistillationAlert[]): Promise<void>;
  /** Resolves once everything written so far is stored or delivered. */
  flush(): Promise<void>;
  /** Flushes, then releases the sink's connections or files. */
  close(): Promise<void>;
}

/** The sink gave up on this alert: it will never take it (a 4xx, or out of attempts). */
export class UndeliverableAlertError extends FatalError {
  override readonly name = 'UndeliverableAlertError';
  readonly alert: DistillationAlert;
  readonly attempts: number;
  /** The target's last answer (an HTTP status), null when it never answered. */
  readonly status: number | null;
  constructor(alert: DistillationAlert, reason: string, attempts: number, status: number | null) {
    super(reason);
    this.alert = alert;
    this.attempts = attempts;
    this.status = status;
  }
}

/** The sink was told to stop before it could deliver this alert: another instance should. */
export class DeliveryAbandonedError extends RetriableError {
  override readonly name = 'DeliveryAbandonedError';
}
