// `distillwatch verdict` against the real broker and registry: it reads the judged alert back
// from the alerts topic, fills subject_id and accounts from it, takes verdict_time from --at or
// from the latest window on the alerts topic, and publishes a Confluent-framed Avro verdict
// keyed by subject_id to alert-verdicts. An unknown alert id is a one-line user error (exit 2).
// Fails when Kafka is not running.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertVerdict, DistillationAlert } from '@distillwatch/core';
import { followRecords, verdictCodec } from '@distillwatch/oncall';
import { produceAlerts, sampleAlert } from '../../oncall/test/sampleAlerts.ts';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { configEnv, integrationConfig, runNodeScript } from '@distillwatch/platform/harness';
import { kafkaClient } from '@distillwatch/platform/kafka';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const CLI = join(import.meta.dirname, '..', 'src', 'main.ts');
const HOUR = 3_600_000;
const T = Date.UTC(2026, 2, 3, 10);

function alert(id: string, subject: string, windowEnd: number, accounts: DistillationAlert['accounts']): DistillationAlert {
  return sampleAlert({ alert_id: id, window_start: windowEnd - HOUR, window_end: windowEnd, subject_kind: accounts.length > 1 ? 'campaign' : 'account', subject_id: subject, accounts });
}

async function readVerdicts(config: PlatformConfig): Promise<Array<{ verdict: AlertVerdict; key: string | null }>> {
  const out: Array<{ verdict: AlertVerdict; key: string | null }> = [];
  await followRecords<AlertVerdict>(config, { topic: 'alert-verdicts', schemaFile: 'alert-verdict.avsc', fromBeginning: true, stopAtEnd: true, onRecord: (v) => { out.push({ verdict: v, key: v.subject_id }); } });
  return out;
}

describe('distillwatch verdict', () => {
  it('publishes a verdict filled from the alert, at the latest window on the alerts topic or at --at', async () => {
    const config = await integrationConfig('verdict');
    const campaign = [{ lab: 'lab-a', account_id: 'x' }, { lab: 'lab-b', account_id: 'y' }];
    await produceAlerts(config, [alert('alert-1', 'campaign-abc', T, campaign), alert('alert-2', 'lab-c/z', T + 5 * HOUR, [{ lab: 'lab-c', account_id: 'z' }])], 'verdict-test');

    const first = await runNodeScript(CLI, ['verdict', '--alert', 'alert-1', '--verdict', 'benign', '--note', 'known customer', '--analyst', 'oncall-1'], configEnv(config));
    expect(first.stderr).not.toContain('known customer');
    expect(first.status).toBe(0);
    const second = await runNodeScript(CLI, ['verdict', '--alert', 'alert-2', '--verdict', 'distillation', '--at', '2026-03-03T12:30:00Z'], configEnv(config));
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ alert_id: 'alert-2', verdict: 'distillation', verdict_time: Date.UTC(2026, 2, 3, 12, 30) });

    const verdicts = (await readVerdicts(config)).map((r) => r.verdict).sort((a, b) => a.verdict_time - b.verdict_time);
    expect(verdicts).toEqual([
      { verdict_time: Date.UTC(2026, 2, 3, 12, 30), alert_id: 'alert-2', subject_id: 'lab-c/z', accounts: [{ lab: 'lab-c', account_id: 'z' }],
        verdict: 'distillation', analyst: null, note: null, expires_at: null },
      { verdict_time: T + 5 * HOUR, alert_id: 'alert-1', subject_id: 'campaign-abc', accounts: campaign,
        verdict: 'benign', analyst: 'oncall-1', note: 'known customer', expires_at: null },
    ]);
    // Confluent framing with the registry's id for the subject alert-verdicts-value, key = subject_id.
    const codec = await verdictCodec(config);
    const kafka = kafkaClient(config, { clientId: 'verdict-test-raw' });
    const consumer = kafka.consumer({ groupId: `${config.topicPrefix}raw` });
    const raw: Array<{ key: string; schemaId: number; timestamp: string }> = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [codec.topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => {
        raw.push({ key: message.key!.toString(), schemaId: message.value!.readUInt32BE(1), timestamp: message.timestamp });
        if (raw.length === 2) resolve();
      } });
    });
    await consumer.disconnect();
    expect(raw.map((r) => r.schemaId)).toEqual([codec.schemaId, codec.schemaId]);
    expect(raw.map((r) => r.key).sort()).toEqual(['campaign-abc', 'lab-c/z']);
    expect(raw.map((r) => Number(r.timestamp)).sort()).toEqual([T + 5 * HOUR, Date.UTC(2026, 2, 3, 12, 30)].sort());
  });

  it('refuses an unknown alert id with one line and exit 2', async () => {
    const config = await integrationConfig('verdict-unknown');
    await produceAlerts(config, [alert('alert-1', 'lab-a/x', T, [{ lab: 'lab-a', account_id: 'x' }])], 'verdict-test');
    const run = await runNodeScript(CLI, ['verdict', '--alert', 'alert-nope', '--verdict', 'benign'], configEnv(config));
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual(['distillwatch: --alert: no alert alert-nope on the alerts topic']);
  });

  it('refuses an unknown verdict before touching the broker', async () => {
    const run = await runNodeScript(CLI, ['verdict', '--alert', 'a', '--verdict', 'maybe'], { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--verdict: "maybe" is not one of benign, distillation, unsure');
  });
});
