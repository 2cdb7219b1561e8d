// Subjects are what the scorer judges: every active account, and every campaign (linked
// accounts, possibly across labs) with at least one member active in the window. A campaign's
// row combines its active members' windows, so a swarm of small accounts or a split across labs
// is scored as the one actor it is. Pure: no clock, no I/O.
import type { AccountFeatures, AccountRef, TopicCount } from '../schemas.generated.ts';
import type { Campaign } from '../campaigns/campaignLinker.ts';

export interface Subject {
  kind: 'account' | 'campaign';
  id: string;
  /** Accounts covered, sorted by key. For campaigns: every member, active in this window or not. */
  accounts: AccountRef[];
  /** The account-windows of the members active in this window (one for an account). */
  windows: AccountFeatures[];
  /** Combined behaviour features by name. */
  features: Record<string, number>;
  topics: TopicCount[];
  spendWindow: number;
  /** Largest single-lab 30-day spend among the subject's accounts (what a per-lab rule sees). */
  spend30dOneLab: number;
  /** Linked 30-day spend across all labs. */
  spend30dAllLabs: number;
  /** Distinct labs of the subject's accounts. */
  labs: number;
}

/**
 * How a feature of several accounts combines into the campaign's value. Features named
 * `*_log` are log1p of an additive quantity and add up; shares and ratios average by events;
 * the rest take the largest member value.
 */
export type Combine = 'sumLog' | 'meanByEvents' | 'max';

export function combineModeOf(feature: string): Combine {
  if (feature === 'peak_rpm_log' || feature === 'max_tokens_log') return 'max';
  if (feature.endsWith('_log')) return 'sumLog';
  return 'meanByEvents';
}

export function accountKeyOf(r: Pick<AccountFeatures, 'lab' | 'account_id'>): string {
  return `${r.lab}/${r.account_id}`;
}

function refOf(key: string): AccountRef {
  const slash = key.indexOf('/');
  return { lab: key.slice(0, slash), account_id: key.slice(slash + 1) };
}

function mergeTopics(windows: readonly AccountFeatures[]): TopicCount[] {
  const counts = new Map<string, number>();
  for (const w of windows) for (const t of w.topics) counts.set(t.topic, (counts.get(t.topic) ?? 0) + t.count);
  return [...counts].map(([topic, count]) => ({ topic, count }))
    .sort((a, b) => b.count - a.count || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

/** Combined feature map of several account-windows (see `Combine`). */
export function combineFeatures(windows: readonly AccountFeatures[]): Record<string, number> {
  if (windows.length === 1) return { ...windows[0]!.features };
  const out: Record<string, number> = {};
  const names = Object.keys(windows[0]!.features);
  const events = windows.reduce((s, w) => s + w.events, 0) || 1;
  for (const name of names) {
    const mode = combineModeOf(name);
    let acc = mode === 'max' ? -Infinity : 0;
    for (const w of windows) {
      const v = w.features[name] ?? 0;
      if (mode === 'sumLog') acc += Math.expm1(v);
      else if (mode === 'max') acc = Math.max(acc, v);
      else acc += v * w.events;
    }
    out[name] = mode === 'sumLog' ? Math.log1p(acc) : mode === 'max' ? acc : acc / events;
  }
  return out;
}

/**
 * Builds the window's subjects: one per account-window, plus one per campaign with an active
 * member. `spend30d` gives the latest known 30-day spend of any linked account (also of members
 * not active in this window). Output order: accounts by key, then campaigns by id.
 */
export function buildSubjects(
  records: readonly AccountFeatures[],
  campaigns: readonly Campaign[],
  spend30d: (accountKey: string) => number,
): Subject[] {
  const byKey = new Map(records.map((r) => [accountKeyOf(r), r]));
  const campaignOf = new Map<string, Campaign>();
  for (const c of campaigns) for (const m of c.members) campaignOf.set(m, c);
  const linkedSpend = (c: Campaign | undefined, own: string) => {
    if (!c) return { oneLab: spend30d(own), allLabs: spend30d(own) };
    const perLab = new Map<string, number>();
    let all = 0;
    for (const m of c.members) {
      const s = spend30d(m);
      all += s;
      const lab = refOf(m).lab;
      perLab.set(lab, (perLab.get(lab) ?? 0) + s);
    }
    return { oneLab: Math.max(...perLab.values()), allLabs: all };
  };
  const subjects: Subject[] = [];
  const sortedKeys = [...byKey.keys()].sort();
  for (const k of sortedKeys) {
    const r = byKey.get(k)!;
    const c = campaignOf.get(k);
    const spend = linkedSpend(c, k);
    subjects.push({
      kind: 'account', id: k, accounts: [refOf(k)], windows: [r], features: { ...r.features },
      topics: r.topics, spendWindow: r.spend_usd_window, spend30dOneLab: spend30d(k),
      spend30dAllLabs: spend.allLabs, labs: 1,
    });
  }
  for (const c of campaigns) {
    const windows = c.members.map((m) => byKey.get(m)).filter((w): w is AccountFeatures => w !== undefined);
    if (windows.length === 0) continue;
    const spend = linkedSpend(c, c.members[0]!);
    subjects.push({
      kind: 'campaign', id: c.id, accounts: c.members.map(refOf), windows,
      features: combineFeatures(windows), topics: mergeTopics(windows),
      spendWindow: windows.reduce((s, w) => s + w.spend_usd_window, 0),
      spend30dOneLab: spend.oneLab, spend30dAllLabs: spend.allLabs,
      labs: new Set(c.members.map((m) => refOf(m).lab)).size,
    });
  }
  return subjects;
}

/** The population topic mix of a window: every account's topics added up. */
export function populationTopics(records: readonly AccountFeatures[]): TopicCount[] {
  return mergeTopics(records);
}
