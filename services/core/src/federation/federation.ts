// The offline twin of a federation: every lab's node and the forum in one process, over one
// ordered stream of usage events split by `lab` (what `detect --federated` runs). Events go to
// their lab's node only; the records that cross go to the forum; forum alerts go back to each
// lab involved. The stream's progress (the file is in time order) reaches every lab's node, as
// wall-clock time reaches real labs, so a quiet lab still closes its windows and never stalls
// the forum. What each lab shows of its local alerts and of the forum's alerts on its
// single-lab subjects is its LabFeed's choice (labFeed.ts): by default `confirmed`, they wait in
// its LocalAlertGate until the forum has scored their window (which also learns from each lab
// node when the lab's own detector first scored with a model); `immediate`, local alerts are
// shown at once. Verdicts (`detect --federated --verdicts`) go where they go in a live
// federation: each to its own lab's scorer (the lab of the accounts it names), and, when it
// judges a forum alert, its decision (forumVerdictOf) to the forum as soon as the forum raises
// that alert, before the forum scores another window. Pure: no clock, no I/O; same events,
// keys, mode and verdicts, same output.
import type { AlertVerdict, DistillationAlert, ForumRecord, UsageEvent } from '../schemas.generated.ts';
import type { DetectorConfig } from '../detector/config.ts';
import type { PushOutcome } from '../windows/assembler.ts';
import type { ParseResult, Rejection } from '../events/parse.ts';
import { lateRejection } from '../pipeline/eventIntake.ts';
import type { FederationKeys } from './keys.ts';
import { Forum, type ForumOptions } from './forum.ts';
import { LabNode, type LabNodeStep } from './labNode.ts';
import { labsOf, type LabAlert } from './labAlert.ts';
import { labFeedSpec, openLabFeed, type LabFeed, type LocalAlertMode } from './labFeed.ts';
import { forumVerdictOf } from './verdicts.ts';

/** A verdict that names no account: the twin cannot tell which lab's analyst gave it. */
export class FederatedVerdictError extends Error {
  override readonly name = 'FederatedVerdictError';
  readonly retriable = false;
}

export interface FederationStep {
  outcome: PushOutcome;
  /** Alerts released, local and forum, as each recipient lab receives them (unsorted). */
  alerts: LabAlert[];
}

/** What one input line did (as `Detector.pushParsed`): its dead letter, if any, and the alerts it released. */
export interface FederationLineStep {
  rejection: Rejection | null;
  alerts: LabAlert[];
}

export interface FederationCounters {
  lines: number;
  blank: number;
  events: number;
  rejected: number;
  late: number;
  duplicates: number;
}

export interface FederationOptions {
  /** How each lab's local alerts reach its feed (labFeed.ts). Default `confirmed`. */
  localAlerts: LocalAlertMode;
  forum: Partial<ForumOptions>;
  /** The labs' on-call verdicts, each of the lab of the accounts it names (CONTRACT.md §5). */
  verdicts: readonly AlertVerdict[];
}

export class Federation {
  readonly forum: Forum;
  /** How each lab's local alerts reach its feed. */
  readonly localAlerts: LocalAlertMode;
  /** Input lines by what they did (`pushParsed` only; `pushEvent` counts nothing). */
  readonly counters: FederationCounters = { lines: 0, blank: 0, events: 0, rejected: 0, late: 0, duplicates: 0 };
  /** Called with every record that crosses to the forum, in crossing order (for `--forum-out`). */
  onForumRecord: ((record: ForumRecord) => void) | null = null;
  private readonly config: DetectorConfig;
  private readonly featureNames: readonly string[];
  private readonly keys: FederationKeys;
  private readonly nodes = new Map<string, LabNode>();
  private readonly feeds = new Map<string, LabFeed>();
  /** Lab -> alert id -> that lab's verdicts on it. */
  private readonly verdicts = new Map<string, Map<string, AlertVerdict[]>>();
  private clock = Number.NEGATIVE_INFINITY;

  constructor(config: DetectorConfig, featureNames: readonly string[], keys: FederationKeys, options: Partial<FederationOptions> = {}) {
    this.config = config;
    this.featureNames = featureNames;
    this.keys = keys;
    this.localAlerts = options.localAlerts ?? 'confirmed';
    this.forum = new Forum(config, featureNames, options.forum);
    for (const v of options.verdicts ?? []) this.file(v);
    this.forum.onRaised = (alerts) => this.judgeAtForum(alerts);
  }

  /** The labs seen so far, sorted. */
  get labs(): string[] { return [...this.nodes.keys()].sort(); }

  /**
   * One NDJSON line already parsed with `parseUsageEventLine` (e.g. in a worker thread), numbered
   * from 1; `text` gives the line itself, read only when the event turns out to be late.
   */
  pushParsed(parsed: ParseResult, line: number, text: () => string): FederationLineStep {
    this.counters.lines++;
    if (parsed.kind === 'blank') { this.counters.blank++; return { rejection: null, alerts: [] }; }
    if (parsed.kind === 'rejected') { this.counters.rejected++; return { rejection: parsed.rejection, alerts: [] }; }
    this.counters.events++;
    const { outcome, alerts } = this.pushEvent(parsed.event);
    if (outcome === 'duplicate') this.counters.duplicates++;
    if (outcome !== 'late') return { rejection: null, alerts };
    this.counters.late++;
    return { rejection: lateRejection(line, text()), alerts };
  }

  /** One valid event; a lab without a key in `keys` is a FederationKeyError. */
  pushEvent(event: UsageEvent): FederationStep {
    const node = this.nodeOf(event.lab);
    const { outcome, ...step } = node.push(event);
    this.cross(node, step);
    if (node.streamClock > this.clock) {
      this.clock = node.streamClock;
      for (const other of this.nodes.values()) if (other !== node) this.cross(other, other.advanceStreamClock(this.clock));
    }
    return { outcome, alerts: this.deliver(this.forum.release()) };
  }

  /** End of input: every lab closes everything, then the forum scores everything. */
  flush(): LabAlert[] {
    for (const lab of this.labs) this.cross(this.nodes.get(lab)!, this.nodes.get(lab)!.flush());
    return this.deliver(this.forum.flush());
  }

  private nodeOf(lab: string): LabNode {
    let node = this.nodes.get(lab);
    if (!node) {
      node = new LabNode(lab, this.config, this.featureNames, this.keys.forum, this.keys.labKey(lab));
      this.nodes.set(lab, node);
      this.feeds.set(lab, openLabFeed(labFeedSpec(this.localAlerts, lab, this.keys.labKey(lab), this.config.scorer)));
      node.advanceStreamClock(this.clock);
      for (const verdicts of this.verdicts.get(lab)?.values() ?? []) for (const v of verdicts) node.addVerdict(v);
    }
    return node;
  }

  /** Files a verdict under its lab and alert id. */
  private file(verdict: AlertVerdict): void {
    const lab = verdict.accounts[0]?.lab;
    if (lab === undefined) throw new FederatedVerdictError(`the verdict on ${verdict.alert_id ?? verdict.subject_id} names no account, so no lab`);
    let byAlert = this.verdicts.get(lab);
    if (!byAlert) this.verdicts.set(lab, byAlert = new Map());
    const id = verdict.alert_id ?? '';
    byAlert.set(id, [...(byAlert.get(id) ?? []), verdict]);
  }

  /** The forum raised these alerts: each lab involved sends its verdicts on them, the decision only. */
  private judgeAtForum(alerts: readonly DistillationAlert[]): void {
    for (const a of alerts) {
      for (const lab of labsOf(a)) {
        for (const v of this.verdicts.get(lab)?.get(a.alert_id) ?? []) this.forum.addVerdict(forumVerdictOf(v, lab, () => true)!);
      }
    }
  }

  /** Sends a node's records to the forum with its progress; its local alerts go to its feed. */
  private cross(node: LabNode, step: LabNodeStep): void {
    for (const r of step.forumRecords) {
      this.onForumRecord?.(r);
      // The twin feeds the forum in order, so no record can be late here.
      if (this.forum.accept(r) !== null) throw new Error(`forum record of ${r.lab} for window ${r.we} arrived after the forum scored it`);
    }
    this.forum.progress(node.lab, node.completeThrough, false);
    const feed = this.feeds.get(node.lab)!;
    for (const a of step.alerts) feed.hold(a);
    if (step.modelFrom !== null) feed.localModelFrom(step.modelFrom);
  }

  /**
   * The forum's alerts across labs to each lab involved, then what each lab's feed shows of its
   * local alerts and of the forum's single-lab alerts (for the windows the forum has scored, when gated).
   */
  private deliver(alerts: readonly DistillationAlert[]): LabAlert[] {
    const delivered = alerts.flatMap((a) => labsOf(a).map((lab) => this.nodes.get(lab)!.receive(a)));
    for (const a of delivered) this.feeds.get(a.recipient_lab)!.crossLabAlert(a);
    for (const c of this.forum.takeConfirmations()) {
      const node = this.nodes.get(c.lab)!;
      this.feeds.get(c.lab)!.confirm(c.window_end, c.accounts, c.alerts.map((a) => node.receive(a)));
    }
    for (const feed of this.feeds.values()) delivered.push(...feed.release(this.forum.scoredThrough));
    return delivered;
  }
}
