// ImmediateLabFeed: the `immediate` local-alert mode (labFeed.ts). A lab's local alerts are shown
// as its own detector raises them, without waiting for the forum, which is what a lab gets when
// it prefers latency to fewer false pages, and what the streaming bridge delivers. The forum's
// confirmations change nothing here: its single-lab alerts are dropped, since the lab's own
// detector already pages its single-lab subjects. It must never hold an alert back. Pure.
import type { LabFeed } from './labFeed.ts';
import type { LabAlert } from './labAlert.ts';

export class ImmediateLabFeed implements LabFeed {
  private pending: LabAlert[] = [];

  hold(alert: LabAlert): void {
    this.pending.push(alert);
  }

  crossLabAlert(): void {}

  confirm(): void {}

  release(): LabAlert[] {
    const shown = this.pending;
    this.pending = [];
    return shown;
  }
}
