import { describe, expect, it } from 'vitest';
import { ForumCampaignNames } from '../../src/federation/forumCampaignNames.ts';
import type { DistillationAlert } from '../../src/schemas.generated.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = 1_772_409_600_000;

function campaign(alertId: string, subjectId: string, end: number, members: string[]): DistillationAlert {
  return {
    alert_id: alertId, window_start: end - HOUR, window_end: end, subject_kind: 'campaign', subject_id: subjectId,
    accounts: members.map((m) => ({ lab: m.split('/')[0]!, account_id: m.split('/')[1]! })),
    score: 0.7, threshold: 0.59, severity: 'low', reasons: [], spend_usd_window: 10, spend_usd_30d: 100,
    spend_usd_30d_all_labs: 300, kyc_tier: 'standard', model_version: 'm',
  };
}

const ids = (alerts: DistillationAlert[]) => alerts.map((a) => a.subject_id);

describe('ForumCampaignNames: one id for one campaign at every lab', () => {
  it('keeps the id of a campaign first sent on one lab when the scorer links its members at other labs under another id', () => {
    // wide seed 7, topic_sharded-02: two lab-a accounts first, then the members at lab-b and lab-c,
    // whose component the forum's linker named after another earliest member.
    const names = new ForumCampaignNames(30 * DAY);
    expect(ids(names.name(T0 + HOUR, [campaign('a1', 'campaign-x', T0 + HOUR, ['lab-a/P1', 'lab-a/P2'])]))).toEqual(['campaign-x']);
    const later = names.name(T0 + 3 * HOUR, [campaign('a2', 'campaign-y', T0 + 3 * HOUR, ['lab-a/P1', 'lab-b/Q1', 'lab-c/R1'])]);
    expect(ids(later)).toEqual(['campaign-x']);
    // Only the subject changes: the labs' verdicts find the alert by its id.
    expect(later[0]).toMatchObject({ alert_id: 'a2', accounts: [{ lab: 'lab-a', account_id: 'P1' }, { lab: 'lab-b', account_id: 'Q1' }, { lab: 'lab-c', account_id: 'R1' }] });
    // A member that joined under the kept id names it from then on, even without the first ones.
    expect(ids(names.name(T0 + 5 * HOUR, [campaign('a3', 'campaign-z', T0 + 5 * HOUR, ['lab-b/Q1', 'lab-c/R1'])]))).toEqual(['campaign-x']);
  });

  it('names a merge after the campaign sent earliest', () => {
    const names = new ForumCampaignNames(30 * DAY);
    names.name(T0 + HOUR, [campaign('a1', 'campaign-old', T0 + HOUR, ['lab-a/P1', 'lab-b/Q1'])]);
    names.name(T0 + 2 * HOUR, [campaign('a2', 'campaign-new', T0 + 2 * HOUR, ['lab-c/R1', 'lab-c/R2'])]);
    expect(ids(names.name(T0 + 4 * HOUR, [campaign('a3', 'campaign-new', T0 + 4 * HOUR, ['lab-a/P1', 'lab-c/R1'])]))).toEqual(['campaign-old']);
  });

  it('never gives two alerts of one window the same id, and never renames an account alert', () => {
    const names = new ForumCampaignNames(30 * DAY);
    names.name(T0 + HOUR, [campaign('a1', 'campaign-x', T0 + HOUR, ['lab-a/P1', 'lab-b/Q1'])]);
    const account = { ...campaign('a4', 'lab-a/P1', T0 + 2 * HOUR, ['lab-a/P1']), subject_kind: 'account' as const };
    const split = names.name(T0 + 2 * HOUR, [
      campaign('a2', 'campaign-y', T0 + 2 * HOUR, ['lab-a/P1', 'lab-c/R1']),
      campaign('a3', 'campaign-z', T0 + 2 * HOUR, ['lab-b/Q1', 'lab-c/R2']),
      account,
    ]);
    expect(ids(split)).toEqual(['campaign-x', 'campaign-z', 'lab-a/P1']);
  });

  it('forgets a member not sent in a campaign for the link memory', () => {
    const names = new ForumCampaignNames(2 * DAY);
    names.name(T0 + HOUR, [campaign('a1', 'campaign-x', T0 + HOUR, ['lab-a/P1', 'lab-b/Q1'])]);
    expect(ids(names.name(T0 + HOUR + 2 * DAY, [campaign('a2', 'campaign-y', T0 + HOUR + 2 * DAY, ['lab-a/P1', 'lab-c/R1'])]))).toEqual(['campaign-x']);
    expect(ids(names.name(T0 + HOUR + 5 * DAY, [campaign('a3', 'campaign-z', T0 + HOUR + 5 * DAY, ['lab-a/P1', 'lab-c/R1'])]))).toEqual(['campaign-z']);
  });
});
