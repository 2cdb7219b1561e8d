// What the dashboard remembers, bounded: the most recent alerts (for a page that opens late),
// and per account its most recent windows of features (for the history of a selected subject).
// Pure bookkeeping: no Kafka, no HTTP, no clock.
import type { AccountFeatures, DistillationAlert } from '@distillwatch/core';

export class AlertBoard {
  readonly #limit: number;
  readonly #alerts: DistillationAlert[] = [];

  constructor(limit = 1000) {
    this.#limit = limit;
  }

  /** Adds an alert; a re-emitted alert (same alert_id) replaces its earlier copy. */
  add(alert: DistillationAlert): void {
    const i = this.#alerts.findIndex((a) => a.alert_id === alert.alert_id);
    if (i >= 0) this.#alerts.splice(i, 1);
    this.#alerts.push(alert);
    if (this.#alerts.length > this.#limit) this.#alerts.shift();
  }

  /** Oldest first. */
  all(): readonly DistillationAlert[] { return this.#alerts; }

  /** A subject's alerts, oldest first. */
  of(subjectId: string): DistillationAlert[] { return this.#alerts.filter((a) => a.subject_id === subjectId); }
}

/** One account-window as charts need it: the window and its feature values. */
export interface FeaturePoint {
  lab: string;
  account_id: string;
  window_start: number;
  window_end: number;
  events: number;
  spend_usd_window: number;
  features: Record<string, number>;
}

export class FeatureHistory {
  readonly #windowsPerAccount: number;
  readonly #maxAccounts: number;
  /** By `<lab>/<account_id>`, in insertion order so the least recently updated goes first. */
  readonly #byAccount = new Map<string, FeaturePoint[]>();

  constructor(windowsPerAccount = 72, maxAccounts = 50_000) {
    this.#windowsPerAccount = windowsPerAccount;
    this.#maxAccounts = maxAccounts;
  }

  add(record: AccountFeatures): void {
    const key = `${record.lab}/${record.account_id}`;
    const points = this.#byAccount.get(key) ?? [];
    this.#byAccount.delete(key);
    const point: FeaturePoint = {
      lab: record.lab, account_id: record.account_id, window_start: record.window_start, window_end: record.window_end,
      events: record.events, spend_usd_window: record.spend_usd_window, features: record.features,
    };
    // Windows arrive per account in order; a replayed one replaces its copy.
    const i = points.findIndex((p) => p.window_end === record.window_end);
    if (i >= 0) points[i] = point;
    else {
      points.push(point);
      points.sort((a, b) => a.window_end - b.window_end);
      if (points.length > this.#windowsPerAccount) points.shift();
    }
    this.#byAccount.set(key, points);
    if (this.#byAccount.size > this.#maxAccounts) this.#byAccount.delete(this.#byAccount.keys().next().value!);
  }

  /** The remembered windows of these accounts, oldest first per account. */
  of(accounts: readonly { lab: string; account_id: string }[]): FeaturePoint[] {
    return accounts.flatMap((a) => this.#byAccount.get(`${a.lab}/${a.account_id}`) ?? []);
  }

  get accounts(): number { return this.#byAccount.size; }
}
