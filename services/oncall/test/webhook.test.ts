// What a webhook receiver gets from the notifier: the body, a signature it can check with the
// shared secret, and a retry schedule that backs off and stays bounded.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffMs, retriableStatus, signBody, slackMessage, verifySignature, webhookBody } from '../src/webhook.ts';
import { redactUrl } from '../src/sinks/webhookSink.ts';
import { sampleAlert } from './sampleAlerts.ts';

describe('webhook signature', () => {
  const body = webhookBody(sampleAlert(), 'generic');

  it('is sha256= and the hex HMAC-SHA256 of the raw body under the secret', () => {
    expect(signBody('s3cret', body)).toBe(`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`);
  });

  it('verifies only the same body under the same secret', () => {
    const header = signBody('s3cret', body);
    expect(verifySignature('s3cret', body, header)).toBe(true);
    expect(verifySignature('other', body, header)).toBe(false);
    expect(verifySignature('s3cret', body.replace('0.714528', '0.9'), header)).toBe(false);
    expect(verifySignature('s3cret', body, undefined)).toBe(false);
  });
});

describe('webhook bodies', () => {
  it('generic: the alert exactly as in the topic', () => {
    expect(JSON.parse(webhookBody(sampleAlert(), 'generic'))).toEqual(sampleAlert());
  });

  it('slack: a text for notifications and blocks with who, spend, KYC and why', () => {
    const message = slackMessage(sampleAlert());
    expect(message.text).toBe('HIGH distillation alert: campaign campaign-e9a6425b1adaffe8 (score 0.715, KYC review)');
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain('2 at lab-a, lab-b');
    expect(blocks).toContain('$5,473');
    expect(blocks).toContain('`high_effort_share` 1.00 vs population p100');
    expect(JSON.parse(webhookBody(sampleAlert(), 'slack'))).toEqual(message);
  });
});

describe('retries', () => {
  const policy = { maxAttempts: 6, initialBackoffMs: 1000, maxBackoffMs: 60_000 };

  it('doubles the wait after each failure up to the cap', () => {
    expect([1, 2, 3, 4, 7, 10].map((a) => backoffMs(policy, a))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000]);
  });

  it('honours a Retry-After up to the cap', () => {
    expect(backoffMs(policy, 1, 5000)).toBe(5000);
    expect(backoffMs(policy, 1, 3_600_000)).toBe(60_000);
  });

  it('retries no answer, 408, 429 and 5xx, not other client errors', () => {
    expect([null, 408, 429, 500, 503].map(retriableStatus)).toEqual([true, true, true, true, true]);
    expect([400, 401, 404, 410].map(retriableStatus)).toEqual([false, false, false, false]);
  });
});

describe('redactUrl', () => {
  it('keeps scheme, host and port and drops the path that carries a webhook secret', () => {
    expect(redactUrl('https://hooks.slack.com/services/T000/B000/XXXX?x=1')).toBe('https://hooks.slack.com/…');
    expect(redactUrl('http://127.0.0.1:9999/hook')).toBe('http://127.0.0.1:9999/…');
  });
});
