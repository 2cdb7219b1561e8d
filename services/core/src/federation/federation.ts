// The offline twin of a federation: every lab's node and the forum in one process, over one
// ordered stream of usage events split by `lab` (what `detect --federated` runs). Events go to
// their lab's node only; the records that cross go to the forum; forum alerts go back to each
// lab involved. The stream's progress (the file is in time order) reaches every lab's node, as
// wall-clock time reaches real labs, so a quiet lab still closes its windows and never stalls
// the forum. Pure: no clock, no I/O; same events and keys, same output.
import type { DistillationAlert, ForumRecord, UsageEvent } from '../schemas.generated.ts';
import type { DetectorConfig } from '../detector/config.ts';
import type { PushOutcome } from '../windows/assembler.ts';
import type { FederationKeys } from './keys.ts';
import { Forum, type ForumOptions } from './forum.ts';
import { LabNode, type LabNodeStep } from './labNode.ts';
import { labsOf, type LabAlert } from './labAlert.ts';

export interface FederationStep {
  outcome: PushOutcome;
  /** Alerts released, local and forum, as each recipient lab receives them (unsorted). */
  alerts: LabAlert[];
}

export class Federation {
  readonly forum: Forum;
  /** Called with every record that crosses to the forum, in crossing order (for `--forum-out`). */
  onForumRecord: ((record: ForumRecord) => void) | null = null;
  private readonly config: DetectorConfig;
  private readonly featureNames: readonly string[];
  private readonly keys: FederationKeys;
  private readonly nodes = new Map<string, LabNode>();
  private clock = Number.NEGATIVE_INFINITY;

  constructor(config: DetectorConfig, featureNames: readonly string[], keys: FederationKeys, forumOptions: Partial<ForumOptions> = {}) {
    this.config = config;
    this.featureNames = featureNames;
    this.keys = keys;
    this.forum = new Forum(config, featureNames, forumOptions);
  }

  /** The labs seen so far, sorted. */
  get labs(): string[] { return [...this.nodes.keys()].sort(); }

  /** One valid event; a lab without a key in `keys` is a FederationKeyError. */
  pushEvent(event: UsageEvent): FederationStep {
    const node = this.nodeOf(event.lab);
    const { outcome, ...step } = node.push(event);
    const alerts = this.cross(node, step);
    if (node.streamClock > this.clock) {
      this.clock = node.streamClock;
      for (const other of this.nodes.values()) if (other !== node) alerts.push(...this.cross(other, other.advanceStreamClock(this.clock)));
    }
    alerts.push(...this.forumAlerts(this.forum.release()));
    return { outcome, alerts };
  }

  /** End of input: every lab closes everything, then the forum scores everything. */
  flush(): LabAlert[] {
    const alerts: LabAlert[] = [];
    for (const lab of this.labs) alerts.push(...this.cross(this.nodes.get(lab)!, this.nodes.get(lab)!.flush()));
    alerts.push(...this.forumAlerts(this.forum.flush()));
    return alerts;
  }

  private nodeOf(lab: string): LabNode {
    let node = this.nodes.get(lab);
    if (!node) {
      node = new LabNode(lab, this.config, this.featureNames, this.keys.forum, this.keys.labKey(lab));
      this.nodes.set(lab, node);
      node.advanceStreamClock(this.clock);
    }
    return node;
  }

  /** Sends a node's records to the forum with its progress; returns its local alerts. */
  private cross(node: LabNode, step: LabNodeStep): LabAlert[] {
    for (const r of step.forumRecords) {
      this.onForumRecord?.(r);
      // The twin feeds the forum in order, so no record can be late here.
      if (this.forum.accept(r) !== null) throw new Error(`forum record of ${r.lab} for window ${r.we} arrived after the forum scored it`);
    }
    this.forum.progress(node.lab, node.completeThrough, false);
    return step.alerts;
  }

  private forumAlerts(alerts: readonly DistillationAlert[]): LabAlert[] {
    return alerts.flatMap((a) => labsOf(a).map((lab) => this.nodes.get(lab)!.receive(a)));
  }
}
