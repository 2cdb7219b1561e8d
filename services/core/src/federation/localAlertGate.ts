// LocalAlertGate: where a lab's local alerts wait for the forum's view of their window before
// they page anyone, and where the lab's two sources of alerts become one feed. A lab's own
// detector learns its population from a third of the federation's accounts (or less), so its
// percentiles and forests are coarser than the forum's, and it pages benign customers
// (researchers, eval teams) that the forum, scoring the whole federation like a central
// detector, finds ordinary. So, once the forum has scored window W (its alerts and its
// ForumConfirmation for this lab given to the gate first):
//   - a local alert of W is shown only when the forum scored at least one of its accounts above
//     the threshold in W (alone or in a campaign); otherwise it is dropped;
//   - the forum's alert on a single-lab subject (sent in the confirmation) is shown only where
//     the lab's own detector had none;
//   - an account belongs, for the re-arm period of the alert lifecycle, to the source that
//     showed it last: a later alert of the other source all of whose accounts belong to that
//     source is dropped (it would show the lab nothing new; one that adds an account is shown).
//     A forum alert across labs is always shown (only the forum sees the whole campaign), and it
//     takes over the accounts it covers: the lab then sees that campaign once, under the forum's
//     id, not its own part of it beside it.
// Within a window, forum alerts across labs come first, then local alerts, then the forum's
// single-lab alerts. Pure: no clock, no I/O; the lab key stays in the lab.
import { accountPseudonym } from './forumRecord.ts';
import type { LabAlert } from './labAlert.ts';
import type { LabFeed } from './labFeed.ts';

type Source = LabAlert['source'];

export class LocalAlertGate implements LabFeed {
  readonly lab: string;
  private readonly labKey: Buffer;
  /** How long a shown alert keeps its accounts: the alert lifecycle's re-arm period. */
  private readonly rearmAfterMs: number;
  /** Local alerts and the forum's single-lab alerts waiting for the forum to score their window. */
  private waiting: LabAlert[] = [];
  /** Pseudonyms the forum scored above the threshold, by window_end, for windows not yet released. */
  private readonly confirmed = new Map<number, Set<string>>();
  /** Own account id -> the source that showed it last, and that alert's window_end. */
  private readonly owner = new Map<string, { source: Source; end: number }>();

  constructor(lab: string, labKey: Buffer, rearmAfterMs: number) {
    this.lab = lab;
    this.labKey = labKey;
    this.rearmAfterMs = rearmAfterMs;
  }

  /** A local alert of this lab: it waits for the forum. */
  hold(alert: LabAlert): void {
    if (alert.recipient_lab !== this.lab || alert.source !== 'local') throw new Error(`${alert.alert_id} is not a local alert of ${this.lab}`);
    this.waiting.push(alert);
  }

  /** A forum alert across labs, as this lab receives it: shown at once; it takes over the accounts it covers. */
  crossLabAlert(alert: LabAlert): void {
    this.own(alert);
  }

  /**
   * The forum's ForumConfirmation for one window of this lab: `accounts`, the pseudonyms it
   * scored above the threshold; `alerts`, its single-lab alerts as this lab receives them.
   */
  confirm(windowEnd: number, accounts: readonly string[], alerts: readonly LabAlert[]): void {
    let set = this.confirmed.get(windowEnd);
    if (!set) this.confirmed.set(windowEnd, set = new Set());
    for (const p of accounts) set.add(p);
    this.waiting.push(...alerts);
  }

  /** The forum has scored every window ending at or before `through`: the waiting alerts of those windows to show. */
  release(through: number): LabAlert[] {
    const due = this.waiting.filter((a) => a.window_end <= through);
    this.waiting = this.waiting.filter((a) => a.window_end > through);
    // Stable: within a window, local alerts before the forum's, each in arrival order.
    due.sort((a, b) => a.window_end - b.window_end || rank(a.source) - rank(b.source));
    const shown: LabAlert[] = [];
    for (const a of due) {
      if (a.source === 'local' && !this.isConfirmed(a)) continue;
      if (this.isOwnedByOther(a)) continue;
      this.own(a);
      shown.push(a);
    }
    for (const end of this.confirmed.keys()) if (end <= through) this.confirmed.delete(end);
    // Alerts still waiting end after `through`: an owner older than the re-arm period before that holds nothing.
    for (const [account, o] of this.owner) if (o.end < through - this.rearmAfterMs) this.owner.delete(account);
    return shown;
  }

  private own(alert: LabAlert): void {
    for (const a of alert.accounts) this.owner.set(a.account_id, { source: alert.source, end: alert.window_end });
  }

  private isConfirmed(alert: LabAlert): boolean {
    const set = this.confirmed.get(alert.window_end);
    return set !== undefined && alert.accounts.some((a) => set.has(accountPseudonym(this.labKey, a.account_id)));
  }

  private isOwnedByOther(alert: LabAlert): boolean {
    return alert.accounts.every((a) => {
      const o = this.owner.get(a.account_id);
      return o !== undefined && o.source !== alert.source && Math.abs(o.end - alert.window_end) <= this.rearmAfterMs;
    });
  }
}

const rank = (source: Source) => (source === 'local' ? 0 : 1);
