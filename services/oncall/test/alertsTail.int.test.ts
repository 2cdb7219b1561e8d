// `distillwatch alerts tail` against the real broker and registry: it reads alerts written with
// every registered version of the alert schema (here a v2 with an extra optional field), filters
// by severity, prints the human view or one JSON alert per line, stops at the end for scripts,
// and in follow mode shows an alert written after it started. Fails when Kafka is not running.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import type { DistillationAlert } from '@distillwatch/core';
import { alertCodec, ensureAlertTopic, followAlerts } from '@distillwatch/oncall';
import { frame, readSchemaFile } from '@distillwatch/platform/avro';
import { prefixed, type PlatformConfig } from '@distillwatch/platform/config';
import { configEnv, integrationConfig, runNodeScript, type ProcessRun } from '@distillwatch/platform/harness';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { createRegistryClient, registerValueSchema } from '@distillwatch/platform/registry';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const CLI = join(import.meta.dirname, '..', '..', 'cli', 'src', 'main.ts');

function alert(id: string, severity: DistillationAlert['severity'], subject: string): DistillationAlert {
  return {
    alert_id: id, window_start: 1_772_452_800_000, window_end: 1_772_456_400_000, subject_kind: 'account', subject_id: subject,
    accounts: [{ lab: subject.split('/')[0]!, account_id: subject.split('/')[1]! }], score: 0.7, threshold: 0.59, severity,
    reasons: [
      { feature: 'high_effort_share', value: 0.99, baseline: 0, percentile: 100, contribution: 0.3 },
      { feature: 'reasoning_share', value: 0.97, baseline: 0.05, percentile: 99.5, contribution: 0.2 },
      { feature: 'novel_topics_log', value: 4.06, baseline: 1.39, percentile: 98, contribution: 0.1 },
    ],
    spend_usd_window: 20, spend_usd_30d: 300, spend_usd_30d_all_labs: 300, kyc_tier: 'standard', model_version: 'iforest-v1-test',
  };
}

/** Writes one alert with the current schema and one with a v2 that adds an optional field. */
async function seedTwoSchemaVersions(config: PlatformConfig): Promise<void> {
  const kafka = kafkaClient(config, { clientId: 'alerts-tail-test' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureAlertTopic(admin, config);
  await admin.disconnect();
  const v1 = await alertCodec(config);
  const v2Schema = JSON.parse(await readSchemaFile('distillation-alert.avsc')) as { fields: unknown[] };
  v2Schema.fields.push({ name: 'runbook_url', type: ['null', 'string'], default: null, doc: 'added in v2' });
  const topic = prefixed(config, 'distillation-alerts');
  const v2Id = await registerValueSchema(createRegistryClient(config), topic, JSON.stringify(v2Schema));
  expect(v2Id).not.toBe(v1.schemaId);
  const v2Type = avro.Type.forSchema(v2Schema as avro.Schema);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [
    { key: 'lab-a/acct-v1', value: v1.encode(alert('alert-v1', 'medium', 'lab-a/acct-v1')) },
    { key: 'lab-b/acct-v2', value: frame(v2Id, v2Type.toBuffer({ ...alert('alert-v2', 'critical', 'lab-b/acct-v2'), runbook_url: 'https://runbooks.example/distillation' })) },
  ] });
  await producer.disconnect();
}

function tail(config: PlatformConfig, args: string[]): Promise<ProcessRun> {
  return runNodeScript(CLI, ['alerts', 'tail', ...args], configEnv(config));
}

describe('alerts tail', () => {
  it('reads alerts of every registered schema version, as JSON lines or as blocks for people', async () => {
    const config = await integrationConfig('alerts-tail');
    await seedTwoSchemaVersions(config);

    const json = await tail(config, ['--from-beginning', '--exit-at-end', '--json']);
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    const lines = json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as DistillationAlert);
    expect(lines.map((a) => a.alert_id).sort()).toEqual(['alert-v1', 'alert-v2']);
    expect(lines.find((a) => a.alert_id === 'alert-v2')).toEqual(alert('alert-v2', 'critical', 'lab-b/acct-v2'));

    const human = await tail(config, ['--from-beginning', '--exit-at-end']);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('MEDIUM    account lab-a/acct-v1');
    expect(human.stdout).toContain('CRITICAL  account lab-b/acct-v2');
    expect(human.stdout).toContain('high_effort_share 0.99 vs population p100');
    expect(human.stdout).not.toContain('\x1b[');

    const severe = await tail(config, ['--from-beginning', '--exit-at-end', '--json', '--min-severity', 'high']);
    expect(severe.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as DistillationAlert).alert_id)).toEqual(['alert-v2']);

    const first = await tail(config, ['--from-beginning', '--json', '--max', '1']);
    expect(first.status).toBe(0);
    expect(first.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('follows new alerts only, unless asked to start at the beginning', async () => {
    const config = await integrationConfig('alerts-follow');
    await seedTwoSchemaVersions(config);
    const seen: string[] = [];
    const codec = await alertCodec(config);
    const producer = kafkaClient(config, { clientId: 'alerts-follow-test' }).producer();
    await producer.connect();
    await followAlerts(config, {
      fromBeginning: false,
      onReady: () => {
        void producer.send({ topic: prefixed(config, 'distillation-alerts'), messages: [{ key: 'lab-c/new', value: codec.encode(alert('alert-new', 'low', 'lab-c/new')) }] });
      },
      onAlert: (a) => { seen.push(a.alert_id); return false; },
    });
    await producer.disconnect();
    expect(seen).toEqual(['alert-new']);
  });

  it('exits at once with --exit-at-end when not reading from the beginning', async () => {
    const config = await integrationConfig('alerts-empty');
    const result = await tail(config, ['--exit-at-end']);
    expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('rejects an unknown severity as a user error', async () => {
    const config = await integrationConfig('alerts-bad-flag');
    const result = await tail(config, ['--min-severity', 'urgent']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('distillwatch: --min-severity: "urgent" is not one of low, medium, high, critical\n');
  });
});
