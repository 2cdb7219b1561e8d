// Subjects are what the scorer judges: every active account, and every campaign (linked
// accounts, possibly across labs) with at least one member active in the window. A campaign's
// row combines its active members' windows, so a swarm of small accounts or a split across labs
// is scored as the one actor it is. Pure: no clock, no I/O.
import type { AccountFeatures, AccountRef, TopicCount } from '../schemas.generated.ts';
import { BEHAVIOUR_LINK_KINDS, type Campaign, type LinkKind, type ShapeFeature } from '../campaigns/campaignLinker.ts';
import { REGISTRY, type FeatureRegistry } from '../features/registry.ts';
import type { FeatureScale } from '../features/feature.ts';

export interface Subject {
  kind: 'account' | 'campaign';
  id: string;
  /** Accounts covered, sorted by key. For campaigns: every member, active in this window or not. */
  accounts: AccountRef[];
  /** The account-windows of the members active in this window (one for an account). */
  windows: AccountFeatures[];
  /** Combined account features by name (see combineFeatures). */
  features: Readonly<Record<string, number>>;
  topics: TopicCount[];
  spendWindow: number;
  /** Largest single-lab 30-day spend among the subject's accounts (what a per-lab rule sees). */
  spend30dOneLab: number;
  /** Linked 30-day spend across all labs. */
  spend30dAllLabs: number;
  /** Distinct labs of the subject's accounts. */
  labs: number;
  /** A campaign's links that rest on behaviour alone, with the members each links (none for an account). */
  behaviourLinks: Array<{ kind: LinkKind; members: number }>;
  /** Kinds of evidence that hold a campaign together, sorted (none for an account). */
  linkKinds: LinkKind[];
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

/** Combined feature map of several account-windows, each feature by its registered combine mode. */
export function combineFeatures(windows: readonly AccountFeatures[]): Record<string, number> {
  if (windows.length === 1) return { ...windows[0]!.features };
  const out: Record<string, number> = {};
  const events = windows.reduce((s, w) => s + w.events, 0) || 1;
  for (const f of REGISTRY.account) {
    const values = windows.map((w) => valueOf(w, f.name));
    // A breadth seen only where a lab shows it: one member's unseen breadth (another lab, no text)
    // may hold the rest of the campaign's, so the campaign's is not observed (0) either.
    if (f.role?.rankedAmongObserved && values.includes(0)) { out[f.name] = 0; continue; }
    out[f.name] = f.combine === 'sum' ? Math.log1p(values.reduce((acc, v) => acc + Math.expm1(v), 0))
      : f.combine === 'max' ? Math.max(...values)
        : values.reduce((acc, v, i) => acc + v * windows[i]!.events, 0) / events;
  }
  return out;
}

/** A registered feature of a record: a record without it belongs to another feature set. */
export function valueOf(record: AccountFeatures, name: string): number {
  const value = record.features[name];
  if (value === undefined) throw new MissingFeatureError(name, record);
  return value;
}

/** An AccountFeatures record that lacks a registered feature (written by another feature set). */
export class MissingFeatureError extends Error {
  readonly feature: string;
  constructor(feature: string, record: Pick<AccountFeatures, 'lab' | 'account_id' | 'window_end'>) {
    super(`account-window ${record.lab}/${record.account_id}@${record.window_end} has no feature "${feature}" (written by another feature set)`);
    this.name = 'MissingFeatureError';
    this.feature = feature;
  }
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
      // The record's own strings and feature map, not copies: a window at the hour close holds
      // every account's subject at once, and the scorer only reads them.
      kind: 'account', id: k, accounts: [{ lab: r.lab, account_id: r.account_id }], windows: [r], features: r.features,
      topics: r.topics, spendWindow: r.spend_usd_window, spend30dOneLab: spend30d(k),
      spend30dAllLabs: spend.allLabs, labs: 1, behaviourLinks: [], linkKinds: [],
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
      behaviourLinks: c.linkKinds.flatMap((kind, i) => (BEHAVIOUR_LINK_KINDS.includes(kind) ? [{ kind, members: c.linkedMembers[i]! }] : [])),
      linkKinds: c.linkKinds,
    });
  }
  return subjects;
}

/** The population topic mix of a window: every account's topics added up. */
export function populationTopics(records: readonly AccountFeatures[]): TopicCount[] {
  return mergeTopics(records);
}

/**
 * Tolerance of a shape value by its scale: a share or a unit value within 0.25, a log1p value
 * within 0.5 (a factor of about 1.6), a raw count within 1. Sampling noise of an hour of one
 * script's requests stays inside these; different clients' defaults mostly do not.
 */
const SHAPE_TOLERANCE: Readonly<Record<FeatureScale, number>> = { share: 0.25, unit: 0.25, log1p: 0.5, raw: 1 };

/**
 * The request shape the linker compares between accounts (campaigns/handover.ts): the account
 * features of the elicitation facet, i.e. how a client asks (reasoning, effort, token limits,
 * samples), which a script sets once for every account it drives, whatever it asks about.
 */
export function requestShapeOf(registry: FeatureRegistry): ShapeFeature[] {
  return registry.account.filter((f) => f.role?.facet === 'elicitation').map((f) => ({ name: f.name, tolerance: SHAPE_TOLERANCE[f.doc.scale] }));
}
