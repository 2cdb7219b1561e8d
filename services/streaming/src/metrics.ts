// Operations endpoint: Prometheus text-format metrics on /metrics and a health check on
// /healthz (200 while every service in the process is running, 503 otherwise). Counters and
// gauges are plain numbers the services bump; nothing here touches Kafka.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '@distillwatch/platform/errors';

interface Metric { name: string; help: string; type: 'counter' | 'gauge'; values: Map<string, number> }

/** A catalog entry; `type` is a string because it comes from JSON, and is checked when declared. */
export interface MetricSpec { type: string; name: string; help: string }
/** Adds to a counter (1 by default) or sets a gauge, for one label set. */
export type MetricHandle = (value?: number, labels?: Record<string, string | number>) => void;

/** Labels as a Prometheus label set, keys sorted so the same labels give the same series. */
function labelKey(labels: Record<string, string | number>): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}

export class Metrics {
  readonly #metrics = new Map<string, Metric>();

  #metric(name: string, help: string, type: Metric['type']): Metric {
    let m = this.#metrics.get(name);
    if (!m) { m = { name, help, type, values: new Map() }; this.#metrics.set(name, m); }
    return m;
  }

  /** Declares a counter so it shows (at 0) before anything happens. */
  counter(name: string, help: string): (by?: number, labels?: Record<string, string | number>) => void {
    const m = this.#metric(name, help, 'counter');
    if (!m.values.has('')) m.values.set('', 0);
    return (by = 1, labels = {}) => {
      const key = labelKey(labels);
      m.values.set(key, (m.values.get(key) ?? 0) + by);
    };
  }

  gauge(name: string, help: string): (value: number, labels?: Record<string, string | number>) => void {
    const m = this.#metric(name, help, 'gauge');
    return (value, labels = {}) => { m.values.set(labelKey(labels), value); };
  }

  /**
   * Declares every metric of one service from the catalog (`metricCatalog.json`: the one list of
   * metric names, kinds and help texts, which the dashboard and alert rules are tested against)
   * and returns a handle per entry: a counter's adds (1 by default), a gauge's sets.
   */
  declareAll<K extends string>(entries: Record<K, MetricSpec>): Record<K, MetricHandle> {
    const handles = {} as Record<K, MetricHandle>;
    for (const key of Object.keys(entries) as K[]) {
      const { type, name, help } = entries[key];
      if (type === 'counter') handles[key] = this.counter(name, help);
      else if (type === 'gauge') { const set = this.gauge(name, help); handles[key] = (value, labels) => {
        if (value === undefined) throw new TypeError(`gauge ${name} set without a value`);
        set(value, labels);
      }; }
      else throw new ConfigError(`metric ${name}`, `unknown kind ${type} (counter or gauge)`);
    }
    return handles;
  }

  /** Forgets a gauge's series with these labels (a partition that moved away). */
  clear(name: string, labels: Record<string, string | number>): void {
    this.#metrics.get(name)?.values.delete(labelKey(labels));
  }

  /** The value of one series (tests, and the services' own summaries). */
  value(name: string, labels: Record<string, string | number> = {}): number {
    return this.#metrics.get(name)?.values.get(labelKey(labels)) ?? 0;
  }

  /** Sum over every series of a metric. */
  total(name: string): number {
    let sum = 0;
    for (const v of this.#metrics.get(name)?.values.values() ?? []) sum += v;
    return sum;
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const out: string[] = [];
    for (const m of this.#metrics.values()) {
      out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
      for (const [labels, v] of m.values) out.push(`${m.name}${labels} ${Number.isFinite(v) ? v : 'NaN'}`);
    }
    return `${out.join('\n')}\n`;
  }
}

export interface Health {
  /** True while the process is serving; false once a service has failed or is shutting down. */
  healthy(): boolean;
  /** What /healthz reports alongside the status. */
  detail(): Record<string, unknown>;
}

/** Serves /metrics and /healthz; resolves once listening, with the bound port. */
export async function serveMetrics(metrics: Metrics, health: Health, host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics.render());
    } else if (req.url === '/healthz') {
      const ok = health.healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', ...health.detail() }));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: try /metrics or /healthz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' || err.code === 'EACCES'
      ? new ConfigError(`metrics endpoint ${host}:${port}`, `${err.code === 'EADDRINUSE' ? 'address already in use (another service running?)' : 'permission denied'}; set DISTILLWATCH_METRICS_PORT (0 picks a free port)`)
      : err));
    server.listen(port, host, () => resolve());
  });
  server.unref();
  return { server, port: (server.address() as AddressInfo).port };
}
