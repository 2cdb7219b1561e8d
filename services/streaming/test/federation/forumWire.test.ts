import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, testFederationKeys, toForumRecord, type AccountFeatures } from '@distillwatch/core';
import {
  ForumMessageError, parseForumAlert, parseForumMessage, parseForumVerdict, progressMessage, recordMessage, verdictMessage,
} from '../../src/federation/forumWire.ts';

const features: AccountFeatures = {
  lab: 'lab-a', account_id: 'acct_1', window_start: 0, window_end: 3_600_000, events: 3, first_event_time: 10, last_event_time: 20,
  spend_usd_window: 1.5, spend_usd_30d: 12.25, features: Object.fromEntries(FEATURE_NAMES.map((n) => [n, 1])), topics: [{ topic: 'Math', count: 3 }],
  template_sketch: ['00000000000000ff'], payment_fingerprints: ['card-1'], network_agents: ['203.0.113.0/24|curl/8'],
};
const keys = testFederationKeys();
const record = toForumRecord(features, FEATURE_NAMES, keys.forum, keys.labKey('lab-a'));
const kindOf = (m: { headers: Record<string, string> }) => m.headers.kind;

describe('forum wire format', () => {
  it('a forum record round-trips, keyed by its pseudonym, and never carries the account id', () => {
    const m = recordMessage(record);
    expect(m.key).toBe(record.acct);
    expect(m.value).not.toContain('acct_1');
    expect(parseForumMessage(kindOf(m), Buffer.from(m.value), 'lab-a')).toEqual({ kind: 'record', record });
  });

  it('a progress marker round-trips, addressed to its partition', () => {
    const m = progressMessage({ completeThrough: 7_200_000, caughtUp: true }, 2);
    expect(m.partition).toBe(2);
    expect(parseForumMessage(kindOf(m), Buffer.from(m.value), 'lab-a')).toEqual({ kind: 'progress', marker: { completeThrough: 7_200_000, caughtUp: true } });
  });

  it('refuses a record that claims another lab than the topic it came on', () => {
    const m = recordMessage(record);
    expect(() => parseForumMessage('record', Buffer.from(m.value), 'lab-b')).toThrow(ForumMessageError);
  });

  it('names the field at fault of a malformed message', () => {
    const fieldOf = (kind: string | undefined, value: string) => {
      try {
        parseForumMessage(kind, Buffer.from(value), 'lab-a');
      } catch (err) {
        return (err as { field: string }).field;
      }
      return null;
    };
    expect(fieldOf('progress', '{"completeThrough": 1.5, "caughtUp": false}')).toBe('completeThrough');
    expect(fieldOf('progress', '{"completeThrough": 1}')).toBe('caughtUp');
    expect(fieldOf(undefined, '{}')).toBe('kind');
    expect(fieldOf('record', 'not json')).toBe('(value)');
    expect(fieldOf('record', JSON.stringify({ ...record, usd: -1 }))).toBe('usd');
  });

  it('reads a forum alert and refuses one without accounts', () => {
    const alert = { alert_id: 'a1', window_end: 3_600_000, accounts: [{ lab: 'lab-a', account_id: record.acct }] };
    expect(parseForumAlert(Buffer.from(JSON.stringify(alert)))).toEqual(alert);
    expect(() => parseForumAlert(Buffer.from(JSON.stringify({ ...alert, accounts: null })))).toThrow(/accounts/);
  });
});

describe('verdicts on the wire', () => {
  const verdict = { alert_id: 'alert-1', lab: 'lab-a', verdict: 'benign' as const, verdict_time: 7_200_000 };

  it('a verdict round-trips, keyed by its alert id, and only its four fields reach the forum', () => {
    const m = verdictMessage(verdict);
    expect(m.key).toBe('alert-1');
    expect(parseForumVerdict(Buffer.from(m.value), 'lab-a')).toEqual(verdict);
    expect(parseForumVerdict(Buffer.from(JSON.stringify({ ...verdict, note: 'x', analyst: 'kim' })), 'lab-a')).toEqual(verdict);
  });

  it('refuses a verdict of another lab, an unknown decision or a missing time, naming the field', () => {
    const bad = (v: object) => () => parseForumVerdict(Buffer.from(JSON.stringify(v)), 'lab-a');
    expect(bad({ ...verdict, lab: 'lab-b' })).toThrow(expect.objectContaining({ field: 'lab' }));
    expect(bad({ ...verdict, verdict: 'maybe' })).toThrow(expect.objectContaining({ field: 'verdict' }));
    expect(bad({ ...verdict, verdict_time: '2026' })).toThrow(expect.objectContaining({ field: 'verdict_time' }));
    expect(() => parseForumVerdict(Buffer.from('nope'), 'lab-a')).toThrow(ForumMessageError);
  });
});
