// Verdicts stay in their lab. The forum receives only a verdict on one of its own alerts, and
// only the decision: which alert, what verdict, from which lab, when. Never the note, the
// analyst, or the accounts in clear (the forum knows the alert's members already, as tokens).
// The forum turns such a decision back into the scorer's own verdict on the alert's subject
// (ForumVerdictInbox), so it applies it as the central scorer does (verdicts/verdictBook.ts).
// Pure.
import type { AlertVerdict, DistillationAlert } from '../schemas.generated.ts';
import { ExpiringMap } from './expiringMap.ts';

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

/** How long (event time) the forum remembers an alert it raised, or a verdict on an alert it has not raised (yet). */
const REMEMBER_MS = 30 * 86_400_000;

/**
 * The forum's side of verdicts: the alerts it raised, by id, and the verdicts that wait for their
 * alert (a restarted forum reads the verdicts topics before it has scored again). A verdict
 * becomes the scorer's verdict on the alert's subject and members, as the forum named them
 * (pseudonyms): no note, no analyst, no expiry.
 */
export class ForumVerdictInbox {
  /**
   * Alerts raised, until 30 days after their window; verdicts waiting for their alert, until 30
   * days after the latest. Expiring maps: the forum's clock moves with every event of the
   * offline twin, and a sweep over every alert raised in 30 days at each step grew with the
   * alerts (`wide`).
   */
  private readonly raised = new ExpiringMap<string, DistillationAlert>((a) => a.window_end);
  private readonly waiting = new ExpiringMap<string, ForumVerdict[]>((vs) => Math.max(...vs.map((v) => v.verdict_time)));

  /** A lab's verdict: the scorer's verdict at once when the alert is known, else none until it is raised. */
  receive(verdict: ForumVerdict): AlertVerdict[] {
    const alert = this.raised.get(verdict.alert_id);
    if (alert) return [scorerVerdict(verdict, alert)];
    this.waiting.set(verdict.alert_id, [...(this.waiting.get(verdict.alert_id) ?? []), verdict]);
    return [];
  }

  /** Alerts the forum just raised: the verdicts that waited for them. */
  raise(alerts: readonly DistillationAlert[]): AlertVerdict[] {
    const ready: AlertVerdict[] = [];
    for (const a of alerts) {
      this.raised.set(a.alert_id, a);
      for (const v of this.waiting.get(a.alert_id) ?? []) ready.push(scorerVerdict(v, a));
      this.waiting.delete(a.alert_id);
    }
    return ready;
  }

  /** Forgets alerts and waiting verdicts older than 30 days of event time before `scoredThrough`. */
  forget(scoredThrough: number): void {
    this.raised.expire(scoredThrough - REMEMBER_MS);
    this.waiting.expire(scoredThrough - REMEMBER_MS);
  }
}

function scorerVerdict(verdict: ForumVerdict, alert: DistillationAlert): AlertVerdict {
  return {
    verdict_time: verdict.verdict_time, alert_id: alert.alert_id, subject_id: alert.subject_id,
    accounts: alert.accounts.map((a) => ({ ...a })), verdict: verdict.verdict, analyst: null, note: null, expires_at: null,
  };
}
