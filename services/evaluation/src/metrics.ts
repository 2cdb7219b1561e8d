// The numbers `evaluate` reports for one detector (or baseline rule) against the labels:
// campaign recall (a campaign is caught when any flag covers any of its member accounts),
// member-account recall, benign accounts flagged, flag precision, pages per day, time to
// detect; per archetype for whatever archetype names the labels hold (this simulator's, or
// another traffic model's). Only accounts that sent at least one event count. Pure and
// deterministic.
import type { AccountLabel, Labels } from '@distillwatch/simulator';
import type { Flag } from './inputs.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Ratio {
  /** Numerator. */
  hits: number;
  /** Denominator. */
  of: number;
  /** hits / of, null when `of` is 0. */
  rate: number | null;
}

export interface CampaignOutcome {
  campaign_id: string;
  archetype: string;
  members: number;
  members_flagged: number;
  caught: boolean;
  /** Earliest flag time covering a member (epoch ms), null when missed. */
  first_flag_time: number | null;
  /** From the campaign's first event to that flag, hours (>= 0); null when missed. */
  time_to_detect_hours: number | null;
}

export interface Metrics {
  flags: number;
  campaign_recall: Ratio;
  campaign_recall_by_archetype: Record<string, Ratio>;
  member_account_recall: Ratio;
  member_account_recall_by_archetype: Record<string, Ratio>;
  benign_flagged: Ratio;
  benign_flagged_by_archetype: Record<string, Ratio>;
  /** Flags covering at least one campaign member / all flags. */
  precision: Ratio;
  /** Flags per day of data (the labels' time range): what an on-call rota is paged. */
  pages_per_day: number | null;
  /** Over caught campaigns; nearest-rank percentiles. */
  time_to_detect_hours: { median: number | null; p90: number | null; caught: number };
  /** Flagged accounts that are not in the labels (counted, not scored). */
  unlabelled_accounts: number;
  campaigns: CampaignOutcome[];
}

export function ratio(hits: number, of: number): Ratio {
  return { hits, of, rate: of === 0 ? null : round(hits / of) };
}

/** Nearest-rank percentile (p in (0, 1]) of values; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const key = (lab: string, accountId: string): string => `${lab}/${accountId}`;

export function computeMetrics(labels: Labels, flags: readonly Flag[]): Metrics {
  const active = labels.accounts.filter((a) => a.events > 0);
  const byKey = new Map(active.map((a) => [key(a.lab, a.account_id), a]));
  const { firstFlag, unlabelled, precise } = readFlags(labels, byKey, flags);
  const campaigns = campaignOutcomes(labels, byKey, firstFlag);
  const memberAccounts = active.filter((a) => a.kind === 'campaign');
  const benign = active.filter((a) => a.kind === 'benign');
  const flagged = (a: { lab: string; account_id: string }): boolean => firstFlag.has(key(a.lab, a.account_id));
  const ttd = campaigns.map((c) => c.time_to_detect_hours).filter((h): h is number => h !== null);
  return {
    flags: flags.length,
    campaign_recall: ratio(campaigns.filter((c) => c.caught).length, campaigns.length),
    campaign_recall_by_archetype: byArchetype(campaigns, (c) => c.archetype, (c) => c.caught),
    member_account_recall: ratio(memberAccounts.filter(flagged).length, memberAccounts.length),
    member_account_recall_by_archetype: byArchetype(memberAccounts, (a) => a.archetype, flagged),
    benign_flagged: ratio(benign.filter(flagged).length, benign.length),
    benign_flagged_by_archetype: byArchetype(benign, (a) => a.archetype, flagged),
    precision: ratio(precise, flags.length),
    pages_per_day: labels.end_time > labels.start_time ? round(flags.length / ((labels.end_time - labels.start_time) / DAY)) : null,
    time_to_detect_hours: { median: percentile(ttd, 0.5), p90: percentile(ttd, 0.9), caught: ttd.length },
    unlabelled_accounts: unlabelled.size,
    campaigns,
  };
}

/**
 * What the flags say per account: the earliest flag time of each flagged account, the flagged
 * accounts the labels do not know, and how many flags cover at least one campaign member.
 */
function readFlags(labels: Labels, byKey: ReadonlyMap<string, AccountLabel>, flags: readonly Flag[]) {
  const allLabelled = new Set(labels.accounts.map((a) => key(a.lab, a.account_id)));
  const firstFlag = new Map<string, number>();
  const unlabelled = new Set<string>();
  let precise = 0;
  for (const flag of flags) {
    let coversMember = false;
    for (const ref of flag.accounts) {
      const k = key(ref.lab, ref.account_id);
      if (!allLabelled.has(k)) unlabelled.add(k);
      if (byKey.get(k)?.kind === 'campaign') coversMember = true;
      const seen = firstFlag.get(k);
      if (seen === undefined || flag.time < seen) firstFlag.set(k, flag.time);
    }
    if (coversMember) precise++;
  }
  return { firstFlag, unlabelled, precise };
}

/** One outcome per campaign with an active member, in the labels' order. */
function campaignOutcomes(labels: Labels, byKey: ReadonlyMap<string, AccountLabel>, firstFlag: ReadonlyMap<string, number>): CampaignOutcome[] {
  const campaigns: CampaignOutcome[] = [];
  for (const c of labels.campaigns) {
    const members = c.accounts.map((a) => key(a.lab, a.account_id)).filter((k) => byKey.has(k));
    if (members.length === 0 || c.first_event_time === null) continue;
    const times = members.map((k) => firstFlag.get(k)).filter((t): t is number => t !== undefined);
    const first = times.length > 0 ? Math.min(...times) : null;
    campaigns.push({
      campaign_id: c.campaign_id,
      archetype: c.archetype,
      members: members.length,
      members_flagged: times.length,
      caught: first !== null,
      first_flag_time: first,
      time_to_detect_hours: first === null ? null : round(Math.max(0, first - c.first_event_time) / HOUR),
    });
  }
  return campaigns;
}

/** The ratio of `hit` items within each archetype, archetypes in name order. */
function byArchetype<T>(items: readonly T[], archetypeOf: (x: T) => string, hit: (x: T) => boolean): Record<string, Ratio> {
  const out: Record<string, Ratio> = {};
  const names = [...new Set(items.map(archetypeOf))].sort();
  for (const name of names) {
    const group = items.filter((x) => archetypeOf(x) === name);
    out[name] = ratio(group.filter(hit).length, group.length);
  }
  return out;
}

export interface CurvePoint {
  /** Flags with score >= threshold are kept. */
  threshold: number;
  flags: number;
  campaign_recall: number | null;
  member_account_recall: number | null;
  benign_flag_rate: number | null;
}

/**
 * Recall against benign-flag rate as the score threshold sweeps over the flags' own scores
 * (each distinct score once, highest first): the detector's operating curve.
 */
export function operatingCurve(labels: Labels, flags: readonly Flag[], maxPoints = 200): CurvePoint[] {
  const distinct = [...new Set(flags.map((f) => f.score))].sort((a, b) => b - a);
  // Many distinct scores: keep evenly spaced ranks (always the lowest, so the last point is all flags).
  const thresholds = distinct.length <= maxPoints
    ? distinct
    : [...new Set(Array.from({ length: maxPoints }, (_, i) => distinct[Math.round((i * (distinct.length - 1)) / (maxPoints - 1))]!))];
  return thresholds.map((threshold) => {
    const kept = flags.filter((f) => f.score >= threshold);
    const m = computeMetrics(labels, kept);
    return {
      threshold,
      flags: kept.length,
      campaign_recall: m.campaign_recall.rate,
      member_account_recall: m.member_account_recall.rate,
      benign_flag_rate: m.benign_flagged.rate,
    };
  });
}
