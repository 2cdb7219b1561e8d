// A lab's view of an alert (CONTRACT.md §6): the alert fields of §3, plus `recipient_lab`,
// `linked_accounts` and `source` (local or forum). `accounts` lists only the recipient's own
// accounts, in clear; members at other labs appear only as `{lab, token}`, the pseudonym under
// that member's own lab key, which the recipient can neither resolve nor compute. Pure.
import type { AccountRef, DistillationAlert } from '../schemas.generated.ts';

export interface LinkedAccount {
  lab: string;
  /** Pseudonym under the member's own lab key: only that lab resolves it. */
  token: string;
}

export interface LabAlert extends DistillationAlert {
  recipient_lab: string;
  linked_accounts: LinkedAccount[];
  /** Who raised it: the lab's own detection, or the forum (only forum alerts' verdicts go back to it). */
  source: 'local' | 'forum';
}

/** A lab's own local alert, as it appears in its feed. */
export function localLabAlert(alert: DistillationAlert, lab: string): LabAlert {
  return { ...alert, recipient_lab: lab, linked_accounts: [], source: 'local' };
}

/**
 * A forum alert (accounts as `{lab, pseudonym}`) as `lab` receives it: its own pseudonyms
 * resolved with `resolve`, every other lab's members left as tokens.
 */
export function forumAlertForLab(alert: DistillationAlert, lab: string, resolve: (pseudonym: string) => string): LabAlert {
  const accounts: AccountRef[] = [];
  const linked: LinkedAccount[] = [];
  for (const a of alert.accounts) {
    if (a.lab === lab) accounts.push({ lab, account_id: resolve(a.account_id) });
    else linked.push({ lab: a.lab, token: a.account_id });
  }
  accounts.sort((x, y) => cmp(x.account_id, y.account_id));
  const subjectId = alert.subject_kind === 'account' ? `${lab}/${accounts[0]!.account_id}` : alert.subject_id;
  return { ...alert, subject_id: subjectId, accounts, recipient_lab: lab, linked_accounts: linked, source: 'forum' };
}

/** The labs an alert involves (each receives it once), sorted. */
export function labsOf(alert: Pick<DistillationAlert, 'accounts'>): string[] {
  return [...new Set(alert.accounts.map((a) => a.lab))].sort();
}

/** The feed order of CONTRACT.md §6: window_end, then alert_id, then recipient_lab. */
export function compareLabAlerts(a: LabAlert, b: LabAlert): number {
  return a.window_end - b.window_end || cmp(a.alert_id, b.alert_id) || cmp(a.recipient_lab, b.recipient_lab);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
