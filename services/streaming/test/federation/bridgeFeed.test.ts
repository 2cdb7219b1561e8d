import { describe, expect, it } from 'vitest';
import { accountPseudonym, localLabAlert, type DistillationAlert, type ForumConfirmation, type LabFeedSpec } from '@distillwatch/core';
import { BridgeFeed } from '../../src/federation/bridgeFeed.ts';
import { forumReplyMessages, parseForumReply } from '../../src/federation/forumReplies.ts';
import { localAlertsMessages, parseLocalAlertsMessage } from '../../src/federation/localAlertsWire.ts';
import { ForumMessageError } from '../../src/federation/forumWire.ts';

const HOUR = 3_600_000;
const T0 = 1_772_409_600_000;
const KEY = Buffer.alloc(32, 0xa);
const spec = (mode: LabFeedSpec['mode']): LabFeedSpec => ({ mode, lab: 'lab-a', labKey: KEY, rearmAfterMs: 24 * HOUR, campaignTtlMs: 30 * 24 * HOUR, blatantMargin: 0.04 });

function alert(id: string, accounts: { lab: string; account_id: string }[], windowEnd: number): DistillationAlert {
  return {
    alert_id: id, window_start: windowEnd - HOUR, window_end: windowEnd, subject_kind: accounts.length > 1 ? 'campaign' : 'account',
    subject_id: accounts.length > 1 ? `campaign-${id}` : `${accounts[0]!.lab}/${accounts[0]!.account_id}`, accounts, score: 0.7, threshold: 0.6,
    severity: 'high', reasons: [], spend_usd_window: 1, spend_usd_30d: 10, spend_usd_30d_all_labs: 10, kyc_tier: 'consumer', model_version: 'm',
  };
}

const local = (id: string, account: string, end: number) => parseLocalAlertsMessage('alert', localAlertsMessages([alert(id, [{ lab: 'lab-a', account_id: account }], end)], null)[0]!.value);
const scored = (through: number) => parseLocalAlertsMessage('scored', localAlertsMessages([], through)[0]!.value);

describe('BridgeFeed: the lab\'s feed released as far as both the forum and the lab\'s scorer have scored', () => {
  it('shows a confirmed local alert only once the forum (every alerts partition) and the scorer have both scored its window', () => {
    const feed = BridgeFeed.open(spec('confirmed'), 2, null);
    feed.local(0, local('l1', 'acct_1', T0 + HOUR));
    feed.confirm(T0 + HOUR, [accountPseudonym(KEY, 'acct_1')], []);
    feed.forumScored(0, T0 + HOUR);
    feed.forumScored(1, T0 + HOUR);
    expect(feed.release()).toEqual([]);
    feed.local(1, scored(T0 + HOUR));
    expect(feed.release().map((a) => [a.alert_id, a.source, a.recipient_lab])).toEqual([['l1', 'local', 'lab-a']]);
  });

  it('waits for the forum\'s slowest alerts partition', () => {
    const feed = BridgeFeed.open(spec('confirmed'), 2, null);
    feed.local(0, local('l1', 'acct_1', T0 + HOUR));
    feed.local(1, scored(T0 + 5 * HOUR));
    feed.confirm(T0 + HOUR, [accountPseudonym(KEY, 'acct_1')], []);
    feed.forumScored(0, T0 + 5 * HOUR);
    expect(feed.release()).toEqual([]);
    feed.forumScored(1, T0 + HOUR);
    expect(feed.release().map((a) => a.alert_id)).toEqual(['l1']);
  });

  it('reads a local-alerts message once, and restores from its store entry where it stopped', () => {
    const feed = BridgeFeed.open(spec('confirmed'), 1, null);
    expect(feed.local(0, local('l1', 'acct_1', T0 + HOUR))).toBe(true);
    expect(feed.local(0, local('l1', 'acct_1', T0 + HOUR))).toBe(false);
    feed.forumScored(0, T0 + HOUR);
    const restored = BridgeFeed.open(spec('confirmed'), 1, JSON.parse(JSON.stringify(feed.toDoc())));
    expect(restored.localPosition).toBe(1);
    restored.confirm(T0 + HOUR, [accountPseudonym(KEY, 'acct_1')], []);
    restored.local(1, scored(T0 + HOUR));
    expect(restored.release().map((a) => a.alert_id)).toEqual(['l1']);
  });

  it('hides the forum\'s near-threshold single-lab alerts from the window the lab\'s scorer first scored with a model (its model message)', () => {
    const feed = BridgeFeed.open(spec('confirmed'), 1, null);
    const [model, marker] = localAlertsMessages([], T0 + 2 * HOUR, T0 + 2 * HOUR).map((m) => parseLocalAlertsMessage(m.headers.kind, m.value));
    expect(model).toEqual({ kind: 'model', modelFrom: T0 + 2 * HOUR });
    feed.local(0, model!);
    feed.local(1, marker!);
    const single = (id: string, account: string, end: number) => localLabAlert(alert(id, [{ lab: 'lab-a', account_id: account }], end), 'lab-a');
    feed.confirm(T0 + HOUR, [accountPseudonym(KEY, 'acct_1')], [{ ...single('f1', 'acct_1', T0 + HOUR), source: 'forum' }]);
    // 0.02 above the threshold: less than the blatant margin, so the lab's own model decides.
    feed.confirm(T0 + 2 * HOUR, [accountPseudonym(KEY, 'acct_2')], [{ ...single('f2', 'acct_2', T0 + 2 * HOUR), source: 'forum', score: 0.62 }]);
    feed.forumScored(0, T0 + 2 * HOUR);
    expect(feed.release().map((a) => a.alert_id)).toEqual(['f1']);
    expect(() => parseLocalAlertsMessage('model', Buffer.from('{"modelFrom":null}'))).toThrow(/modelFrom/);
  });

  it('in immediate mode shows a local alert as soon as it is read', () => {
    const feed = BridgeFeed.open(spec('immediate'), 1, null);
    feed.local(0, local('l1', 'acct_1', T0 + HOUR));
    expect(feed.release().map((a) => a.alert_id)).toEqual(['l1']);
  });
});

describe('forum replies on forum.alerts.<lab>', () => {
  const cross = alert('x1', [{ lab: 'lab-a', account_id: 'pa' }, { lab: 'lab-b', account_id: 'pb' }], T0 + HOUR);
  const confirmation: ForumConfirmation = { lab: 'lab-a', window_end: T0 + HOUR, accounts: ['pa'], alerts: [alert('s1', [{ lab: 'lab-a', account_id: 'pa' }], T0 + HOUR)] };
  const labsOf = (a: DistillationAlert) => [...new Set(a.accounts.map((x) => x.lab))].sort();

  it('sends each alert to every lab it involves, each confirmation to its lab only, then a scored marker to every partition', () => {
    const byTopic = forumReplyMessages([cross], [confirmation], T0 + HOUR, new Map([['lab-a', 2], ['lab-b', 1]]), labsOf);
    expect([...byTopic.get('forum.alerts.lab-a')!].map((m) => m.headers.kind)).toEqual(['alert', 'confirmation', 'scored', 'scored']);
    expect([...byTopic.get('forum.alerts.lab-b')!].map((m) => m.headers.kind)).toEqual(['alert', 'scored']);
    const parsed = byTopic.get('forum.alerts.lab-a')!.map((m) => parseForumReply(m.headers.kind, Buffer.from(m.value), 'lab-a'));
    expect(parsed).toEqual([
      { kind: 'alert', alert: cross }, { kind: 'confirmation', confirmation }, { kind: 'scored', scoredThrough: T0 + HOUR }, { kind: 'scored', scoredThrough: T0 + HOUR },
    ]);
    expect(forumReplyMessages([], [], null, new Map([['lab-a', 1]]), labsOf).size).toBe(0);
  });

  it('reads a message without a kind as an alert, and refuses an unknown kind or a malformed confirmation', () => {
    expect(parseForumReply(undefined, Buffer.from(JSON.stringify(cross)), 'lab-a')).toEqual({ kind: 'alert', alert: cross });
    expect(() => parseForumReply('gossip', Buffer.from('{}'), 'lab-a')).toThrow(ForumMessageError);
    expect(() => parseForumReply('confirmation', Buffer.from(JSON.stringify({ window_end: 1, accounts: [3], alerts: [] })), 'lab-a')).toThrow(/accounts/);
    expect(() => parseLocalAlertsMessage('scored', Buffer.from('{"scoredThrough":"soon"}'))).toThrow(/scoredThrough/);
  });
});
