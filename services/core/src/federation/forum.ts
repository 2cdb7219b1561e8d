// Forum: the federation's central party. It reads every lab's forum records, links accounts
// across labs by their tokens (and by behaviour, as the campaign linker does), sums linked
// 30-day spend across labs for the KYC tier, and scores accounts and campaigns with the very
// WindowScorer the central detector uses, over pseudonymised rows. Its alerts name accounts
// only as `{lab, pseudonym}`; each lab maps them back (labNode.ts).
//
// When a window is scored (the labs' progress, like partitions' for the scorer):
//   - window W is scored once every lab has completed W;
//   - a lab that reports it has no unread backlog (caught up) follows the leading lab, so a
//     quiet lab never stalls the forum;
//   - a lab with backlog holds the forum back at most `maxLabLagMs` behind the leading lab;
//     records it sends afterwards for windows already scored are dead-lettered and counted.
//
// What it sends back: alerts on what no lab can see alone (forumScope.ts), and for every window
// it scores, each lab's ForumConfirmation: the lab's pseudonyms it scored above the threshold,
// and its own alerts on that lab's single-lab subjects. A lab's local alert waits for that
// confirmation before it pages anyone, and the lab shows the forum's single-lab alert only where
// its own detector had none (localAlertGate.ts). A campaign keeps the id it was first sent under
// as it gains members (forumCampaignNames.ts), so every lab knows it under one id.
//
// Verdicts: a lab's verdict on a forum alert (verdicts.ts: the decision only) becomes the
// scorer's verdict on that alert's subject, through the central scorer's own VerdictBook: a
// benign subject is not paged again unless its behaviour changes materially, from the first
// window ending after the verdict's time. Windows are scored one at a time, so a verdict on an
// alert of one window is in force for the next, in event time, as in `detect --verdicts`.
// Pure: no clock, no I/O, no key; it never sees a raw identifier.
import type { DetectorConfig } from '../detector/config.ts';
import { WindowScorer } from '../detector/scorer.ts';
import { ScoringStage } from '../pipeline/scoringStage.ts';
import type { DistillationAlert, ForumRecord } from '../schemas.generated.ts';
import { DEFAULT_CAMPAIGN_LINKER_OPTIONS } from '../campaigns/campaignLinker.ts';
import { ForumCampaignNames } from './forumCampaignNames.ts';
import { forumRecordToFeatures } from './forumRecord.ts';
import { needsForum } from './forumScope.ts';
import { ForumVerdictInbox, type ForumVerdict } from './verdicts.ts';

export interface ForumOptions {
  /** How far (event time) a lab with backlog may hold the forum behind the leading lab. Default 1 h. */
  maxLabLagMs: number;
}

export const DEFAULT_FORUM_OPTIONS: ForumOptions = { maxLabLagMs: 3_600_000 };

/** A record the forum could not use: why, and which lab sent it (never its contents' raw meaning). */
export interface ForumDeadLetter {
  reason: 'late';
  lab: string;
  window_end: number;
}

export interface ForumCounters {
  records: number;
  late: number;
  windows: number;
  /** Alerts sent to the labs. */
  alerts: number;
  /** Alerts on a subject one lab sees alone: sent in that lab's confirmation instead (forumScope.ts). */
  singleLab: number;
  /** Labs' verdicts on forum alerts received. */
  verdicts: number;
}

/** What the forum tells one lab about one window it scored, besides its alerts. */
export interface ForumConfirmation {
  lab: string;
  window_end: number;
  /**
   * Pseudonyms of this lab's accounts that the forum scored above the threshold, alone or in a
   * campaign, whether or not an alert was due: what confirms a lab's local alert. Sorted.
   */
  accounts: string[];
  /** The forum's alerts on this lab's single-lab subjects in this window, by alert_id. */
  alerts: DistillationAlert[];
}

interface LabProgress { completeThrough: number; caughtUp: boolean }

export class Forum {
  readonly options: ForumOptions;
  readonly counters: ForumCounters = { records: 0, late: 0, windows: 0, alerts: 0, singleLab: 0, verdicts: 0 };
  /**
   * Called with the alerts of each window as it is scored (across labs and single-lab), before
   * the next window is scored: the offline twin hands the labs' verdicts on them back here.
   */
  onRaised: ((alerts: readonly DistillationAlert[]) => void) | null = null;
  /** Late records by lab. */
  readonly lateByLab = new Map<string, number>();
  private readonly featureNames: readonly string[];
  private readonly scoring: ScoringStage;
  private readonly labs = new Map<string, LabProgress>();
  private scoredUpTo = Number.NEGATIVE_INFINITY;
  private readonly windowsSeen = new Set<number>();
  /** `<lab>@<window_end>` -> that lab's pseudonyms above the threshold, until taken. */
  private readonly confirmed = new Map<string, ForumConfirmation>();
  private readonly verdicts = new ForumVerdictInbox();
  /** The campaign ids the labs know (the scorer's own stay inside: verdicts name its subjects). */
  private readonly names: ForumCampaignNames;

  constructor(config: DetectorConfig, featureNames: readonly string[], options: Partial<ForumOptions> = {}) {
    this.options = { ...DEFAULT_FORUM_OPTIONS, ...options };
    this.featureNames = featureNames;
    this.scoring = new ScoringStage(new WindowScorer(config.scorer));
    this.names = new ForumCampaignNames(config.scorer.linker.linkTtlMs ?? DEFAULT_CAMPAIGN_LINKER_OPTIONS.linkTtlMs);
    this.scoring.scorer.onScore = (s) => { if (s.alerted) for (const a of s.accounts) this.confirm(a.lab, s.window_end, a.account_id); };
  }

  /** Every window ending at or before this is scored: its alerts and confirmations are out. */
  get scoredThrough(): number { return this.scoredUpTo; }

  /** One lab's record; a dead letter when its window was already scored. */
  accept(record: ForumRecord): ForumDeadLetter | null {
    this.counters.records++;
    if (record.we <= this.scoredUpTo) {
      this.counters.late++;
      this.lateByLab.set(record.lab, (this.lateByLab.get(record.lab) ?? 0) + 1);
      return { reason: 'late', lab: record.lab, window_end: record.we };
    }
    if (!this.labs.has(record.lab)) this.labs.set(record.lab, { completeThrough: Number.NEGATIVE_INFINITY, caughtUp: false });
    this.windowsSeen.add(record.we);
    this.scoring.add(forumRecordToFeatures(record, this.featureNames));
    return null;
  }

  /** A lab's bridge reports: every window ending at or before `completeThrough` is sent; `caughtUp`: nothing unread. */
  progress(lab: string, completeThrough: number, caughtUp: boolean): void {
    this.labs.set(lab, { completeThrough, caughtUp });
  }

  /** A lab's verdict on a forum alert: in force from the first window scored after it that ends after its time. */
  addVerdict(verdict: ForumVerdict): void {
    this.counters.verdicts++;
    for (const v of this.verdicts.receive(verdict)) this.scoring.addVerdict(v);
  }

  /** The forum's own clock: every window ending at or before this may be scored. */
  get readyThrough(): number {
    if (this.labs.size === 0) return Number.NEGATIVE_INFINITY;
    let leader = Number.NEGATIVE_INFINITY;
    for (const p of this.labs.values()) leader = Math.max(leader, p.completeThrough);
    let ready = Number.POSITIVE_INFINITY;
    for (const p of this.labs.values()) {
      const bound = p.caughtUp ? leader : Math.max(p.completeThrough, leader - this.options.maxLabLagMs);
      ready = Math.min(ready, bound);
    }
    return ready;
  }

  /** Scores every window now complete; forum alerts sorted by window_end, then alert_id. */
  release(): DistillationAlert[] {
    return this.scoreThrough(this.readyThrough);
  }

  /** End of input: every lab has sent everything. */
  flush(): DistillationAlert[] {
    return this.scoreThrough(Number.POSITIVE_INFINITY);
  }

  /** The confirmations of the windows scored since the last call, by window_end, then lab. */
  takeConfirmations(): ForumConfirmation[] {
    const out = [...this.confirmed.values()].sort((a, b) => a.window_end - b.window_end || (a.lab < b.lab ? -1 : a.lab > b.lab ? 1 : 0));
    this.confirmed.clear();
    for (const c of out) c.accounts.sort();
    return out;
  }

  private confirmationOf(lab: string, windowEnd: number): ForumConfirmation {
    const key = `${lab}@${windowEnd}`;
    let c = this.confirmed.get(key);
    if (!c) this.confirmed.set(key, c = { lab, window_end: windowEnd, accounts: [], alerts: [] });
    return c;
  }

  private confirm(lab: string, windowEnd: number, pseudonym: string): void {
    const c = this.confirmationOf(lab, windowEnd);
    if (!c.accounts.includes(pseudonym)) c.accounts.push(pseudonym);
  }

  private scoreThrough(through: number): DistillationAlert[] {
    if (!(through > this.scoredUpTo)) return [];
    const sent: DistillationAlert[] = [];
    for (const end of [...this.windowsSeen].filter((e) => e <= through).sort((a, b) => a - b)) sent.push(...this.scoreWindow(end));
    this.scoredUpTo = through;
    this.verdicts.forget(through);
    return sent;
  }

  /** One window: its alerts across labs (returned), its single-lab alerts to the confirmations, then the verdicts on them. */
  private scoreWindow(end: number): DistillationAlert[] {
    const { alerts } = this.scoring.scoreThrough(end);
    this.windowsSeen.delete(end);
    this.counters.windows++;
    const sent: DistillationAlert[] = [];
    for (const a of this.names.name(end, alerts)) {
      if (needsForum(a)) sent.push(a);
      else this.confirmationOf(a.accounts[0]!.lab, a.window_end).alerts.push(a);
    }
    this.counters.alerts += sent.length;
    this.counters.singleLab += alerts.length - sent.length;
    for (const v of this.verdicts.raise(alerts)) this.scoring.addVerdict(v);
    this.onRaised?.(alerts);
    return sent;
  }
}
