// Whether the lab's scorer bypasses its bridge. A scorer run without `--federated` beside a
// bridge writes its local alerts straight into distillation-alerts: the bridge's feed never sees
// them, so they are shown ungated (never confirmed by the forum, in either local-alert mode), and
// the feed, waiting for the scorer's scored markers, shows none of its own. Every alert the
// bridge writes names its `source` (local or forum); one without was written by such a scorer.
// The bridge watches distillation-alerts from where it starts and reports the first such alert,
// and counts them. Pure: it reads no topic itself.
/** What the bridge logs, as an error, at the first alert of a scorer run without `--federated`. */
export const SCORER_BYPASS_MESSAGE = "the lab's scorer writes its alerts to distillation-alerts itself: it runs without --federated, "
  + "so its local alerts bypass the bridge (never gated by the forum's confirmations); restart it with --federated";

export class ScorerBypassCheck {
  #alerts = 0;

  /** Alerts seen so far that the bridge did not write. */
  get alerts(): number { return this.#alerts; }

  /** One alert read from distillation-alerts (as the lab-alert schema decodes it: `source` null when its writer had none); true when it is the first one the bridge did not write (say so once). */
  observe(alert: { source?: string | null }): boolean {
    if (alert.source === 'local' || alert.source === 'forum') return false;
    this.#alerts++;
    return this.#alerts === 1;
  }
}
