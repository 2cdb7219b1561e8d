// A lab's node in the federation: its own detection over its own events (Aggregator ->
// WindowQueue -> WindowScorer, as `detect` runs them: local alerts), and the bridge to the
// forum: every closed account-window leaves as a forum record (forumRecord.ts), and forum
// alerts come back mapped to the lab's view (labAlert.ts). The lab alone holds the map from its
// pseudonyms back to account ids. Pure: no clock, no I/O; keys are passed in.
import type { AccountFeatures, AlertVerdict, DistillationAlert, ForumRecord, UsageEvent } from '../schemas.generated.ts';
import type { DetectorConfig } from '../detector/config.ts';
import type { PushOutcome } from '../windows/assembler.ts';
import { Aggregator } from '../detector/aggregator.ts';
import { WindowScorer } from '../detector/scorer.ts';
import { ScoringStage } from '../pipeline/scoringStage.ts';
import type { ForumKeyRing } from './keys.ts';
import { toForumRecord } from './forumRecord.ts';
import { forumAlertForLab, localLabAlert, type LabAlert } from './labAlert.ts';

/** A forum alert named a pseudonym this lab never sent (its directory was lost, or the forum erred). */
export class UnknownPseudonymError extends Error {
  override readonly name = 'UnknownPseudonymError';
  readonly retriable = false;
}

/** What one step of the node produced. */
export interface LabNodeStep {
  /** Records that cross to the forum, in emission order. */
  forumRecords: ForumRecord[];
  /** Local alerts released, in window_end then alert_id order. */
  alerts: LabAlert[];
  /**
   * When this step trained models for the lab's own detector: the first window the earliest of
   * them scored (its `trainedThrough`), for the lab's feed (LabFeed.localModelFrom); else null.
   */
  modelFrom: number | null;
}

export class LabNode {
  readonly lab: string;
  private readonly aggregator: Aggregator;
  private readonly local: ScoringStage;
  private readonly featureNames: readonly string[];
  private readonly forumKeys: ForumKeyRing;
  private readonly labKey: Buffer;
  /** Pseudonym -> account id, for every account this node has sent. */
  private readonly directory = new Map<string, string>();

  constructor(lab: string, config: DetectorConfig, featureNames: readonly string[], forumKeys: ForumKeyRing, labKey: Buffer) {
    this.lab = lab;
    this.aggregator = new Aggregator(config.windows);
    this.local = new ScoringStage(new WindowScorer(config.scorer));
    this.featureNames = featureNames;
    this.forumKeys = forumKeys;
    this.labKey = labKey;
  }

  /** Every account-window of this lab ending at or before this time has been sent. */
  get completeThrough(): number { return this.aggregator.completeThrough; }
  get streamClock(): number { return this.aggregator.streamClock; }

  /** One of this lab's events. */
  push(event: UsageEvent): { outcome: PushOutcome } & LabNodeStep {
    if (event.lab !== this.lab) throw new Error(`event of ${event.lab} pushed to the node of ${this.lab}`);
    const { outcome, records } = this.aggregator.push(event);
    return { outcome, ...this.take(records, this.aggregator.completeThrough) };
  }

  /** The stream as a whole reached `time` (other labs' events): closes this lab's silent accounts' windows. */
  advanceStreamClock(time: number): LabNodeStep {
    return this.take(this.aggregator.advanceStreamClock(time), this.aggregator.completeThrough);
  }

  /** End of input. */
  flush(): LabNodeStep {
    return this.take(this.aggregator.flush(), Number.POSITIVE_INFINITY);
  }

  /** One of this lab's on-call verdicts, for its own scorer (as the lab's scorer reads its alert-verdicts). */
  addVerdict(verdict: AlertVerdict): void {
    this.local.addVerdict(verdict);
  }

  /** A forum alert involving this lab, as the lab receives it. */
  receive(alert: DistillationAlert): LabAlert {
    return forumAlertForLab(alert, this.lab, (pseudonym) => {
      const id = this.directory.get(pseudonym);
      if (id === undefined) throw new UnknownPseudonymError(`forum alert ${alert.alert_id} names a ${this.lab} pseudonym this lab never sent`);
      return id;
    });
  }

  private take(records: readonly AccountFeatures[], completeThrough: number): LabNodeStep {
    const forumRecords: ForumRecord[] = [];
    for (const r of records) {
      this.local.add(r);
      const fr = toForumRecord(r, this.featureNames, this.forumKeys, this.labKey);
      this.directory.set(fr.acct, r.account_id);
      forumRecords.push(fr);
    }
    const { alerts, models } = this.local.scoreThrough(completeThrough);
    return { forumRecords, alerts: alerts.map((a) => localLabAlert(a, this.lab)), modelFrom: models[0]?.trainedThrough ?? null };
  }
}
