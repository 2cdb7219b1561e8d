// The two rules a detector has to beat, computed from the usage events themselves:
//  - spend: an account is flagged when its own trailing-30-day spend at one lab reaches
//    $5,000 (the KYC review line applied per lab account, as labs do today);
//  - volume: an account is flagged when its requests in one clock hour (UTC, tumbling)
//    exceed the 99th percentile of all non-empty account-hours in the file.
// Both see each (lab, event_id) once (duplicates dropped). Pure: events in, flags out.
import type { UsageEvent } from '@distillwatch/core';
import type { Flag } from './inputs.ts';
import { percentile } from './metrics.ts';

const HOUR = 3_600_000;
export const SPEND_LINE_USD = 5000;
export const SPEND_WINDOW_HOURS = 30 * 24;
export const VOLUME_PERCENTILE = 0.99;

/** Drops repeated (lab, event_id) seen within the last hour of event time. */
export class Deduplicator {
  private readonly seen = new Map<string, number>();
  private latest = -Infinity;
  private sinceSweep = 0;

  /** True the first time an event is seen. */
  admit(event: UsageEvent): boolean {
    const id = `${event.lab}\u0000${event.event_id}`;
    if (this.seen.has(id)) return false;
    this.seen.set(id, event.event_time);
    if (event.event_time > this.latest) this.latest = event.event_time;
    if (++this.sinceSweep >= 100_000) this.sweep();
    return true;
  }

  private sweep(): void {
    this.sinceSweep = 0;
    for (const [id, t] of this.seen) if (t < this.latest - HOUR) this.seen.delete(id);
  }
}

interface SpendState {
  /** Hour indices (ascending) and the spend in each. */
  hours: number[];
  spend: number[];
  total: number;
  flagged: boolean;
}

/** Per-lab-account trailing 30-day spend reaching $5,000 (hourly buckets). */
export class SpendRule {
  readonly name = 'spend_5000_usd_30d_per_lab_account';
  private readonly accounts = new Map<string, SpendState>();
  private readonly raised: Flag[] = [];

  observe(event: UsageEvent): void {
    const k = `${event.lab}/${event.account_id}`;
    let s = this.accounts.get(k);
    if (!s) {
      s = { hours: [], spend: [], total: 0, flagged: false };
      this.accounts.set(k, s);
    }
    if (s.flagged) return;
    const hour = Math.floor(event.event_time / HOUR);
    let i = s.hours.length - 1;
    while (i >= 0 && s.hours[i]! > hour) i--;
    if (i >= 0 && s.hours[i] === hour) s.spend[i]! += event.cost_usd;
    else {
      s.hours.splice(i + 1, 0, hour);
      s.spend.splice(i + 1, 0, event.cost_usd);
    }
    s.total += event.cost_usd;
    const newest = s.hours[s.hours.length - 1]!;
    while (s.hours.length > 0 && s.hours[0]! <= newest - SPEND_WINDOW_HOURS) {
      s.hours.shift();
      s.total -= s.spend.shift()!;
    }
    if (s.total >= SPEND_LINE_USD) {
      s.flagged = true;
      s.hours = [];
      s.spend = [];
      this.raised.push({ accounts: [{ lab: event.lab, account_id: event.account_id }], time: event.event_time, score: 1, id: `${this.name}:${k}` });
    }
  }

  flags(): Flag[] {
    return this.raised.slice();
  }
}

/** Requests per account per UTC hour above the population's 99th percentile. */
export class VolumeRule {
  readonly name = 'volume_p99_requests_per_account_hour';
  private readonly counts = new Map<string, Map<number, number>>();

  observe(event: UsageEvent): void {
    const k = `${event.lab}/${event.account_id}`;
    let hours = this.counts.get(k);
    if (!hours) {
      hours = new Map();
      this.counts.set(k, hours);
    }
    const hour = Math.floor(event.event_time / HOUR);
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
  }

  /** The threshold: an account-hour must hold more requests than this. */
  threshold(): number {
    const all: number[] = [];
    for (const hours of this.counts.values()) for (const n of hours.values()) all.push(n);
    return percentile(all, VOLUME_PERCENTILE) ?? 0;
  }

  /** One flag per account, at the end of its first hour above the threshold. */
  flags(): Flag[] {
    const threshold = this.threshold();
    const out: Flag[] = [];
    for (const [k, hours] of this.counts) {
      let first = Infinity;
      for (const [hour, n] of hours) if (n > threshold && hour < first) first = hour;
      if (first === Infinity) continue;
      const slash = k.indexOf('/');
      out.push({ accounts: [{ lab: k.slice(0, slash), account_id: k.slice(slash + 1) }], time: (first + 1) * HOUR, score: 1, id: `${this.name}:${k}` });
    }
    return out.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
  }
}
