// How a lab's two sources of alerts, its own detector (local) and the forum, become the one feed
// the lab pages from, in one of two modes the lab chooses:
//   - `confirmed` (LocalAlertGate): a local alert waits until the forum has scored its window
//     and is shown only when the forum confirms one of its accounts; fewer false pages, later.
//   - `immediate` (ImmediateLabFeed): a local alert is shown as the lab's detector raises it;
//     the forum's alerts on single-lab subjects are not shown (the lab's detector pages those).
// In both, the forum's alerts across labs are shown as they come (forumScope.ts). The Federation
// drives either one the same way. Pure: no clock, no I/O.
import type { LabAlert } from './labAlert.ts';

export const LOCAL_ALERT_MODES = ['confirmed', 'immediate'] as const;
export type LocalAlertMode = (typeof LOCAL_ALERT_MODES)[number];

export interface LabFeed {
  /** A local alert of this lab. */
  hold(alert: LabAlert): void;
  /** A forum alert across labs, as this lab receives it (the caller shows it). */
  crossLabAlert(alert: LabAlert): void;
  /** The forum's ForumConfirmation for one window of this lab (pseudonyms above the threshold; its single-lab alerts). */
  confirm(windowEnd: number, accounts: readonly string[], alerts: readonly LabAlert[]): void;
  /** The forum has scored every window ending at or before `through`: the alerts to show now. */
  release(through: number): LabAlert[];
}
