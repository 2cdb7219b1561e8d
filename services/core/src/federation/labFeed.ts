// How a lab's two sources of alerts, its own detector (local) and the forum, become the one feed
// the lab pages from, in one of two modes the lab chooses:
//   - `confirmed` (LocalAlertGate): a local alert waits until the forum has scored its window
//     and is shown only when the forum confirms one of its accounts; fewer false pages, later.
//   - `immediate` (ImmediateLabFeed): a local alert is shown as the lab's detector raises it;
//     the forum's alerts on single-lab subjects are not shown (the lab's detector pages those).
// In both, the forum's alerts across labs are shown as they come (forumScope.ts). The offline
// twin (Federation) and the streaming bridge drive either one the same way, and the bridge keeps
// its state (`toJSON`) in its store. Pure: no clock, no I/O.
import type { LabAlert } from './labAlert.ts';
import { DEFAULT_CAMPAIGN_LINKER_OPTIONS } from '../campaigns/campaignLinker.ts';
import type { ScorerOptions } from '../detector/scorer.ts';
import { ImmediateLabFeed, type ImmediateLabFeedJSON } from './immediateLabFeed.ts';
import { LocalAlertGate, type LocalAlertGateJSON } from './localAlertGate.ts';

export const LOCAL_ALERT_MODES = ['confirmed', 'immediate'] as const;
export type LocalAlertMode = (typeof LOCAL_ALERT_MODES)[number];

export type LabFeedJSON = LocalAlertGateJSON | ImmediateLabFeedJSON;

export interface LabFeed {
  /** A local alert of this lab. */
  hold(alert: LabAlert): void;
  /** A forum alert across labs, as this lab receives it (the caller shows it). */
  crossLabAlert(alert: LabAlert): void;
  /** The forum's ForumConfirmation for one window of this lab (pseudonyms above the threshold; its single-lab alerts). */
  confirm(windowEnd: number, accounts: readonly string[], alerts: readonly LabAlert[]): void;
  /** The lab's own detector scores with a model from window `windowEnd` on (its first model's `trainedThrough`). */
  localModelFrom(windowEnd: number): void;
  /** The forum has scored every window ending at or before `through`: the alerts to show now. */
  release(through: number): LabAlert[];
  toJSON(): LabFeedJSON;
}

/** What a lab needs to open its feed: the mode, its own key (to read confirmations), the re-arm period and the linker's link memory. */
export interface LabFeedSpec {
  mode: LocalAlertMode;
  lab: string;
  labKey: Buffer;
  rearmAfterMs: number;
  /** How long the gate remembers the forum campaign of an account (`scorer.linker.linkTtlMs`). */
  campaignTtlMs: number;
  /** How far above its threshold the forum's single-lab account alert pages once the lab has a model (`scorer.confirmation.oneWindowMargin`). */
  blatantMargin: number;
}

/** The spec of a lab's feed under the detector's scorer settings (the twin and the bridge open theirs so). */
export function labFeedSpec(mode: LocalAlertMode, lab: string, labKey: Buffer, scorer: Pick<ScorerOptions, 'rearmAfterMs' | 'linker' | 'confirmation'>): LabFeedSpec {
  return {
    mode, lab, labKey, rearmAfterMs: scorer.rearmAfterMs, campaignTtlMs: scorer.linker.linkTtlMs ?? DEFAULT_CAMPAIGN_LINKER_OPTIONS.linkTtlMs,
    blatantMargin: scorer.confirmation.oneWindowMargin,
  };
}

/** A lab's feed in its mode: fresh, or as `toJSON` left it. */
export function openLabFeed(spec: LabFeedSpec, state: LabFeedJSON | null = null): LabFeed {
  if (spec.mode === 'immediate') return state ? ImmediateLabFeed.fromJSON(state as ImmediateLabFeedJSON) : new ImmediateLabFeed();
  const { lab, labKey, rearmAfterMs, campaignTtlMs, blatantMargin } = spec;
  return state
    ? LocalAlertGate.fromJSON(lab, labKey, rearmAfterMs, campaignTtlMs, blatantMargin, state as LocalAlertGateJSON)
    : new LocalAlertGate(lab, labKey, rearmAfterMs, campaignTtlMs, blatantMargin);
}
