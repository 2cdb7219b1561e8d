// ForumCampaignNames: one forum campaign id for one campaign, at every lab, as it gains members.
// The linker names a campaign after its earliest-linked member, and at the forum the members are
// pseudonyms and the links are found over the forum's own scores: a campaign the forum alerted
// first as two accounts of one lab can come back, once the forum links its members at other
// labs, as a component whose earliest member is another one, under a new id (`wide` seed 7: one
// `topic_sharded` campaign reached lab-a and lab-b under two forum ids and lab-c under three,
// where central detection shows one). So the forum names the campaign alerts it sends: a campaign
// alert that covers a member of a campaign it has already sent, within the linker's link memory,
// keeps that campaign's id (the one sent earliest, when it covers several), and its members are
// then known under it. Every lab receives the same id, so no lab has to guess which of its
// campaigns are one. Two alerts of one window never share an id: the second keeps its own.
// Only `subject_id` changes; `alert_id` stays the scorer's, so the labs' verdicts on an alert
// find it. It never renames an account alert, and a member not sent in a campaign for `ttlMs`
// (the linker has forgotten its links by then) names nothing. Pure: no clock, no I/O; it sees
// pseudonyms only.
import type { DistillationAlert } from '../schemas.generated.ts';
import { ExpiringMap } from './expiringMap.ts';

/** A campaign id as the forum sent it for one member: the id, when it was first sent, when last. */
interface SentCampaign { id: string; since: number; end: number }

export class ForumCampaignNames {
  /** How long a member keeps its campaign's id after the forum last sent it: the linker's link memory. */
  private readonly ttlMs: number;
  /** `<lab>/<pseudonym>` -> the campaign the forum last sent it in. */
  private readonly members = new ExpiringMap<string, SentCampaign>((c) => c.end);

  constructor(ttlMs: number) {
    this.ttlMs = ttlMs;
  }

  /** One window's alerts as the forum sends them, in the same order: campaign alerts under the id the labs know them by. */
  name(windowEnd: number, alerts: readonly DistillationAlert[]): DistillationAlert[] {
    this.members.expire(windowEnd - this.ttlMs);
    const used = new Set<string>();
    return alerts.map((alert) => {
      if (alert.subject_kind !== 'campaign') return alert;
      const known = this.knownFor(alert, used);
      const id = known?.id ?? alert.subject_id;
      used.add(id);
      this.learn(alert, { id, since: known?.since ?? windowEnd, end: windowEnd });
      return id === alert.subject_id ? alert : { ...alert, subject_id: id };
    });
  }

  /** The campaign sent earliest among this alert's members (ties: the smaller id), not yet used in this window. */
  private knownFor(alert: DistillationAlert, used: ReadonlySet<string>): SentCampaign | null {
    let best: SentCampaign | null = null;
    for (const a of alert.accounts) {
      const c = this.members.get(memberKey(a));
      if (c === undefined || used.has(c.id)) continue;
      if (best === null || c.since < best.since || (c.since === best.since && c.id < best.id)) best = c;
    }
    return best;
  }

  private learn(alert: DistillationAlert, campaign: SentCampaign): void {
    for (const a of alert.accounts) this.members.set(memberKey(a), campaign);
  }
}

const memberKey = (a: { lab: string; account_id: string }) => `${a.lab}/${a.account_id}`;
