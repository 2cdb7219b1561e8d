// The ground truth of a simulated run, written next to its events: who every account really
// is (archetype, campaign or none, owning entity) and what every campaign is (archetype,
// members, start, how its members are linked). `evaluate` scores alerts against it.
// Format `distillwatch-labels/1`: one JSON document, documented in the simulate command's help.
import type { AccountRef } from '@distillwatch/core';
import type { CampaignLink } from './campaigns.ts';
import { ALLOWED_LATENESS_MS, type Simulation } from './simulation.ts';

export const LABELS_FORMAT = 'distillwatch-labels/1';

export interface AccountLabel {
  lab: string;
  account_id: string;
  kind: 'benign' | 'campaign';
  /**
   * What kind of account: this simulator writes an `Archetype`; labels from another traffic
   * model (e.g. the held-out one, names prefixed `ho_`) carry their own names, so readers take
   * any string.
   */
  archetype: string;
  /** The campaign this account belongs to; null for benign accounts. */
  campaign_id: string | null;
  /** The real-world owner: a person, a company (several accounts), or the campaign. */
  entity: string;
  /** Distinct events the account sent (duplicates not counted). */
  events: number;
  spend_usd: number;
  /** Epoch ms; null when the account sent nothing. */
  first_event_time: number | null;
  last_event_time: number | null;
}

export interface CampaignLabel {
  campaign_id: string;
  /** A `CampaignArchetype` from this simulator, any name from another traffic model. */
  archetype: string;
  /** How a detector could tie the members together. */
  link: CampaignLink;
  /** Scheduled start, epoch ms. */
  start_time: number;
  /** First event of any member, epoch ms (time to detect is measured from here). */
  first_event_time: number | null;
  labs: string[];
  accounts: AccountRef[];
  events: number;
  spend_usd: number;
}

export interface Labels {
  format: typeof LABELS_FORMAT;
  scenario: string;
  seed: number;
  start_time: number;
  end_time: number;
  /** The events file, relative to the labels file's folder; null when written to stdout. */
  events_file: string | null;
  allowed_lateness_ms: number;
  totals: {
    lines: number;
    events: number;
    duplicates: number;
    delayed_within_lateness: number;
    delayed_beyond_lateness: number;
    accounts: number;
    campaign_accounts: number;
    campaigns: number;
  };
  campaigns: CampaignLabel[];
  accounts: AccountLabel[];
}

const cents = (x: number): number => Math.round(x * 100) / 100;

/** Labels of a finished simulation (call after its event stream is exhausted). */
export function labelsOf(sim: Simulation, eventsFile: string | null): Labels {
  const pop = sim.population;
  const accounts: AccountLabel[] = sim.actors.map((actor) => {
    const s = actor.spec;
    const t = sim.tallies[actor.index]!;
    return {
      lab: s.identity.lab,
      account_id: s.identity.account_id,
      kind: s.campaignId === null ? 'benign' : 'campaign',
      archetype: s.archetype,
      campaign_id: s.campaignId,
      entity: s.entity,
      events: t.events,
      spend_usd: cents(t.spendUsd),
      first_event_time: t.events > 0 ? t.firstEventTime : null,
      last_event_time: t.events > 0 ? t.lastEventTime : null,
    };
  });
  accounts.sort((a, b) => (a.lab < b.lab ? -1 : a.lab > b.lab ? 1 : a.account_id < b.account_id ? -1 : a.account_id > b.account_id ? 1 : 0));
  const campaigns: CampaignLabel[] = pop.campaigns.map((c) => {
    const members = accounts.filter((a) => a.campaign_id === c.campaign_id);
    const firsts = members.map((m) => m.first_event_time).filter((x): x is number => x !== null);
    return {
      campaign_id: c.campaign_id,
      archetype: c.archetype,
      link: c.link,
      start_time: c.start,
      first_event_time: firsts.length > 0 ? Math.min(...firsts) : null,
      labs: [...new Set(members.map((m) => m.lab))].sort(),
      accounts: members.map((m) => ({ lab: m.lab, account_id: m.account_id })),
      events: members.reduce((n, m) => n + m.events, 0),
      spend_usd: cents(members.reduce((n, m) => n + m.spend_usd, 0)),
    };
  });
  campaigns.sort((a, b) => (a.campaign_id < b.campaign_id ? -1 : 1));
  const d = sim.delivery;
  return {
    format: LABELS_FORMAT,
    scenario: pop.scenario,
    seed: pop.seed,
    start_time: pop.start,
    end_time: pop.end,
    events_file: eventsFile,
    allowed_lateness_ms: ALLOWED_LATENESS_MS,
    totals: {
      lines: d.lines,
      events: d.events,
      duplicates: d.duplicates,
      delayed_within_lateness: d.delayedWithinLateness,
      delayed_beyond_lateness: d.delayedBeyondLateness,
      accounts: accounts.length,
      campaign_accounts: accounts.filter((a) => a.kind === 'campaign').length,
      campaigns: campaigns.length,
    },
    campaigns,
    accounts,
  };
}
