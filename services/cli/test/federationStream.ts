// The streaming federation on the secured clusters, as a spec that federation-infra.int.test.ts
// runs after its own checks (so CI starts the four JVMs once): three labs each run `run all` and
// `run bridge` on their own cluster, the forum runs `run forum` on the forum cluster, and every
// lab's distillation-alerts must hold exactly the feed that the offline twin (`detect
// --federated` in its default `confirmed` mode, same keys, same settings: the scorers run
// `--federated` and the bridges gate their local alerts with the forum's confirmations) gives
// that lab, local and forum alerts alike, for every window that every lab has closed. Then every
// message that crossed to the forum cluster is scanned for every raw identifier and prompt word
// of the input.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareLabAlerts, localLabAlert, parseUsageEventLine, type ForumRecord, type LabAlert, type UsageEvent } from '@distillwatch/core';
import { loadConfig, type PlatformConfig } from '@distillwatch/platform/config';
import { AvroCodec } from '@distillwatch/platform/avro';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { recordMessage } from '@distillwatch/streaming/federation/wire';
import { createRegistryClient } from '@distillwatch/platform/registry';
import { labAlertSchemaText } from '@distillwatch/streaming';
import { ServiceProcess, TEST_DETECTOR_CONFIG, cli, readTopicToEnd, waitFor } from '../../streaming/test/streamHarness.ts';
import { resetForumTopics } from '../src/infra/forum-reset.ts';
import { LABS, labEnv, type EnvFileReader } from './federationEnv.ts';
import { inputSecrets, jsonStrings, leakedInputValues, type InputSecrets } from './inputSecrets.ts';

const IDLE_GRACE_MS = 15 * 60_000;
/** The test replays a day at full speed: labs drift far apart in event time, and the forum must wait for all. */
const REPLAY_LAG_BOUND_MS = 8 * 86_400_000;

/** Every alert on a lab's distillation-alerts, in the lab's view (a local alert gets its lab and `source: local`). */
export async function labFeed(config: PlatformConfig, lab: string): Promise<LabAlert[]> {
  const topic = `${config.topicPrefix}distillation-alerts`;
  const codec = await AvroCodec.forTopic<LabAlert>(createRegistryClient(config), topic, await labAlertSchemaText());
  const alerts = await Promise.all((await readTopicToEnd(config, topic)).map((m) => codec.decode(m.value!)));
  return alerts.map((a) => (a.source === 'forum' ? a : localLabAlert(withoutFederationFields(a), lab)));
}

function withoutFederationFields(a: LabAlert): LabAlert {
  const { recipient_lab: _r, linked_accounts: _l, source: _s, ...alert } = a;
  return alert as LabAlert;
}

interface Fixture {
  dir: string;
  keys: string;
  config: string;
  /** Per lab, its events. */
  labEvents: Map<string, string>;
  /** The twin's feed of every lab, in its order. */
  twin: LabAlert[];
  /** Every lab has closed every window ending at or before this (its clock less the idle grace). */
  closedEverywhere: number;
  /** The input's raw identifiers and prompt words, none of which may cross. */
  secrets: InputSecrets;
}

async function fixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'distillwatch-federation-'));
  const events = join(dir, 'events.ndjson');
  const config = join(dir, 'detector.json');
  const keys = join(dir, 'keys.json');
  writeFileSync(config, JSON.stringify(TEST_DETECTOR_CONFIG));
  const hex = () => randomBytes(32).toString('hex');
  writeFileSync(keys, JSON.stringify({ forum: { current: hex() }, labs: Object.fromEntries(LABS.map((lab) => [lab, hex()])) }), { mode: 0o600 });
  await cli(['simulate', '--scenario', 'small', '--seed', '7', '--out', events]);
  const twinFile = join(dir, 'twin.ndjson');
  const forumOut = join(dir, 'forum.ndjson');
  await cli(['detect', '--federated', '--input', events, '--output', twinFile, '--forum-out', forumOut, '--forum-key-file', keys, '--config', config]);
  // A record of lab-c's first window: sent again at the end, it is late.
  const first = readFileSync(forumOut, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ForumRecord).find((r) => r.lab === 'lab-c')!;
  writeFileSync(join(dir, 'forum-record.json'), JSON.stringify(first));
  const twin = readFileSync(twinFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LabAlert);
  const byLab = new Map<string, string[]>(LABS.map((lab) => [lab, []]));
  const clock = new Map<string, number>();
  const parsedEvents: UsageEvent[] = [];
  readFileSync(events, 'utf8').split('\n').forEach((line, i) => {
    const parsed = parseUsageEventLine(line, i + 1);
    if (parsed.kind !== 'event') return;
    parsedEvents.push(parsed.event);
    byLab.get(parsed.event.lab)!.push(line);
    clock.set(parsed.event.lab, Math.max(clock.get(parsed.event.lab) ?? 0, parsed.event.event_time));
  });
  const labEvents = new Map(LABS.map((lab) => {
    const file = join(dir, `${lab}.ndjson`);
    writeFileSync(file, `${byLab.get(lab)!.join('\n')}\n`);
    return [lab, file];
  }));
  const closedEverywhere = Math.min(...LABS.map((lab) => clock.get(lab)!)) - IDLE_GRACE_MS;
  return { dir, keys, config, labEvents, twin, closedEverywhere, secrets: inputSecrets(parsedEvents) };
}

const lines = (alerts: readonly LabAlert[]) => [...alerts].sort(compareLabAlerts).map((a) => JSON.stringify(a));

export function describeStreamingFederation(envFile: () => EnvFileReader): void {
  describe('streaming federation: run forum and run bridge on the secured clusters', () => {
    const run = randomUUID().slice(0, 8);
    const prefix = (lab: string) => `${lab}.fed-${run}.`;
    let f: Fixture;
    const services: ServiceProcess[] = [];
    /** What the first test read at each lab (the later ones use its alerts). */
    let labFeeds = new Map<string, LabAlert[]>();

    beforeAll(async () => {
      f = await fixture();
      const env = envFile();
      await resetForumTopics(loadConfig(env('forum', 'admin')));
      for (const lab of LABS) await cli(['produce', '--input', f.labEvents.get(lab)!], labEnv(env, lab, prefix(lab)));
      services.push(new ServiceProcess('forum', ['forum', '--labs', LABS.join(','), '--config', f.config], {
        ...env('forum', 'forum'), DISTILLWATCH_TOPIC_PREFIX: `forum.fed-${run}.`, DISTILLWATCH_METRICS_PORT: '0', DISTILLWATCH_FORUM_MAX_LAB_LAG_MS: String(REPLAY_LAG_BOUND_MS),
      }));
      for (const lab of LABS) {
        services.push(new ServiceProcess(`${lab} all`, ['all', '--federated', '--config', f.config], labEnv(env, lab, prefix(lab))));
        services.push(new ServiceProcess(`${lab} bridge`, ['bridge', '--lab', lab, '--forum-key-file', f.keys, '--config', f.config], labEnv(env, lab, prefix(lab))));
      }
    }, 600_000);

    afterAll(async () => {
      await Promise.all(services.map((s) => s.stop()));
    }, 120_000);

    it('every lab receives exactly the offline twin\'s confirmed feed (gated local alerts and forum alerts) for every window all labs have closed', async () => {
      const env = envFile();
      const closed = (a: LabAlert) => a.window_end <= f.closedEverywhere;
      const expected = f.twin.filter(closed);
      expect(expected.filter((a) => a.source === 'forum').length).toBeGreaterThan(20);
      // The gate at work: local alerts shown, and forum alerts on single-lab subjects (sent only in confirmations).
      expect(expected.filter((a) => a.source === 'local').length).toBeGreaterThan(5);
      expect(expected.some((a) => a.source === 'forum' && a.linked_accounts.length === 0)).toBe(true);
      const feeds = new Map<string, LabAlert[]>();
      const configOf = (lab: string) => loadConfig(labEnv(env, lab, prefix(lab)));
      try {
        await waitFor(async () => {
          for (const lab of LABS) feeds.set(lab, (await labFeed(configOf(lab), lab)).filter(closed));
          return [...feeds.values()].flat().length >= expected.length;
        }, 600_000, `the labs' feeds to hold the twin's ${expected.length} alerts`, 5000);
      } catch (err) {
        const held = [...feeds].map(([lab, a]) => `${lab} ${a.length}`).join(', ');
        throw new Error(`${(err as Error).message} (they hold ${held})\n${services.map((s) => `${s.name}: ${s.stderr.slice(-1500)}`).join('\n')}`);
      }
      // Nothing more comes for the closed windows (a repeated delivery would show here).
      await new Promise((resolve) => setTimeout(resolve, 5000));
      for (const lab of LABS) feeds.set(lab, (await labFeed(configOf(lab), lab)).filter(closed));
      expect(lines([...feeds.values()].flat())).toEqual(lines(expected));
      for (const s of services) expect(s.stderr).not.toContain('"level":"error"');
      labFeeds = feeds;
    }, 900_000);

    it('puts no raw identifier, per-prompt SimHash or prompt word of the input on the forum cluster\'s records topics', async () => {
      const admin = loadConfig(envFile()('forum', 'admin'));
      const long = [...f.secrets.identifiers].filter((id) => id.length >= 12);
      expect(f.secrets.identifiers.size).toBeGreaterThan(1000);
      expect(f.secrets.words.size).toBeGreaterThan(100);
      let records = 0;
      for (const lab of LABS) {
        for (const m of await readTopicToEnd(admin, `forum.records.${lab}`)) {
          const text = m.value!.toString('utf8');
          const kind = m.headers?.['kind']?.toString();
          expect(['record', 'progress']).toContain(kind);
          if (kind === 'record') records++;
          const strings = [...jsonStrings(JSON.parse(text)), ...(m.key ? [m.key.toString('utf8')] : [])];
          expect(leakedInputValues(strings, f.secrets), `${lab} message at ${m.offset}`).toEqual([]);
          expect(long.filter((id) => text.includes(id)), `${lab} message at ${m.offset}`).toEqual([]);
        }
      }
      expect(records).toBeGreaterThan(500);
    }, 300_000);

    it('sends the forum a verdict on a forum alert, without note or analyst, and keeps a verdict on a local alert home', async () => {
      const env = envFile();
      const feed = labFeeds.get('lab-a')!;
      const forumAlert = feed.find((a) => a.source === 'forum')!;
      const localAlert = feed.find((a) => a.source === 'local')!;
      for (const alert of [localAlert, forumAlert]) {
        await cli(['verdict', '--alert', alert.alert_id, '--verdict', 'distillation', '--note', `secret note ${run}`, '--analyst', 'alice', '--at', String(alert.window_end)], labEnv(env, 'lab-a', prefix('lab-a')));
      }
      // Read as the forum cluster's admin: the test reader's consumer group is not the forum's.
      const admin = loadConfig(env('forum', 'admin'));
      let crossed: string[] = [];
      await waitFor(async () => {
        crossed = (await readTopicToEnd(admin, 'forum.verdicts.lab-a')).map((m) => m.value!.toString('utf8'));
        return crossed.length > 0;
      }, 120_000, 'a verdict on forum.verdicts.lab-a', 2000);
      // The local verdict was read first (same partition, earlier offset): had it crossed, it would be here.
      expect(crossed.map((v) => JSON.parse(v))).toEqual([{ alert_id: forumAlert.alert_id, lab: 'lab-a', verdict: 'distillation', verdict_time: forumAlert.window_end }]);
      expect(crossed.join('\n')).not.toMatch(/secret|alice/);
    }, 300_000);

    it('dead-letters and counts a record for a window the forum has scored, and a record it cannot read', async () => {
      const env = envFile();
      const lab = loadConfig(env('forum', 'lab-c'));
      const producer = kafkaClient(lab, { clientId: 'federation-stream-int-test' }).producer({ allowAutoTopicCreation: false });
      const old = JSON.parse(readFileSync(join(f.dir, 'forum-record.json'), 'utf8')) as ForumRecord;
      await producer.connect();
      try {
        await producer.send({ topic: 'forum.records.lab-c', messages: [recordMessage(old), { key: run, value: 'not json', headers: { kind: 'record' } }] });
      } finally {
        await producer.disconnect();
      }
      const admin = loadConfig(env('forum', 'admin'));
      let letters: { reason: string; raw: string }[] = [];
      await waitFor(async () => {
        letters = (await readTopicToEnd(admin, 'forum.dlq')).map((m) => JSON.parse(m.value!.toString('utf8')) as { reason: string; raw: string });
        return letters.length >= 2;
      }, 120_000, 'two dead letters on forum.dlq', 2000);
      // Nothing else was late in the whole run: the forum waited for every lab.
      expect(letters.map((l) => l.reason).sort()).toEqual(['lab-c: (value): not JSON', 'lab-c: late']);
      expect(JSON.parse(letters.find((l) => l.reason === 'lab-c: late')!.raw)).toEqual(old);
    }, 300_000);
  });
}
