// The bridge's feed: the core LabFeed of the lab's local-alert mode (the very LocalAlertGate or
// ImmediateLabFeed the offline twin runs), and what the bridge must know to release it as the
// twin does. The twin releases a lab's feed through the forum's scoredThrough at a moment when
// the lab's own detector has scored at least as far; streaming, the two arrive on two clusters
// at their own pace, so the feed is released through the lesser of:
//   - how far the forum has scored: the least `scored` marker over the partitions of
//     forum.alerts.<lab> (each follows the alerts and confirmations it covers there);
//   - how far the lab's scorer has scored: its `scored` marker on the local-alerts topic.
// Then every input of every window released is in the feed, in whatever order Kafka gave them,
// and the gate decides window by window: the same feed as the twin's.
// Its state (the feed's JSON, the local-alerts position and both markers) is one entry of the
// bridge store, written in the lab transaction that shows what it released. Pure: no Kafka.
import { localLabAlert, openLabFeed, type LabAlert, type LabFeed, type LabFeedJSON, type LabFeedSpec } from '@distillwatch/core';
import type { LocalAlertsMessage } from './localAlertsWire.ts';

/** The feed's entry in the bridge store. */
export interface BridgeFeedDoc {
  v: 1;
  mode: LabFeedSpec['mode'];
  feed: LabFeedJSON;
  /** Next offset of the local-alerts topic to read. */
  localPosition: number;
  /** The scorer's and the forum's (per alerts partition) scored markers; null: none yet. */
  localScored: number | null;
  forumScored: (number | null)[];
}

export class BridgeFeed {
  readonly #spec: LabFeedSpec;
  readonly #feed: LabFeed;
  #localPosition: number;
  #localScored: number;
  readonly #forumScored: number[];

  private constructor(spec: LabFeedSpec, feed: LabFeed, localPosition: number, localScored: number, forumScored: number[]) {
    this.#spec = spec;
    this.#feed = feed;
    this.#localPosition = localPosition;
    this.#localScored = localScored;
    this.#forumScored = forumScored;
  }

  /**
   * The feed as its store entry left it (null: a fresh one). An entry of the other mode is not
   * reused: a gate's waiting alerts mean nothing to the other mode, which starts afresh.
   */
  static open(spec: LabFeedSpec, forumPartitions: number, doc: BridgeFeedDoc | null): BridgeFeed {
    const same = doc !== null && doc.mode === spec.mode;
    const forumScored = Array.from({ length: forumPartitions }, (_, p) => (same ? doc.forumScored[p] : null) ?? Number.NEGATIVE_INFINITY);
    if (!same) return new BridgeFeed(spec, openLabFeed(spec), doc?.localPosition ?? 0, doc?.localScored ?? Number.NEGATIVE_INFINITY, forumScored);
    return new BridgeFeed(spec, openLabFeed(spec, doc.feed), doc.localPosition, doc.localScored ?? Number.NEGATIVE_INFINITY, forumScored);
  }

  get localPosition(): number { return this.#localPosition; }

  /** One message of the local-alerts topic at `offset`; false when it was read already. */
  local(offset: number, message: LocalAlertsMessage): boolean {
    if (offset < this.#localPosition) return false;
    this.#localPosition = offset + 1;
    if (message.kind === 'scored') this.#localScored = Math.max(this.#localScored, message.scoredThrough);
    else if (message.kind === 'model') this.#feed.localModelFrom(message.modelFrom);
    else this.#feed.hold(localLabAlert(message.alert, this.#spec.lab));
    return true;
  }

  /** A local-alerts message at `offset` that could not be read: skipped, counted by the caller. */
  skipLocal(offset: number): void {
    this.#localPosition = Math.max(this.#localPosition, offset + 1);
  }

  /** A forum alert across labs, shown at once by the caller. */
  crossLabAlert(alert: LabAlert): void { this.#feed.crossLabAlert(alert); }

  confirm(windowEnd: number, pseudonyms: readonly string[], alerts: readonly LabAlert[]): void {
    this.#feed.confirm(windowEnd, pseudonyms, alerts);
  }

  /** A scored marker of the forum on alerts partition `partition` (markers only raise). */
  forumScored(partition: number, scoredThrough: number): void {
    this.#forumScored[partition] = Math.max(this.#forumScored[partition] ?? Number.NEGATIVE_INFINITY, scoredThrough);
  }

  /** Every window ending at or before this has all its inputs in the feed. */
  get releasableThrough(): number {
    return Math.min(this.#localScored, ...this.#forumScored);
  }

  /** The alerts the feed shows now. */
  release(): LabAlert[] {
    return this.#feed.release(this.releasableThrough);
  }

  toDoc(): BridgeFeedDoc {
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      v: 1, mode: this.#spec.mode, feed: this.#feed.toJSON(), localPosition: this.#localPosition,
      localScored: finite(this.#localScored), forumScored: this.#forumScored.map(finite),
    };
  }
}
