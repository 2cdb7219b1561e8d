// The webhook notifier against the real broker and registry and a local receiver that fails on
// purpose: an alert whose first two POSTs get a 500 is delivered on the third, identically
// signed; an alert that always gets a 500 is dead-lettered after the bounded attempts; alerts
// below the severity are never posted; every offset is committed only once its alert is
// settled, and an alert still being retried at shutdown goes to the next instance.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistillationAlert } from '@distillwatch/core';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { integrationConfig } from '@distillwatch/platform/harness';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { alertCodec, ensureAlertTopic } from '../src/alertFeed.ts';
import { NOTIFIER_DLQ_TOPIC, runNotifier, type NotifierDeadLetter, type NotifierEvent, type NotifierOptions } from '../src/notifier.ts';
import { verifySignature } from '../src/webhook.ts';
import { produceAlerts, sampleAlert } from './sampleAlerts.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const SECRET = 'test-secret';

interface Received { alertId: string; attempt: number; signature: string | undefined; body: string; at: number }

/** A receiver answering per alert id: `failFirst` 500s before a 200 (Infinity: always 500). */
class Receiver {
  readonly received: Received[] = [];
  readonly failFirst = new Map<string, number>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const alertId = String(req.headers['x-distillwatch-alert-id']);
        this.received.push({ alertId, attempt: Number(req.headers['x-distillwatch-delivery-attempt']), signature: req.headers['x-distillwatch-signature'] as string | undefined, body, at: performance.now() });
        const failures = this.received.filter((r) => r.alertId === alertId).length;
        res.statusCode = failures <= (this.failFirst.get(alertId) ?? 0) ? 500 : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks/secret-path`;
  }

  of(alertId: string): Received[] { return this.received.filter((r) => r.alertId === alertId); }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Runs a notifier until `done(events)` holds, then stops it; returns its events. */
async function notifyUntil(config: PlatformConfig, options: Omit<NotifierOptions, 'signal' | 'onEvent'>, done: (events: NotifierEvent[]) => boolean): Promise<NotifierEvent[]> {
  const events: NotifierEvent[] = [];
  const stop = new AbortController();
  const timeout = setTimeout(() => stop.abort(), 90_000);
  await runNotifier(config, { ...options, signal: stop.signal, onEvent: (e) => { events.push(e); if (done(events)) stop.abort(); } });
  clearTimeout(timeout);
  return events;
}

/** Committed offsets of the group per partition, and the end of each partition. */
async function committedAndEnds(config: PlatformConfig, groupId: string): Promise<{ committed: number[]; ends: number[] }> {
  const admin = kafkaClient(config, { clientId: 'notifier-test' }).admin();
  await admin.connect();
  const topic = prefixed(config, 'distillation-alerts');
  const [offsets] = await admin.fetchOffsets({ groupId: prefixed(config, groupId), topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const byPartition = (xs: { partition: number; offset: string }[]) => [...xs].sort((a, b) => a.partition - b.partition).map((x) => Math.max(0, Number(x.offset)));
  return { committed: byPartition(offsets!.partitions), ends: byPartition(ends.map((e) => ({ partition: e.partition, offset: e.high }))) };
}

async function readDeadLetters(config: PlatformConfig, count: number): Promise<NotifierDeadLetter[]> {
  const consumer = kafkaClient(config, { clientId: 'notifier-test' }).consumer({ groupId: `${config.topicPrefix}dlq-reader` });
  const letters: NotifierDeadLetter[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [prefixed(config, NOTIFIER_DLQ_TOPIC)], fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    void consumer.run({ eachMessage: async ({ message }) => {
      letters.push(JSON.parse(message.value!.toString('utf8')) as NotifierDeadLetter);
      if (letters.length >= count) { clearTimeout(timer); resolve(); }
    } });
  });
  await consumer.disconnect();
  return letters;
}

describe('run notifier', () => {
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it('retries with backoff until delivered, dead-letters after the bounded attempts, skips low severities, commits each', async () => {
    const config = await integrationConfig('notifier');
    const flaky = sampleAlert({ alert_id: 'alert-flaky', subject_id: 'lab-a/flaky', severity: 'high' });
    const broken = sampleAlert({ alert_id: 'alert-broken', subject_id: 'lab-a/broken', severity: 'critical' });
    const fine = sampleAlert({ alert_id: 'alert-fine', subject_id: 'lab-b/fine', severity: 'medium' });
    const quiet = sampleAlert({ alert_id: 'alert-quiet', subject_id: 'lab-c/quiet', severity: 'low' });
    receiver.failFirst.set('alert-flaky', 2).set('alert-broken', Number.POSITIVE_INFINITY);
    await produceAlerts(config, [flaky, broken, fine, quiet], 'notifier-test');

    const events = await notifyUntil(config, {
      url: receiver.url, minSeverity: 'medium', format: 'generic', secret: SECRET, fromBeginning: true,
      retry: { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1000 },
    }, (es) => es.filter((e) => e.kind === 'delivered' || e.kind === 'dead-lettered' || e.kind === 'skipped').length === 4);

    const settled = Object.fromEntries(events.filter((e) => 'alertId' in e && e.kind !== 'retrying').map((e) => [(e as { alertId: string }).alertId, e.kind]));
    expect(settled).toEqual({ 'alert-flaky': 'delivered', 'alert-broken': 'dead-lettered', 'alert-fine': 'delivered', 'alert-quiet': 'skipped' });

    const tries = receiver.of('alert-flaky');
    expect(tries.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(new Set(tries.map((r) => r.body)).size).toBe(1);
    expect(JSON.parse(tries[0]!.body)).toEqual(flaky);
    for (const r of tries) expect(verifySignature(SECRET, r.body, r.signature)).toBe(true);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(90);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(190);
    expect(receiver.of('alert-broken')).toHaveLength(3);
    expect(receiver.of('alert-fine')).toHaveLength(1);
    expect(receiver.of('alert-quiet')).toHaveLength(0);

    const [letter] = await readDeadLetters(config, 1);
    expect(letter).toMatchObject({ line: null, source: 'notifier', attempts: 3, status: 500, alert: broken });
    expect(letter!.reason).toMatch(/^webhook http:\/\/127\.0\.0\.1:\d+\/…: HTTP 500 after 3 attempts$/);
    expect(letter!.reason).not.toContain('secret-path');

    const { committed, ends } = await committedAndEnds(config, 'distillwatch.notifier');
    expect(committed).toEqual(ends);
  });

  it('leaves an alert still being retried at shutdown to the next instance', async () => {
    const config = await integrationConfig('notifier-restart');
    const later = sampleAlert({ alert_id: 'alert-later', subject_id: 'lab-a/later', severity: 'critical' });
    receiver.failFirst.set('alert-later', 2);
    await produceAlerts(config, [later], 'notifier-test');
    const options = { url: receiver.url, minSeverity: 'high' as const, format: 'slack' as const, secret: SECRET, fromBeginning: true, retry: { maxAttempts: 10, initialBackoffMs: 100 } };

    const first = await notifyUntil(config, options, (es) => es.some((e) => e.kind === 'retrying' && e.attempt === 2));
    expect(first.some((e) => e.kind === 'delivered' || e.kind === 'dead-lettered')).toBe(false);
    const before = await committedAndEnds(config, 'distillwatch.notifier');
    expect(before.committed.reduce((a, b) => a + b, 0)).toBe(0);

    const second = await notifyUntil(config, options, (es) => es.some((e) => e.kind === 'delivered'));
    expect(second.find((e) => e.kind === 'delivered')).toMatchObject({ alertId: 'alert-later', attempts: 1 });
    const slack = JSON.parse(receiver.of('alert-later').at(-1)!.body) as { text: string };
    expect(slack.text).toBe('CRITICAL distillation alert: campaign lab-a/later (score 0.715, KYC review)');
    const after = await committedAndEnds(config, 'distillwatch.notifier');
    expect(after.committed).toEqual(after.ends);
  });
});
