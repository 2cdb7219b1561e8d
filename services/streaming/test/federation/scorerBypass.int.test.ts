// A scorer run without --federated beside a bridge, on the real broker: its alert lands in the
// lab's distillation-alerts without the bridge (plain alert schema, no `source`), and the bridge
// says so with an error naming the fix; an alert the bridge's own schema marks as `local` does
// not. The dev broker stands in for both the lab's and the forum's cluster (the lab's topics
// under this run's prefix, the forum's under a lab name of this run).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DistillationAlert } from '@distillwatch/core';
import { AvroCodec, readSchemaFile } from '@distillwatch/platform/avro';
import { configEnv, integrationConfig } from '@distillwatch/platform/harness';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { SCORER_BYPASS_MESSAGE } from '../../src/federation/scorerBypass.ts';
import { labAlertSchemaText } from '../../src/federation/labAlertSchema.ts';
import { ServiceProcess, cli, cliEnv, waitFor } from '../streamHarness.ts';
import { makeForumTopics } from './forumHarness.ts';

afterAll(async () => { await ServiceProcess.killAll(); });

const ALERT: DistillationAlert = {
  alert_id: 'alert-bypass', window_start: Date.UTC(2026, 2, 2, 10), window_end: Date.UTC(2026, 2, 2, 11), subject_kind: 'account', subject_id: 'acct-1',
  accounts: [{ lab: 'lab-x', account_id: 'acct-1' }], score: 0.8, threshold: 0.6, severity: 'high',
  reasons: [{ feature: 'requests', value: 900, baseline: 20, percentile: 99.9, contribution: 0.5 }],
  spend_usd_window: 12, spend_usd_30d: 300, spend_usd_30d_all_labs: 300, kyc_tier: 'standard', model_version: 'm1',
} as DistillationAlert;

describe('run bridge beside a scorer without --federated', () => {
  it('logs an error at the first alert in distillation-alerts that the bridge did not write, and none for its own', async () => {
    const config = await integrationConfig('scorer-bypass');
    const lab = `b${randomBytes(3).toString('hex')}-lab`;
    const dir = mkdtempSync(join(tmpdir(), 'distillwatch-bypass-'));
    const keys = join(dir, 'keys.json');
    writeFileSync(keys, JSON.stringify({ forum: { current: randomBytes(32).toString('hex') }, labs: { [lab]: randomBytes(32).toString('hex') } }), { mode: 0o600 });
    const empty = join(dir, 'empty.ndjson');
    writeFileSync(empty, '');
    const env = cliEnv(config);
    await cli(['produce', '--input', empty], env);
    const admin = kafkaClient(config, { clientId: 'scorer-bypass-test' }).admin();
    await admin.connect();
    await makeForumTopics(admin, [lab]);
    await admin.disconnect();
    const forumEnv = Object.fromEntries(Object.entries(configEnv({ ...config, topicPrefix: '' })).map(([k, v]) => [`FORUM_${k}`, v]));
    const bridge = new ServiceProcess('bridge', ['bridge', '--lab', lab, '--forum-key-file', keys], { ...env, ...forumEnv });
    await bridge.logged('bridge started', 180_000);

    const topic = `${config.topicPrefix}distillation-alerts`;
    const registry = createRegistryClient(config);
    const own = await AvroCodec.forTopic(registry, topic, await labAlertSchemaText());
    const plain = await AvroCodec.forTopic<DistillationAlert>(registry, topic, await readSchemaFile('distillation-alert.avsc'));
    const producer = kafkaClient(config, { clientId: 'scorer-bypass-test' }).producer();
    await producer.connect();
    // As the bridge writes a local alert: named `source: local`.
    await producer.send({ topic, messages: [{ key: 'acct-1', value: own.encode({ ...ALERT, alert_id: 'alert-own', recipient_lab: lab, linked_accounts: [], source: 'local' }) }] });
    // As the scorer writes one when it runs without --federated.
    await producer.send({ topic, messages: [{ key: 'acct-1', value: plain.encode(ALERT) }] });
    await producer.disconnect();

    await waitFor(() => bridge.stderr.includes(SCORER_BYPASS_MESSAGE), 120_000, 'the bridge to report the scorer without --federated');
    const errors = bridge.stderr.split('\n').filter((l) => l.includes('"level":"error"'));
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0]!)).toMatchObject({ msg: SCORER_BYPASS_MESSAGE, alertId: 'alert-bypass' });
    expect(await bridge.stop()).toBe(0);
  }, 420_000);
});
