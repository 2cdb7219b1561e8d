/**
 * A campaign's scoring row. Volume adds up over a campaign's accounts (extensive features:
 * counts, tokens, topics), so the combined row sums it; a share or a per-request quantity
 * (intensive features) does not, and the combined row averages it. An average lets a
 * coordinated actor look less like a harvester than its own strongest account: a swarm's
 * mean sits in the middle of its members' spread, where twenty look-alike rows make the
 * population dense, while its most suspicious member stands out. So on every intensive feature
 * the campaign's value moves, by the scorer's `campaignStrongestMember` weight, from its combined
 * value toward the more suspicious of that and its most suspicious active member's (each
 * member's value already shrunk by its own request count: one request is no 100 % share).
 * Extensive features and the topic mix stay combined.
 *
 * Only for a campaign whose accounts pay apart yet share a network (`judgedByStrongestMember`):
 * one operator behind many payers. A customer that pays for several accounts with one card has
 * said it is one, and its accounts each do their own job (one team codes, one researches), so
 * borrowing each one's strongest habit would draw a harvester nobody is: measured at weight 1
 * without this guard, benign companies on one card were paged on `default` seeds 7 and 23. A
 * shared phrasing (the template link) or a shared schedule is also what a segment's accounts
 * share: with the guard on payment alone, 18 deep researchers linked by template on one lab
 * were paged on `wide` seed 7 (README, "On populations").
 *
 * The other way round, a campaign that no link shows to be one operator (no card, no network
 * pair held alone or arrived on together, no hand-over) is held to its members' own scores
 * (`capWeakCampaigns`): many narrow customers joined by phrasing or a cloud range look broad
 * together without being one actor.
 *
 * Pure: reads rows built by the scorer, never a clock or a label; must never change a row it is
 * given.
 */
import type { Feature } from '../features/feature.ts';
import { combineFacetScores } from './facetForest.ts';
import type { LinkKind } from '../campaigns/campaignLinker.ts';
import { accountKeyOf, type Subject } from './subjects.ts';

/** A feature that does not add up over accounts (a share, a mean, a maximum, a per-request quantity). */
export function isIntensive(f: Feature): boolean {
  return f.kind === 'account' ? f.combine !== 'sum' : f.intensive === true;
}

/**
 * A campaign of accounts that pay apart and are linked by a network pair they hold alone or
 * arrived on together (never an account). Suspects that merely keep company on a shared egress
 * (the `egress` link) are not enough: on `wide` seed 23 three tutoring apps on one cloud range,
 * each with its own card and there from the first hour, were paged as their strongest member.
 */
export function judgedByStrongestMember(s: Pick<Subject, 'linkKinds'>): boolean {
  return s.linkKinds.includes('network') && !s.linkKinds.includes('payment');
}

/** Links that show one operator: a shared card, a network its accounts hold alone or arrived on together, a hand-over or a chain of them. */
const ONE_OPERATOR_LINKS: readonly LinkKind[] = ['payment', 'network', 'handover', 'chain'];

/**
 * Whether a campaign's combined row may count: only when a link shows one operator. Accounts
 * joined only by weaker evidence (phrasing, schedule, complementary topics, company on a shared
 * egress) are grouped for the on-call, yet independent narrow customers look broad together, so
 * such a campaign is never more suspicious than its strongest member on its own (`capWeakCampaigns`).
 */
export function heldByOneOperator(s: Pick<Subject, 'kind' | 'linkKinds'>): boolean {
  return s.kind === 'account' || s.linkKinds.some((k) => ONE_OPERATOR_LINKS.includes(k));
}

/**
 * The subjects' scores with every campaign not `heldByOneOperator` held to the score of its
 * `members`-th strongest member active in the window (`scores[i]` is subject i's; every active
 * member has its own account subject), 0 when fewer are active. With 1 such a campaign is never
 * more suspicious than its strongest member; with 2 it alerts only while two of its members are
 * above the threshold on their own, so one alerting deep researcher does not page the nine others
 * a segment's phrasing chained to it. Returns `scores` itself when no score moves.
 */
export function capWeakCampaigns(subjects: readonly Subject[], scores: readonly number[], members: number): readonly number[] {
  let out: number[] | null = null;
  let accountScore: Map<string, number> | null = null;
  subjects.forEach((s, i) => {
    if (heldByOneOperator(s)) return;
    accountScore ??= new Map(subjects.flatMap((a, k) => (a.kind === 'account' ? [[a.id, scores[k]!] as const] : [])));
    const own = s.windows.map((w) => accountScore!.get(accountKeyOf(w))!).sort((a, b) => b - a);
    const cap = own[members - 1] ?? 0;
    if (cap < scores[i]!) (out ??= [...scores])[i] = cap;
  });
  return out ?? scores;
}

/**
 * The rows to score: `rows[i]` is subject i's row over `scored` (the forests' columns). An
 * account's row, and a campaign's not judged by its strongest member, are returned as they are;
 * any other campaign's is a copy moved by `weight` (in [0, 1]), on each intensive column, toward
 * its most suspicious active member's value (that member's own account row) where that is more
 * suspicious. Weight 0 returns `rows` itself.
 */
export function campaignRows(subjects: readonly Subject[], rows: readonly Float64Array[], scored: readonly Feature[],
  weight: number): readonly Float64Array[] {
  if (weight === 0) return rows;
  const accountRow = new Map<string, Float64Array>();
  subjects.forEach((s, i) => { if (s.kind === 'account') accountRow.set(s.id, rows[i]!); });
  const intensive = scored.flatMap((f, k) => (isIntensive(f) ? [{ k, high: f.role?.suspicious !== 'low' }] : []));
  return subjects.map((s, i) => {
    if (!judgedByStrongestMember(s)) return rows[i]!;
    const combined = rows[i]!;
    const row = Float64Array.from(combined);
    for (const w of s.windows) {
      const member = accountRow.get(accountKeyOf(w))!;
      for (const { k, high } of intensive) row[k] = high ? Math.max(row[k]!, member[k]!) : Math.min(row[k]!, member[k]!);
    }
    for (const { k } of intensive) row[k] = combined[k]! + weight * (row[k]! - combined[k]!);
    return row;
  });
}

/**
 * The subjects' scores with every campaign held by a hand-over chain (the `chain` link: throwaway
 * accounts handing over to one another, campaigns/handoverChain.ts) scored without its `spared`
 * weakest facets, where that is higher. Each facet asks one behaviour to be unusual; a chain shows
 * a behaviour no account's own row holds: an operator spreading one sweep over throwaway
 * accounts, so that each looks like an ordinary customer for a few hours. On `wide` seed 11 a
 * churning campaign's accounts were each held under the threshold by one facet (elicitation
 * 0.548, no reasoning asked) while harvest and coverage were unusual. `facetScores[i]` is subject
 * i's. Returns `scores` itself when no score moves.
 */
export function liftChainCampaigns(subjects: readonly Subject[], facetScores: ReadonlyArray<readonly number[]>,
  scores: readonly number[], spared: number): readonly number[] {
  let out: number[] | null = null;
  subjects.forEach((s, i) => {
    const facets = facetScores[i]!;
    if (spared === 0 || !s.linkKinds.includes('chain') || facets.length <= spared) return;
    const lifted = combineFacetScores([...facets].sort((a, b) => b - a).slice(0, facets.length - spared));
    if (lifted > scores[i]!) (out ??= [...scores])[i] = lifted;
  });
  return out ?? scores;
}
