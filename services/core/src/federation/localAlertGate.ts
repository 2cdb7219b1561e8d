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
//     the lab's own detector had none; and the forum's single-lab *account* alert only for a
//     window the lab's detector scored without a model (`localModelFrom`): once the lab has its
//     own model, its confirmed local alert is what pages an account it sees alone, so a
//     near-threshold account pages only when both models agree (the forum's model, trained on
//     rounded records and pseudonyms, scores such an account a little differently from central
//     detection: issue 14, two `eval_runner`s on `default` 7); before that, the forum's alert
//     is all the lab has. Unless the forum scored it blatant, `blatantMargin` (the scorer's
//     one-window confirmation margin) or more above the threshold: a lab's model, learnt from a
//     third of the population, missed a one-account `coverage_sweep` the forum scored 0.047 above
//     (`wide` 7). The forum's single-lab campaigns stay shown: hiding them lost three
//     `churn-02` members central detection flags (`wide` 7);
//   - an account belongs, for the re-arm period of the alert lifecycle, to the source that
//     showed it last: a later alert of the other source all of whose accounts belong to that
//     source is dropped (it would show the lab nothing new; one that adds an account is shown).
//     A forum alert across labs is always shown (only the forum sees the whole campaign), and it
//     takes over the accounts it covers: the lab then sees that campaign once, under the forum's
//     id, not its own part of it beside it.
//   - a campaign is shown under the forum's id the lab already knows for it: a local campaign
//     alert, or the forum's alert on a single-lab campaign, that covers an account of a forum
//     campaign the lab was given (across labs, or single-lab in a confirmation) within the
//     linker's link memory (`campaignTtlMs`) is shown with that campaign's id (the one known
//     longest, when it covers several). The lab's own linker names a campaign by raw account ids
//     and the forum by pseudonyms, and the forum's component may split and merge again as links
//     come and go; without this, one campaign that spans labs reached a lab under a local id
//     before the forum's, or under a short-lived forum id between two of the same (issue 14,
//     `default` 11). Only `subject_id` changes: accounts, score and alert_id stay the source's.
// Everything is decided window by window, oldest first, and within a window forum alerts across
// labs first, then local alerts, then the forum's single-lab alerts: so what the gate shows
// depends only on what it was given for each window, never on how the inputs were batched or
// interleaved (the offline twin hands them over a window at a time, the streaming bridge as
// Kafka delivers them). Given twice, a confirmation or alert changes nothing (a restarted forum
// sends them again). Pure: no clock, no I/O; the lab key stays in the lab.
import { ExpiringMap } from './expiringMap.ts';
import { accountPseudonym } from './forumRecord.ts';
import type { LabAlert } from './labAlert.ts';
import type { LabFeed } from './labFeed.ts';

type Source = LabAlert['source'];

/**
 * The gate's state as JSON (the streaming bridge keeps it in its store's changelog). Version 3;
 * version 1 had no `campaigns`, version 2 no `modelFrom` (read as: no model known yet).
 */
export interface LocalAlertGateJSON {
  v: 1 | 2 | 3;
  /** Every window ending at or before this has been released (null: none). */
  releasedThrough: number | null;
  waiting: LabAlert[];
  /** Forum alerts across labs already shown, whose accounts are taken over when their window is released. */
  takeovers: { end: number; id?: string; accounts: string[] }[];
  confirmed: [end: number, pseudonyms: string[]][];
  owner: [account: string, source: Source, end: number][];
  /** Own account id -> the forum campaign the lab knows it in: its id, when the lab first saw that id, when last. */
  campaigns?: [account: string, id: string, since: number, end: number][];
  /** The first window the lab's own detector scored with a model (null: none yet). */
  modelFrom?: number | null;
}

/** A forum campaign as the lab knows one of its accounts in it. */
interface KnownCampaign { id: string; since: number; end: number }

/** A gate state of an unknown version or shape: the store that held it was written by another release. */
export class GateStateFormatError extends Error {
  override readonly name = 'GateStateFormatError';
  readonly retriable = false;
}

export class LocalAlertGate implements LabFeed {
  readonly lab: string;
  private readonly labKey: Buffer;
  /** How long a shown alert keeps its accounts: the alert lifecycle's re-arm period. */
  private readonly rearmAfterMs: number;
  /** How long the lab remembers an account's forum campaign after it last saw it: the linker's link memory. */
  private readonly campaignTtlMs: number;
  /** How far above its threshold the forum's single-lab account alert pages even once the lab has its own model. */
  private readonly blatantMargin: number;
  private releasedThrough = Number.NEGATIVE_INFINITY;
  /** Local alerts and the forum's single-lab alerts waiting for the forum to score their window. */
  private waiting: LabAlert[] = [];
  private readonly waitingIds = new Set<string>();
  /** Forum alerts across labs, shown already: their accounts change owner in window order, at release. */
  private takeovers: Takeover[] = [];
  /** Pseudonyms the forum scored above the threshold, by window_end, for windows not yet released. */
  private readonly confirmed = new Map<number, Set<string>>();
  /**
   * Own account id -> the source that showed it last, and that alert's window_end; and the forum
   * campaign the lab knows it in. Expiring maps: the twin releases at every event (the forum's
   * clock moves with each), and a sweep of both at each one grew with the accounts ever shown.
   */
  private readonly owner = new ExpiringMap<string, { source: Source; end: number }>(endOf);
  private readonly campaigns = new ExpiringMap<string, KnownCampaign>(endOf);
  /** The first window the lab's own detector scored with a model. */
  private modelFrom = Number.POSITIVE_INFINITY;

  constructor(lab: string, labKey: Buffer, rearmAfterMs: number, campaignTtlMs: number, blatantMargin: number) {
    this.lab = lab;
    this.labKey = labKey;
    this.rearmAfterMs = rearmAfterMs;
    this.campaignTtlMs = campaignTtlMs;
    this.blatantMargin = blatantMargin;
  }

  /** A gate as `toJSON` left it (version 1: one saved before the gate knew campaigns). */
  static fromJSON(lab: string, labKey: Buffer, rearmAfterMs: number, campaignTtlMs: number, blatantMargin: number, json: LocalAlertGateJSON): LocalAlertGate {
    const known = json?.v === 1 || ((json?.v === 2 || json?.v === 3) && Array.isArray(json.campaigns));
    if (!known || !Array.isArray(json.waiting) || !Array.isArray(json.takeovers) || !Array.isArray(json.confirmed) || !Array.isArray(json.owner)) {
      throw new GateStateFormatError(`local alert gate state of ${lab}: expected version 1, 2 or 3, got ${JSON.stringify(json?.v)}`);
    }
    const gate = new LocalAlertGate(lab, labKey, rearmAfterMs, campaignTtlMs, blatantMargin);
    gate.releasedThrough = json.releasedThrough ?? Number.NEGATIVE_INFINITY;
    for (const a of json.waiting) gate.wait(a);
    gate.takeovers = json.takeovers.map((t) => ({ end: t.end, id: t.id ?? null, accounts: [...t.accounts] }));
    for (const [end, pseudonyms] of json.confirmed) gate.confirmed.set(end, new Set(pseudonyms));
    for (const [account, source, end] of json.owner) gate.own(account, source, end);
    for (const [account, id, since, end] of json.campaigns ?? []) gate.campaigns.set(account, { id, since, end });
    gate.modelFrom = json.modelFrom ?? Number.POSITIVE_INFINITY;
    return gate;
  }

  toJSON(): LocalAlertGateJSON {
    return {
      v: 3,
      releasedThrough: Number.isFinite(this.releasedThrough) ? this.releasedThrough : null,
      waiting: [...this.waiting],
      takeovers: this.takeovers.map((t) => ({ end: t.end, ...(t.id === null ? {} : { id: t.id }), accounts: [...t.accounts] })),
      confirmed: [...this.confirmed].map(([end, set]) => [end, [...set]]),
      owner: [...this.owner].map(([account, o]) => [account, o.source, o.end]),
      campaigns: [...this.campaigns].map(([account, c]) => [account, c.id, c.since, c.end]),
      modelFrom: Number.isFinite(this.modelFrom) ? this.modelFrom : null,
    };
  }

  /** A local alert of this lab: it waits for the forum. */
  hold(alert: LabAlert): void {
    if (alert.recipient_lab !== this.lab || alert.source !== 'local') throw new Error(`${alert.alert_id} is not a local alert of ${this.lab}`);
    this.wait(alert);
  }

  /** A forum alert across labs, as this lab receives it (shown at once by the caller): it takes over the accounts it covers. */
  crossLabAlert(alert: LabAlert): void {
    if (alert.window_end <= this.releasedThrough) return;
    this.takeovers.push({ end: alert.window_end, id: alert.subject_id, accounts: alert.accounts.map((a) => a.account_id) });
  }

  /**
   * The forum's ForumConfirmation for one window of this lab: `accounts`, the pseudonyms it
   * scored above the threshold; `alerts`, its single-lab alerts as this lab receives them. One
   * for a window already released is a repeat, and changes nothing.
   */
  confirm(windowEnd: number, accounts: readonly string[], alerts: readonly LabAlert[]): void {
    if (windowEnd <= this.releasedThrough) return;
    let set = this.confirmed.get(windowEnd);
    if (!set) this.confirmed.set(windowEnd, set = new Set());
    for (const p of accounts) set.add(p);
    for (const a of alerts) this.wait(a);
  }

  /** The lab's own detector scored window `windowEnd` with a model (its first model's `trainedThrough`); the earliest counts. */
  localModelFrom(windowEnd: number): void {
    this.modelFrom = Math.min(this.modelFrom, windowEnd);
  }

  /** The forum has scored every window ending at or before `through`: the waiting alerts of those windows to show. */
  release(through: number): LabAlert[] {
    if (!(through > this.releasedThrough)) return [];
    const due = this.takeDue(through);
    const shown: LabAlert[] = [];
    for (const step of due) {
      if (step.kind === 'takeover') {
        for (const account of step.accounts) this.own(account, 'forum', step.end);
        if (step.id !== null) this.learn(step.id, step.accounts, step.end, true);
        continue;
      }
      if (step.kind === 'learn') { this.learn(this.knownId(step.alert) ?? step.alert.subject_id, ids(step.alert), step.end, false); continue; }
      const alert = step.alert;
      if (alert.source === 'local' && !this.isConfirmed(alert)) continue;
      if (alert.source === 'forum' && alert.subject_kind === 'account' && step.end >= this.modelFrom && !this.isBlatant(alert)) continue;
      if (this.isOwnedByOther(alert)) continue;
      for (const a of alert.accounts) this.own(a.account_id, alert.source, step.end);
      shown.push(this.asKnownCampaign(alert));
    }
    for (const end of this.confirmed.keys()) if (end <= through) this.confirmed.delete(end);
    this.forget(through);
    this.releasedThrough = through;
    return shown;
  }

  /**
   * Alerts still waiting end after `through`: an owner older than the re-arm period before
   * that holds nothing, nor a campaign older than the link memory.
   */
  private forget(through: number): void {
    this.owner.expire(through - this.rearmAfterMs);
    this.campaigns.expire(through - this.campaignTtlMs);
  }

  private own(account: string, source: Source, end: number): void {
    this.owner.set(account, { source, end });
  }

  /**
   * The takeovers and waiting alerts of the windows ending at or before `through`, taken out of
   * the gate and sorted window by window: takeovers, then what the lab learns of the forum's
   * single-lab campaigns, then local alerts, then the forum's single-lab alerts (stable: within
   * a window and a rank, arrival order).
   */
  private takeDue(through: number): DueStep[] {
    const due: DueStep[] = [];
    for (const t of this.takeovers) if (t.end <= through) due.push({ kind: 'takeover', end: t.end, rank: 0, id: t.id, accounts: t.accounts });
    for (const a of this.waiting) {
      if (a.window_end > through) continue;
      if (a.source === 'forum' && a.subject_kind === 'campaign') due.push({ kind: 'learn', end: a.window_end, rank: 1, alert: a });
      due.push({ kind: 'alert', end: a.window_end, rank: a.source === 'local' ? 2 : 3, alert: a });
    }
    this.takeovers = this.takeovers.filter((t) => t.end > through);
    const kept: LabAlert[] = [];
    for (const a of this.waiting) {
      if (a.window_end > through) kept.push(a);
      else this.waitingIds.delete(a.alert_id);
    }
    this.waiting = kept;
    return due.sort((a, b) => a.end - b.end || a.rank - b.rank);
  }

  /**
   * The lab's accounts of a forum campaign it sees in window `end`: `override` (a campaign
   * across labs, shown as the forum names it) sets them to it; otherwise only accounts the lab
   * knows in no campaign, or in this one, are set.
   */
  private learn(id: string, accounts: readonly string[], end: number, override: boolean): void {
    let since = end;
    for (const c of this.campaigns.values()) if (c.id === id) since = Math.min(since, c.since);
    for (const account of accounts) {
      const known = this.campaigns.get(account);
      if (override || known === undefined || known.id === id) this.campaigns.set(account, { id, since, end: Math.max(end, known?.id === id ? known.end : end) });
    }
  }

  /** The forum campaign the lab knows longest among the accounts of this alert (null: none). */
  private knownId(alert: LabAlert): string | null {
    let best: KnownCampaign | null = null;
    for (const a of alert.accounts) {
      const c = this.campaigns.get(a.account_id);
      if (c === undefined || c.end < alert.window_end - this.campaignTtlMs) continue;
      if (best === null || c.since < best.since || (c.since === best.since && c.id < best.id)) best = c;
    }
    return best?.id ?? null;
  }

  /** A campaign alert under the id of the forum campaign the lab knows for its accounts, which it then knows them in. */
  private asKnownCampaign(alert: LabAlert): LabAlert {
    if (alert.subject_kind !== 'campaign') return alert;
    const id = this.knownId(alert);
    if (id === null) return alert;
    this.learn(id, ids(alert), alert.window_end, false);
    return id === alert.subject_id ? alert : { ...alert, subject_id: id };
  }

  /** Queues an alert for its window's release; the same alert twice waits once. */
  private wait(alert: LabAlert): void {
    if (this.waitingIds.has(alert.alert_id)) return;
    this.waitingIds.add(alert.alert_id);
    this.waiting.push(alert);
  }

  private isBlatant(alert: LabAlert): boolean {
    return alert.score >= alert.threshold + this.blatantMargin;
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

/** A forum campaign across labs shown already, whose accounts change owner (and campaign) when its window is released. */
interface Takeover { end: number; id: string | null; accounts: string[] }

/** One thing release() does, in window order and, within a window, by rank. */
type DueStep =
  | { kind: 'takeover'; end: number; rank: 0; id: string | null; accounts: readonly string[] }
  | { kind: 'learn' | 'alert'; end: number; rank: number; alert: LabAlert };

const ids = (alert: LabAlert) => alert.accounts.map((a) => a.account_id);
const endOf = (entry: { end: number }) => entry.end;
