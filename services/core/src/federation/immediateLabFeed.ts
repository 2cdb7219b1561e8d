// ImmediateLabFeed: the `immediate` local-alert mode (labFeed.ts). A lab's local alerts are shown
// as its own detector raises them, without waiting for the forum, which is what a lab gets when
// it prefers latency to fewer false pages. The forum's confirmations change nothing here: its
// single-lab alerts are dropped, since the lab's own detector already pages its single-lab
// subjects. It must never hold an alert back. Pure.
import type { LabFeed } from './labFeed.ts';
import type { LabAlert } from './labAlert.ts';

/** Its state as JSON: the local alerts not yet released (none, between two steps of a caller). */
export interface ImmediateLabFeedJSON { v: 1; pending: LabAlert[] }

export class ImmediateLabFeed implements LabFeed {
  private pending: LabAlert[] = [];

  static fromJSON(json: ImmediateLabFeedJSON): ImmediateLabFeed {
    const feed = new ImmediateLabFeed();
    feed.pending = [...json.pending];
    return feed;
  }

  toJSON(): ImmediateLabFeedJSON {
    return { v: 1, pending: [...this.pending] };
  }

  hold(alert: LabAlert): void {
    this.pending.push(alert);
  }

  crossLabAlert(): void {}

  confirm(): void {}

  localModelFrom(): void {}

  release(): LabAlert[] {
    const shown = this.pending;
    this.pending = [];
    return shown;
  }
}
