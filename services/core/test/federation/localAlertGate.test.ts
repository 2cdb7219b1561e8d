import { describe, expect, it } from 'vitest';
import { accountPseudonym } from '../../src/federation/forumRecord.ts';
import { needsForum } from '../../src/federation/forumScope.ts';
import { GateStateFormatError, LocalAlertGate } from '../../src/federation/localAlertGate.ts';
import { ImmediateLabFeed } from '../../src/federation/immediateLabFeed.ts';
import type { LabAlert } from '../../src/federation/labAlert.ts';
import type { LabFeed } from '../../src/federation/labFeed.ts';
import type { DistillationAlert } from '../../src/schemas.generated.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = 1_772_409_600_000;
const KEY = Buffer.alloc(32, 0xa);
const pseudonym = (id: string) => accountPseudonym(KEY, id);

function alert(source: LabAlert['source'], subject: string, accounts: string[], windowEnd: number, linked = 0): LabAlert {
  return {
    alert_id: `alert-${source}-${subject}-${windowEnd}`, window_start: windowEnd - HOUR, window_end: windowEnd,
    subject_kind: accounts.length + linked > 1 ? 'campaign' : 'account', subject_id: subject,
    accounts: accounts.map((account_id) => ({ lab: 'lab-a', account_id })), score: 0.7, threshold: 0.6, severity: 'high',
    reasons: [], spend_usd_window: 1, spend_usd_30d: 10, spend_usd_30d_all_labs: 10, kyc_tier: 'consumer', model_version: 'm',
    recipient_lab: 'lab-a', linked_accounts: Array.from({ length: linked }, (_, i) => ({ lab: 'lab-b', token: `t${i}` })), source,
  };
}

const ids = (alerts: readonly LabAlert[]) => alerts.map((a) => a.alert_id);
/** A forum alert 0.02 above its threshold: less than the gate's blatant margin (0.04). */
const nearThreshold = (a: LabAlert): LabAlert => ({ ...a, score: a.threshold + 0.02 });

describe('LocalAlertGate: a lab\'s local alert pages only where the forum agrees', () => {
  it('holds a local alert until the forum has scored its window, then shows it when the forum scored its account above the threshold', () => {
    const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    const local = alert('local', 'lab-a/acct_1', ['acct_1'], T0 + HOUR);
    gate.hold(local);
    expect(gate.release(T0)).toEqual([]);
    gate.confirm(T0 + HOUR, [pseudonym('acct_1')], []);
    expect(ids(gate.release(T0 + HOUR))).toEqual([local.alert_id]);
    expect(gate.release(T0 + 2 * HOUR)).toEqual([]);
  });

  it('drops a local alert the forum did not score above the threshold in its window', () => {
    const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    gate.hold(alert('local', 'lab-a/researcher', ['researcher'], T0 + HOUR));
    gate.confirm(T0 + HOUR, [pseudonym('someone_else')], []);
    gate.confirm(T0 + 2 * HOUR, [pseudonym('researcher')], []);
    expect(gate.release(T0 + 2 * HOUR)).toEqual([]);
  });

  it('shows the forum\'s alert on a single-lab subject only where the lab\'s own detector had none', () => {
    const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    const local = alert('local', 'lab-a/acct_1', ['acct_1'], T0 + HOUR);
    gate.hold(local);
    const sameSubject = alert('forum', 'lab-a/acct_1', ['acct_1'], T0 + HOUR);
    const missedLocally = alert('forum', 'lab-a/acct_2', ['acct_2'], T0 + HOUR);
    gate.confirm(T0 + HOUR, [pseudonym('acct_1'), pseudonym('acct_2')], [sameSubject, missedLocally]);
    expect(ids(gate.release(T0 + HOUR))).toEqual([local.alert_id, missedLocally.alert_id]);
    // A later repeat from the forum on the same account is the lab's subject still: not shown.
    gate.confirm(T0 + 5 * HOUR, [pseudonym('acct_1')], [alert('forum', 'lab-a/acct_1', ['acct_1'], T0 + 5 * HOUR)]);
    expect(gate.release(T0 + 5 * HOUR)).toEqual([]);
  });

  it('shows the forum\'s single-lab account alerts only for windows the lab\'s own detector scored without a model; its campaigns always', () => {
    const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    const beforeModel = alert('forum', 'lab-a/acct_1', ['acct_1'], T0 + HOUR);
    gate.confirm(T0 + HOUR, [pseudonym('acct_1')], [beforeModel]);
    gate.localModelFrom(T0 + 3 * HOUR);
    // A later model of the lab (a refresh) changes nothing: the earliest counts.
    gate.localModelFrom(T0 + 9 * HOUR);
    gate.confirm(T0 + 3 * HOUR, [pseudonym('acct_2')], [nearThreshold(alert('forum', 'lab-a/acct_2', ['acct_2'], T0 + 3 * HOUR))]);
    const local = alert('local', 'lab-a/acct_3', ['acct_3'], T0 + 4 * HOUR);
    gate.hold(local);
    const campaign = alert('forum', 'campaign-z', ['acct_5', 'acct_6'], T0 + 4 * HOUR);
    gate.confirm(T0 + 4 * HOUR, [pseudonym('acct_3'), pseudonym('acct_4')], [nearThreshold(alert('forum', 'lab-a/acct_4', ['acct_4'], T0 + 4 * HOUR)), campaign]);
    expect(ids(gate.release(T0 + 4 * HOUR))).toEqual([beforeModel.alert_id, local.alert_id, campaign.alert_id]);
    expect(gate.toJSON().modelFrom).toBe(T0 + 3 * HOUR);
  });

  it('shows the forum\'s single-lab account alert after the lab\'s model when the forum scored it the blatant margin above the threshold', () => {
    // wide seed 7, coverage_sweep-02: one lab-a account the forum scored 0.637 against 0.59, which lab-a's own model did not alert.
    const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    gate.localModelFrom(T0 + HOUR);
    const blatant = { ...alert('forum', 'lab-a/acct_1', ['acct_1'], T0 + 2 * HOUR), score: 0.647, threshold: 0.6 };
    const near = { ...alert('forum', 'lab-a/acct_2', ['acct_2'], T0 + 2 * HOUR), score: 0.639, threshold: 0.6 };
    gate.confirm(T0 + 2 * HOUR, [pseudonym('acct_1'), pseudonym('acct_2')], [blatant, near]);
    expect(ids(gate.release(T0 + 2 * HOUR))).toEqual([blatant.alert_id]);
  });

  it('shows a forum alert that adds an account the lab\'s own alert did not cover', () => {
    const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    gate.hold(alert('local', 'lab-a/acct_1', ['acct_1'], T0 + HOUR));
    const wider = alert('forum', 'campaign-y', ['acct_1', 'acct_2'], T0 + HOUR);
    gate.confirm(T0 + HOUR, [pseudonym('acct_1'), pseudonym('acct_2')], [wider]);
    expect(ids(gate.release(T0 + HOUR))).toEqual(['alert-local-lab-a/acct_1-' + (T0 + HOUR), wider.alert_id]);
  });

  it('lets a forum campaign across labs take over the accounts it covers: the lab sees that campaign, not its own part beside it', () => {
    const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    const campaign = alert('forum', 'campaign-x', ['acct_1', 'acct_2'], T0 + HOUR, 2);
    gate.crossLabAlert(campaign);
    gate.hold(alert('local', 'campaign-local', ['acct_1', 'acct_2'], T0 + HOUR));
    gate.hold(alert('local', 'lab-a/acct_2', ['acct_2'], T0 + 3 * HOUR));
    const unrelated = alert('local', 'lab-a/acct_9', ['acct_9'], T0 + 3 * HOUR);
    gate.hold(unrelated);
    gate.confirm(T0 + HOUR, [pseudonym('acct_1'), pseudonym('acct_2')], []);
    gate.confirm(T0 + 3 * HOUR, [pseudonym('acct_2'), pseudonym('acct_9')], []);
    expect(ids(gate.release(T0 + 3 * HOUR))).toEqual([unrelated.alert_id]);
  });

  it('lets an account page locally again once the re-arm period after the forum\'s alert has passed', () => {
    const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    gate.crossLabAlert(alert('forum', 'campaign-x', ['acct_1'], T0 + HOUR, 1));
    const later = alert('local', 'lab-a/acct_1', ['acct_1'], T0 + HOUR + DAY + HOUR);
    gate.hold(later);
    gate.confirm(later.window_end, [pseudonym('acct_1')], []);
    expect(ids(gate.release(later.window_end))).toEqual([later.alert_id]);
  });

  it('decides window by window, whatever the batching: a later forum campaign does not take an earlier local alert', () => {
    const feed = (gate: LocalAlertGate) => {
      gate.crossLabAlert(alert('forum', 'campaign-x', ['acct_1'], T0 + 2 * HOUR, 1));
      gate.hold(alert('local', 'lab-a/acct_1', ['acct_1'], T0 + HOUR));
      gate.confirm(T0 + HOUR, [pseudonym('acct_1')], []);
      gate.confirm(T0 + 2 * HOUR, [pseudonym('acct_1')], []);
    };
    const atOnce = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    feed(atOnce);
    const byWindow = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    feed(byWindow);
    const shown = ids(atOnce.release(T0 + 2 * HOUR));
    expect(shown).toEqual([`alert-local-lab-a/acct_1-${T0 + HOUR}`]);
    expect([...ids(byWindow.release(T0 + HOUR)), ...ids(byWindow.release(T0 + 2 * HOUR))]).toEqual(shown);
  });

  it('changes nothing when a confirmation or an alert comes again (a restarted forum sends them again)', () => {
    const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    const single = alert('forum', 'lab-a/acct_2', ['acct_2'], T0 + HOUR);
    gate.confirm(T0 + HOUR, [pseudonym('acct_2')], [single]);
    gate.confirm(T0 + HOUR, [pseudonym('acct_2')], [single]);
    expect(ids(gate.release(T0 + HOUR))).toEqual([single.alert_id]);
    gate.confirm(T0 + HOUR, [pseudonym('acct_2')], [single]);
    gate.crossLabAlert(alert('forum', 'campaign-x', ['acct_2'], T0 + HOUR, 1));
    expect(gate.release(T0 + 2 * HOUR)).toEqual([]);
    expect(gate.release(T0 + HOUR)).toEqual([]);
  });

  it('restores from its JSON and goes on as the gate it was saved from', () => {
    const steps = (gate: LocalAlertGate, from: number) => [
      () => gate.crossLabAlert(alert('forum', 'campaign-x', ['acct_1', 'acct_2'], T0 + HOUR, 1)),
      () => gate.hold(alert('local', 'lab-a/acct_1', ['acct_1'], T0 + 2 * HOUR)),
      () => gate.hold(alert('local', 'lab-a/acct_3', ['acct_3'], T0 + 2 * HOUR)),
      () => gate.confirm(T0 + HOUR, [pseudonym('acct_1')], []),
      () => gate.confirm(T0 + 2 * HOUR, [pseudonym('acct_1'), pseudonym('acct_3')], [alert('forum', 'lab-a/acct_4', ['acct_4'], T0 + 2 * HOUR)]),
      () => gate.confirm(T0 + 3 * HOUR, [pseudonym('acct_5')], [nearThreshold(alert('forum', 'lab-a/acct_5', ['acct_5'], T0 + 3 * HOUR))]),
      () => gate.localModelFrom(T0 + 3 * HOUR),
    ].slice(from);
    const whole = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    for (const step of steps(whole, 0)) step();
    const expected = ids(whole.release(T0 + 3 * HOUR));
    expect(expected).toEqual([`alert-local-lab-a/acct_3-${T0 + 2 * HOUR}`, `alert-forum-lab-a/acct_4-${T0 + 2 * HOUR}`]);
    for (let cut = 0; cut <= 7; cut++) {
      const first = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
      steps(first, 0).slice(0, cut).forEach((step) => step());
      const restored = LocalAlertGate.fromJSON('lab-a', KEY, DAY, 30 * DAY, 0.04, JSON.parse(JSON.stringify(first.toJSON())));
      for (const step of steps(restored, cut)) step();
      expect(ids(restored.release(T0 + 3 * HOUR)), `saved after ${cut} steps`).toEqual(expected);
    }
    expect(() => LocalAlertGate.fromJSON('lab-a', KEY, DAY, 30 * DAY, 0.04, { v: 4 } as never)).toThrow(GateStateFormatError);
  });

  // The three cases of `default` 11 where a campaign across labs reached a lab under two ids.
  describe('shows a campaign under the forum id the lab already knows for it', () => {
    const subjects = (alerts: readonly LabAlert[]) => alerts.map((a) => a.subject_id);

    it('a local campaign, days after the forum\'s alert across labs on the same accounts (cross_lab_split)', () => {
      const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
      gate.crossLabAlert(alert('forum', 'campaign-forum', ['acct_1', 'acct_2'], T0 + HOUR, 1));
      expect(gate.release(T0 + HOUR)).toEqual([]);
      const later = alert('local', 'campaign-local', ['acct_1', 'acct_2'], T0 + 3 * DAY);
      gate.hold(later);
      gate.confirm(later.window_end, [pseudonym('acct_1')], []);
      const shown = gate.release(later.window_end);
      expect(subjects(shown)).toEqual(['campaign-forum']);
      expect(shown[0]).toEqual({ ...later, subject_id: 'campaign-forum' });
    });

    it('a local campaign that the forum alerts in the same window as a single-lab campaign, whose id it keeps when it spans labs', () => {
      const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
      gate.hold(alert('local', 'campaign-local', ['acct_1', 'acct_2'], T0 + HOUR));
      gate.confirm(T0 + HOUR, [pseudonym('acct_1'), pseudonym('acct_2')], [alert('forum', 'campaign-forum', ['acct_1', 'acct_2'], T0 + HOUR)]);
      expect(subjects(gate.release(T0 + HOUR))).toEqual(['campaign-forum']);
    });

    it('the forum\'s single-lab campaign that splits off a campaign across labs and joins it again (slow_and_low)', () => {
      const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
      gate.crossLabAlert(alert('forum', 'campaign-old', ['acct_1', 'acct_2'], T0 + HOUR, 2));
      const splitOff = alert('forum', 'campaign-new', ['acct_2', 'acct_3'], T0 + 14 * HOUR);
      gate.confirm(splitOff.window_end, [pseudonym('acct_2'), pseudonym('acct_3')], [splitOff]);
      const newOnly = alert('local', 'campaign-local', ['acct_3', 'acct_4'], T0 + 15 * HOUR);
      gate.hold(newOnly);
      gate.confirm(newOnly.window_end, [pseudonym('acct_4')], []);
      expect(subjects(gate.release(T0 + 15 * HOUR))).toEqual(['campaign-old', 'campaign-old']);
    });

    it('forgets an account\'s forum campaign after the linker\'s link memory, and leaves accounts and unknown campaigns alone', () => {
      const gate = new LocalAlertGate('lab-a', KEY, DAY, 2 * DAY, 0.04);
      gate.crossLabAlert(alert('forum', 'campaign-forum', ['acct_1', 'acct_2'], T0 + HOUR, 1));
      const account = alert('local', 'lab-a/acct_1', ['acct_1'], T0 + 2 * DAY);
      const stranger = alert('local', 'campaign-local', ['acct_8', 'acct_9'], T0 + 2 * DAY);
      const forgotten = alert('local', 'campaign-later', ['acct_1', 'acct_2'], T0 + 4 * DAY);
      for (const a of [account, stranger, forgotten]) { gate.hold(a); gate.confirm(a.window_end, [pseudonym(a.accounts[0]!.account_id)], []); }
      expect(subjects(gate.release(T0 + 4 * DAY))).toEqual(['lab-a/acct_1', 'campaign-local', 'campaign-later']);
    });

    it('restores a version-1 state, saved before the gate knew campaigns', () => {
      const v1 = { v: 1, releasedThrough: null, waiting: [], takeovers: [{ end: T0 + HOUR, accounts: ['acct_1'] }], confirmed: [], owner: [] } as const;
      const gate = LocalAlertGate.fromJSON('lab-a', KEY, DAY, 30 * DAY, 0.04, JSON.parse(JSON.stringify(v1)));
      gate.hold(alert('local', 'lab-a/acct_1', ['acct_1'], T0 + 2 * HOUR));
      gate.confirm(T0 + 2 * HOUR, [pseudonym('acct_1')], []);
      expect(gate.release(T0 + 2 * HOUR)).toEqual([]);
      expect(gate.toJSON().v).toBe(3);
    });
  });

  it('refuses another lab\'s alert or a forum alert as a local one', () => {
    const gate = new LocalAlertGate('lab-a', KEY, DAY, 30 * DAY, 0.04);
    expect(() => gate.hold({ ...alert('local', 's', ['a'], T0), recipient_lab: 'lab-b' })).toThrow(/not a local alert of lab-a/);
    expect(() => gate.hold(alert('forum', 's', ['a'], T0))).toThrow(/not a local alert of lab-a/);
  });
});

describe('needsForum: the forum alerts only what no lab sees alone', () => {
  const base: Pick<DistillationAlert, 'accounts' | 'spend_usd_30d' | 'spend_usd_30d_all_labs'> = {
    accounts: [{ lab: 'lab-a', account_id: 'p1' }, { lab: 'lab-a', account_id: 'p2' }], spend_usd_30d: 300, spend_usd_30d_all_labs: 300,
  };

  it('keeps back a subject of one lab whose tier its own spend already gives', () => {
    expect(needsForum(base)).toBe(false);
  });

  it('sends a subject with members at two labs', () => {
    expect(needsForum({ ...base, accounts: [...base.accounts, { lab: 'lab-b', account_id: 'q1' }] })).toBe(true);
  });

  it('sends a single-lab subject whose spend across labs puts it in another KYC tier', () => {
    expect(needsForum({ ...base, spend_usd_30d: 3_000, spend_usd_30d_all_labs: 6_000 })).toBe(true);
    expect(needsForum({ ...base, spend_usd_30d: 3_000, spend_usd_30d_all_labs: 4_000 })).toBe(false);
  });
});

describe('ImmediateLabFeed: the `immediate` mode shows a lab\'s local alerts as they are raised', () => {
  it('shows every local alert at once, before the forum has scored its window and whatever the forum confirms', () => {
    const feed: LabFeed = new ImmediateLabFeed();
    const researcher = alert('local', 'lab-a/researcher', ['researcher'], T0 + HOUR);
    const later = alert('local', 'lab-a/acct_1', ['acct_1'], T0 + 3 * HOUR);
    feed.hold(researcher);
    feed.hold(later);
    expect(ids(feed.release(T0))).toEqual([researcher.alert_id, later.alert_id]);
    feed.confirm(T0 + HOUR, [pseudonym('someone_else')], []);
    expect(feed.release(T0 + 3 * HOUR)).toEqual([]);
  });

  it('shows no forum alert on a single-lab subject, and a forum alert across labs takes no account from a local one', () => {
    const feed: LabFeed = new ImmediateLabFeed();
    const forumCampaign = alert('forum', 'campaign-1', ['acct_1'], T0 + HOUR, 2);
    feed.crossLabAlert(forumCampaign);
    feed.confirm(T0 + HOUR, [pseudonym('acct_2')], [alert('forum', 'forum/acct_2', ['acct_2'], T0 + HOUR)]);
    const local = alert('local', 'lab-a/acct_1', ['acct_1'], T0 + 2 * HOUR);
    feed.hold(local);
    expect(ids(feed.release(T0 + 2 * HOUR))).toEqual([local.alert_id]);
  });
});
