// The ground truth written next to the events, in the `distillwatch-labels/1` format that
// `distillwatch evaluate --labels` reads: every account with its kind, archetype, campaign and
// spend, every campaign with its members, and totals of what the file holds.
// It must never describe an account that sent no event.
export const LABELS_FORMAT = 'distillwatch-labels/1';

export interface AccountLabel {
  // who the account is
  lab: string; account_id: string; kind: 'benign' | 'campaign'; archetype: string; campaign_id: string | null; entity: string;
  // what it sent
  events: number; spend_usd: number; first_event_time: number; last_event_time: number;
}

export interface CampaignLabel {
  campaign_id: string; archetype: string; link: string; start_time: number; first_event_time: number;
  labs: string[]; accounts: { lab: string; account_id: string }[]; events: number; spend_usd: number;
}

export interface Totals {
  lines: number; events: number; duplicates: number; delayed_within_lateness: number; delayed_beyond_lateness: number;
  accounts: number; campaign_accounts: number; campaigns: number;
}

export interface Labels {
  format: typeof LABELS_FORMAT; scenario: 'heldout'; seed: number;
  start_time: number; end_time: number; events_file: string; allowed_lateness_ms: number;
  totals: Totals; campaigns: CampaignLabel[]; accounts: AccountLabel[];
}

export const ALLOWED_LATENESS_MS = 120_000;

/** Dollars rounded to the cent-hundredth, so sums of many small costs read cleanly. */
export const dollars = (x: number): number => Math.round(x * 10_000) / 10_000;
