// Verdicts stay in their lab. The forum receives only a verdict on one of its own alerts, and
// only the decision: which alert, what verdict, from which lab, when. Never the note, the
// analyst, or the accounts in clear (the forum knows the alert's members already, as tokens).
// Pure.

export type VerdictValue = 'benign' | 'distillation' | 'unsure';

/** What a lab's verdict holds that matters here (CONTRACT.md §5; other fields stay in the lab). */
export interface LabVerdict {
  verdict_time: number;
  alert_id?: string | null;
  verdict: VerdictValue;
  analyst?: string | null;
  note?: string | null;
}

/** A verdict as it crosses to the forum. */
export interface ForumVerdict {
  alert_id: string;
  lab: string;
  verdict: VerdictValue;
  verdict_time: number;
}

/**
 * The forum's copy of a lab's verdict, or null when the verdict is not about a forum alert
 * (`isForumAlert` says which alert ids came from the forum): local verdicts never leave the lab.
 */
export function forumVerdictOf(verdict: LabVerdict, lab: string, isForumAlert: (alertId: string) => boolean): ForumVerdict | null {
  if (verdict.alert_id == null || !isForumAlert(verdict.alert_id)) return null;
  return { alert_id: verdict.alert_id, lab, verdict: verdict.verdict, verdict_time: verdict.verdict_time };
}
