// The operations surface: Prometheus metrics and the health endpoint, JSON logs, and the
// scorer's single-owner assignment (one member gets everything; the owner keeps it).
import { describe, expect, it } from 'vitest';
import { AssignerProtocol } from '@distillwatch/platform/kafka';
import { Logger } from '../src/log.ts';
import { Metrics, serveMetrics } from '../src/metrics.ts';
import { singleOwnerAssigner } from '../src/singleOwner.ts';

describe('Metrics', () => {
  it('renders counters and labelled gauges in the Prometheus text format', () => {
    const m = new Metrics();
    const events = m.counter('dw_events_total', 'Events read');
    const lag = m.gauge('dw_lag', 'Lag per partition');
    events(3);
    lag(12, { partition: 1 });
    expect(m.render()).toBe('# HELP dw_events_total Events read\n# TYPE dw_events_total counter\ndw_events_total 3\n'
      + '# HELP dw_lag Lag per partition\n# TYPE dw_lag gauge\ndw_lag{partition="1"} 12\n');
  });

  it('serves /metrics, and /healthz with 200 while healthy and 503 otherwise', async () => {
    const m = new Metrics();
    m.counter('dw_alerts_total', 'Alerts')(2);
    let healthy = true;
    const { server, port } = await serveMetrics(m, { healthy: () => healthy, detail: () => ({ scorer: { owner: true } }) }, '127.0.0.1', 0);
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('dw_alerts_total 2');
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect([ok.status, await ok.json()]).toEqual([200, { status: 'ok', scorer: { owner: true } }]);
      healthy = false;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(503);
    } finally {
      server.close();
    }
  });
});

describe('Logger', () => {
  it('writes one JSON object per line with the child fields, and drops lines below its level', () => {
    const lines: string[] = [];
    const log = new Logger('info', { instance: 'i-1' }, (l) => lines.push(l)).child({ service: 'scorer' });
    log.debug('not shown');
    log.warn('fenced', { partition: 3, error: Object.assign(new Error('boom'), { retriable: false }) });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'warn', instance: 'i-1', service: 'scorer', msg: 'fenced', partition: 3, error: { name: 'Error', message: 'boom', retriable: false } });
    expect(lines[0]!.endsWith('\n')).toBe(true);
  });
});

describe('singleOwnerAssigner', () => {
  const cluster = { findTopicPartitionMetadata: (topic: string) => Array.from({ length: topic === 'features' ? 3 : 1 }, (_, i) => ({ partitionId: i })) };
  const member = (memberId: string, owner: boolean) => ({
    memberId, memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics: ['features', 'progress'], userData: Buffer.from(owner ? 'owner' : 'standby') }),
  });
  const assign = async (members: ReturnType<typeof member>[]) => {
    const assigner = singleOwnerAssigner(() => false)({ cluster: cluster as never, groupId: 'g', logger: console as never });
    const out = await assigner.assign({ members, topics: ['features', 'progress'] });
    return Object.fromEntries(out.map((a) => [a.memberId, AssignerProtocol.MemberAssignment.decode(a.memberAssignment)!.assignment]));
  };

  it('gives every partition to one member and nothing to the others', async () => {
    expect(await assign([member('m-2', false), member('m-1', false)])).toEqual({ 'm-1': { features: [0, 1, 2], progress: [0] }, 'm-2': {} });
  });

  it('keeps the current owner when another member joins', async () => {
    expect(await assign([member('m-0', false), member('m-5', true)])).toEqual({ 'm-0': {}, 'm-5': { features: [0, 1, 2], progress: [0] } });
  });
});
