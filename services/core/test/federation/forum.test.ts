import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR_CONFIG } from '../../src/detector/config.ts';
import { Forum } from '../../src/federation/forum.ts';
import { featureSetId, FORUM_RECORD_VERSION, ForumRecordError, parseForumRecord } from '../../src/federation/forumRecord.ts';
import type { DistillationAlert, ForumRecord } from '../../src/schemas.generated.ts';
import { forumAlertForLab, labsOf } from '../../src/federation/labAlert.ts';
import { ForumVerdictInbox, forumVerdictOf } from '../../src/federation/verdicts.ts';
import { FEATURE_NAMES } from '../../src/features/registry.ts';


const HOUR = 3_600_000;
const T0 = 1_772_409_600_000;
// Every registered feature: the scorer refuses a record that lacks one.
const FEATURES = FEATURE_NAMES;
const VALUES = FEATURES.map((name) => (name === 'requests_log' ? 1.3863 : 0));

function record(lab: string, acct: string, we: number): ForumRecord {
  return { v: FORUM_RECORD_VERSION, lab, acct, ws: we - HOUR, we, n: 3, usd: 0.5, usd30: 2, fs: featureSetId(FEATURES), f: VALUES,
    top: [{ i: 5, n: 3 }], tpl: [], pay: [], net: [] };
}

describe('Forum: when a window is scored', () => {
  it('waits for every lab to complete a window', () => {
    const forum = new Forum(DEFAULT_DETECTOR_CONFIG, FEATURES, { maxLabLagMs: 6 * HOUR });
    forum.accept(record('lab-a', 'p1', T0 + HOUR));
    forum.progress('lab-a', T0 + 3 * HOUR, false);
    forum.progress('lab-b', T0, false);
    expect(forum.readyThrough).toBe(T0);
    forum.progress('lab-b', T0 + 2 * HOUR, false);
    expect(forum.readyThrough).toBe(T0 + 2 * HOUR);
  });

  it('lets a quiet lab (nothing unread) follow the leading lab instead of stalling the forum', () => {
    const forum = new Forum(DEFAULT_DETECTOR_CONFIG, FEATURES, { maxLabLagMs: 6 * HOUR });
    forum.progress('lab-a', T0 + 5 * HOUR, false);
    forum.progress('lab-c', T0, true);
    expect(forum.readyThrough).toBe(T0 + 5 * HOUR);
  });

  it('holds back for a lab with backlog at most the bound, then dead-letters and counts its late records', () => {
    const forum = new Forum(DEFAULT_DETECTOR_CONFIG, FEATURES, { maxLabLagMs: 2 * HOUR });
    forum.accept(record('lab-a', 'p1', T0 + HOUR));
    forum.progress('lab-a', T0 + 5 * HOUR, false);
    forum.progress('lab-b', T0, false);
    expect(forum.readyThrough).toBe(T0 + 3 * HOUR);
    forum.release();
    expect(forum.counters.windows).toBe(1);
    expect(forum.accept(record('lab-b', 'q1', T0 + 2 * HOUR))).toEqual({ reason: 'late', lab: 'lab-b', window_end: T0 + 2 * HOUR });
    expect(forum.accept(record('lab-b', 'q1', T0 + 4 * HOUR))).toBeNull();
    expect(forum.counters.late).toBe(1);
    expect(forum.lateByLab.get('lab-b')).toBe(1);
  });

  it('refuses a record written for another feature set', () => {
    const forum = new Forum(DEFAULT_DETECTOR_CONFIG, FEATURES);
    expect(() => forum.accept({ ...record('lab-a', 'p1', T0 + HOUR), fs: 'deadbeef' })).toThrow(ForumRecordError);
  });
});

describe('forum record parsing', () => {
  it('accepts a well-formed record and names the field at fault otherwise', () => {
    const good = record('lab-a', 'p1', T0 + HOUR);
    expect(parseForumRecord(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(() => parseForumRecord({ ...good, v: 2 })).toThrow(/^v: /);
    expect(() => parseForumRecord({ ...good, acct: '' })).toThrow(/^acct: /);
    expect(() => parseForumRecord({ ...good, we: good.ws })).toThrow(/^we: must be after ws/);
    expect(() => parseForumRecord({ ...good, usd: -1 })).toThrow(/^usd: /);
    expect(() => parseForumRecord({ ...good, f: ['1'] })).toThrow(/^f: /);
    expect(() => parseForumRecord({ ...good, top: [{ i: 'law', n: 1 }] })).toThrow(/^top: /);
    expect(() => parseForumRecord({ ...good, pay: [7] })).toThrow(/^pay: /);
  });
});

describe('lab view of a forum alert', () => {
  const alert: DistillationAlert = {
    alert_id: 'alert-1', window_start: T0, window_end: T0 + HOUR, subject_kind: 'campaign', subject_id: 'campaign-9',
    accounts: [{ lab: 'lab-a', account_id: 'PA2' }, { lab: 'lab-a', account_id: 'PA1' }, { lab: 'lab-b', account_id: 'PB1' }],
    score: 0.7, threshold: 0.6, severity: 'high', reasons: [], spend_usd_window: 10, spend_usd_30d: 100,
    spend_usd_30d_all_labs: 6000, kyc_tier: 'review', model_version: 'm',
  };
  const directory = new Map([['PA1', 'acct_1'], ['PA2', 'acct_2']]);

  it('names the recipient\'s own accounts in clear and the other labs\' members only by token', () => {
    expect(labsOf(alert)).toEqual(['lab-a', 'lab-b']);
    const seen = forumAlertForLab(alert, 'lab-a', (p) => directory.get(p)!);
    expect(seen.accounts).toEqual([{ lab: 'lab-a', account_id: 'acct_1' }, { lab: 'lab-a', account_id: 'acct_2' }]);
    expect(seen.linked_accounts).toEqual([{ lab: 'lab-b', token: 'PB1' }]);
    expect(seen).toMatchObject({ recipient_lab: 'lab-a', alert_id: 'alert-1', subject_id: 'campaign-9', source: 'forum', kyc_tier: 'review' });
  });

  it('gives an account alert its subject in clear for its own lab', () => {
    const one = { ...alert, subject_kind: 'account' as const, subject_id: 'lab-a/PA1', accounts: [{ lab: 'lab-a', account_id: 'PA1' }] };
    expect(forumAlertForLab(one, 'lab-a', (p) => directory.get(p)!).subject_id).toBe('lab-a/acct_1');
  });
});

describe('verdicts stay in their lab', () => {
  it('sends the forum only the decision on a forum alert: no note, no analyst', () => {
    const verdict = { verdict_time: T0, alert_id: 'alert-1', verdict: 'benign' as const, analyst: 'kim', note: 'customer X, known' };
    expect(forumVerdictOf(verdict, 'lab-a', (id) => id === 'alert-1')).toEqual({ alert_id: 'alert-1', lab: 'lab-a', verdict: 'benign', verdict_time: T0 });
    expect(forumVerdictOf({ ...verdict, alert_id: 'alert-local' }, 'lab-a', (id) => id === 'alert-1')).toBeNull();
    expect(forumVerdictOf({ ...verdict, alert_id: null }, 'lab-a', () => true)).toBeNull();
  });
});

describe('the forum applies verdicts on its alerts', () => {
  const raised: DistillationAlert = {
    alert_id: 'alert-2', window_start: T0, window_end: T0 + HOUR, subject_kind: 'campaign', subject_id: 'campaign-3',
    accounts: [{ lab: 'lab-a', account_id: 'PA1' }, { lab: 'lab-b', account_id: 'PB1' }],
    score: 0.7, threshold: 0.6, severity: 'low', reasons: [], spend_usd_window: 10, spend_usd_30d: 100,
    spend_usd_30d_all_labs: 200, kyc_tier: 'consumer', model_version: 'm',
  };
  const decision = { alert_id: 'alert-2', lab: 'lab-b', verdict: 'benign' as const, verdict_time: T0 + 90 * 60_000 };
  const asScorerVerdict = { verdict_time: T0 + 90 * 60_000, alert_id: 'alert-2', subject_id: 'campaign-3', accounts: raised.accounts,
    verdict: 'benign', analyst: null, note: null, expires_at: null };

  it('turns a decision on an alert it raised into the scorer\'s verdict on that subject, members as pseudonyms', () => {
    const inbox = new ForumVerdictInbox();
    expect(inbox.raise([raised])).toEqual([]);
    expect(inbox.receive(decision)).toEqual([asScorerVerdict]);
  });

  it('keeps a decision that arrives before its alert (a restarted forum reads verdicts first) until it raises the alert', () => {
    const inbox = new ForumVerdictInbox();
    expect(inbox.receive(decision)).toEqual([]);
    expect(inbox.raise([{ ...raised, alert_id: 'alert-other' }])).toEqual([]);
    expect(inbox.raise([raised])).toEqual([asScorerVerdict]);
    // Taken once.
    expect(inbox.raise([raised])).toEqual([]);
  });

  it('forgets alerts a month of event time old', () => {
    const inbox = new ForumVerdictInbox();
    inbox.raise([raised]);
    inbox.forget(T0 + 31 * 24 * HOUR);
    expect(inbox.receive(decision)).toEqual([]);
  });

  it('counts the verdicts the Forum receives', () => {
    const forum = new Forum(DEFAULT_DETECTOR_CONFIG, FEATURES);
    forum.addVerdict(decision);
    expect(forum.counters.verdicts).toBe(1);
  });
});
