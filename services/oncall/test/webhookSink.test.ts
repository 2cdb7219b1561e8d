// The webhook alert sink against a local receiver, without Kafka: what `write` resolves or
// rejects with is what the notifier commits or dead-letters on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryAbandonedError, UndeliverableAlertError } from '../src/sinks/alertSink.ts';
import { webhookSink, type WebhookSinkOptions } from '../src/sinks/webhookSink.ts';
import { sampleAlert } from './sampleAlerts.ts';

/** Answers each request with the next status of its alert's script (then 200). */
const script = new Map<string, number[]>();
const attempts = new Map<string, number>();
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['x-distillwatch-alert-id']);
      attempts.set(id, (attempts.get(id) ?? 0) + 1);
      res.statusCode = script.get(id)?.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-path`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fast = (extra: Partial<WebhookSinkOptions> = {}): WebhookSinkOptions => ({
  url, format: 'generic', secret: 's', retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 20 }, ...extra,
});

describe('webhookSink', () => {
  it('shows only scheme, host and port of its target', () => {
    expect(webhookSink(fast()).target).toBe(`${new URL(url).protocol}//${new URL(url).host}/…`);
  });

  it('resolves once each alert is accepted, retrying a 500, and reports the attempts it took', async () => {
    const alert = { ...sampleAlert(), alert_id: 'a-retried' };
    script.set(alert.alert_id, [500]);
    const delivered: unknown[] = [];
    const retries: unknown[] = [];
    await webhookSink(fast({ onDelivered: (d) => delivered.push(d), onRetry: (r) => retries.push(r.attempt) })).write([alert]);
    expect(delivered).toEqual([{ alertId: 'a-retried', attempts: 2, status: 200 }]);
    expect(retries).toEqual([1]);
  });

  it('gives up at once on a 4xx other than 408 and 429, with UndeliverableAlertError', async () => {
    const alert = { ...sampleAlert(), alert_id: 'a-gone' };
    script.set(alert.alert_id, [410]);
    const error = await webhookSink(fast()).write([alert]).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UndeliverableAlertError);
    expect(error).toMatchObject({ message: 'HTTP 410 (not retriable)', attempts: 1, status: 410, retriable: false });
  });

  it('gives up after the bounded attempts, naming the last failure', async () => {
    const alert = { ...sampleAlert(), alert_id: 'a-down' };
    script.set(alert.alert_id, [503, 503, 503]);
    const error = await webhookSink(fast()).write([alert]).catch((err: unknown) => err);
    expect(error).toMatchObject({ message: 'HTTP 503 after 3 attempts', attempts: 3, status: 503 });
    expect(attempts.get('a-down')).toBe(3);
  });

  it('abandons an alert it is waiting to retry when told to stop, as retriable for another instance', async () => {
    const alert = { ...sampleAlert(), alert_id: 'a-stopped' };
    script.set(alert.alert_id, [500, 500]);
    const stop = new AbortController();
    const sink = webhookSink(fast({ retry: { maxAttempts: 5, initialBackoffMs: 60_000, maxBackoffMs: 60_000 }, signal: stop.signal, onRetry: () => stop.abort() }));
    const error = await sink.write([alert]).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DeliveryAbandonedError);
    expect((error as DeliveryAbandonedError).retriable).toBe(true);
    expect(attempts.get('a-stopped')).toBe(1);
  });
});
