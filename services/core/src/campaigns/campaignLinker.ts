// CampaignLinker: groups accounts (possibly at different labs) that act as one actor.
//
// Three kinds of evidence link two accounts, each seen in a closed account-window:
//   - payment: they share a payment fingerprint (labs that share one key see the same value);
//   - network: they share an `ip_prefix|user_agent` pair and were active on it together in at
//     least `minNetworkWindows` windows, which are most (`minNetworkCompany`) of the windows
//     *each* of them spent there: a cloud egress prefix and a common client are shared by
//     unrelated tenants who meet there now and then (two teams' nightly jobs, a busy NAT where
//     someone is always about); a swarm's accounts are there together window after window.
//     Co-activity is counted per pair of accounts, and only in windows where at most
//     `maxPairFanout` accounts are on the pair (a crowd is no evidence of who works with whom);
//     A pair that more than `networkSharedAccounts` accounts have used is shared infrastructure
//     (a cloud's egress, a carrier NAT): tenants who behave ordinarily keep company there by the
//     dozen without being one actor. There, company links only accounts that are each suspects
//     (above the threshold on their own, suspectBook.ts), or that arrived on the pair together
//     (first seen there within `coArrivalMs` of each other, after the linker's first
//     `incumbencyMs`, before which nobody's arrival is known): a swarm starts at once,
//     tenants arrive one by one;
//   - egress: two suspects keeping company on shared infrastructure that did not arrive there
//     together. They may be one operator's accounts, or unusual tenants of one cloud range (three
//     tutoring apps, each with its own card, there from the first hour): the link groups them
//     for the on-call, but it is no evidence that they are one actor (campaignRow.ts);
//   - template: their prompt-template sketches are near-identical (Jaccard >= templateJaccard)
//     while their topic mixes are complementary (overlap <= maxTopicOverlap): one scaffold,
//     different slices of the coverage sweep, shown by labelled topics on at least one side
//     (SimHash regions are no domains). Template entries that more than
//     `commonTemplateAccounts` accounts used lately are a customer segment's phrasing, not an
//     operator's scaffold, and are left out (templatePrevalence.ts);
//   - handover: a suspect that arrives as another suspect with the same request shape falls
//     silent (handover.ts): one operator replacing a burnt account;
//   - schedule: two suspects switch on and off in the same hours, day after day, beyond chance
//     given how many accounts share the pattern (activitySchedule.ts): one scheduler;
//   - coverage: two suspects each work a narrow, disjoint slice of labelled topics, asking the
//     same way in the same hours (coverageShards.ts): one sweep sharded across accounts or labs;
//   - chain: accounts new on the stream, suspects or not, that hand over to one another with the
//     same request shape `minChainHandovers` times in a row (handoverChain.ts): a churning
//     operator whose throwaway accounts are each too ordinary to be suspects.
// Linked accounts form connected components; a component of two or more accounts is a campaign.
// A link is remembered for `linkTtlMs` of event time after it was last seen, so a campaign keeps
// its members while they rotate. The campaign id comes from its earliest-linked member, so it
// stays the same as the campaign gains members and when two campaigns merge (the older id wins).
//
// The scorer tells the linker which accounts scored above the threshold after each window
// (`observeSuspects`); the suspect-only links then apply from the next window on.
// Linking alone never raises an alert: a company that uses several labs with one card becomes a
// campaign, and the scorer judges the campaign's combined behaviour like any other subject.
// This module is pure: no clock, no I/O; windows must be fed in window_end order.
import type { AccountFeatures } from '../schemas.generated.ts';
import { fnv1a64Hex } from './hash.ts';
import { SIMHASH_REGION_PREFIX, SuspectBook, type SuspectRow, type SuspectRowV3 } from './suspectBook.ts';
import { findHandovers, type HandoverOptions, type ShapeScale } from './handover.ts';
import { ActivitySchedule, type ScheduleOptions, type ScheduleRow } from './activitySchedule.ts';
import { findCoverageShards, type CoverageShardOptions } from './coverageShards.ts';
import { TemplatePrevalence, type PrevalenceRow, type TemplatePrevalenceOptions } from './templatePrevalence.ts';
import { ChainBook, type HandoverChainOptions, type HandoverRow, type NewcomerRow } from './handoverChain.ts';

export interface CampaignLinkerOptions extends HandoverOptions, ScheduleOptions, CoverageShardOptions, TemplatePrevalenceOptions, HandoverChainOptions {
  /** How long a link is remembered after it was last seen (event time). Default 30 days. */
  linkTtlMs: number;
  /** Minimum estimated Jaccard similarity of two template sketches to link them. Default 0.6. */
  templateJaccard: number;
  /** Maximum overlap of two topic mixes for a template link to count as complementary. Default 0.35. */
  maxTopicOverlap: number;
  /** A link key shared by more accounts than this in one window is too common to mean one actor
   * (a public cloud NAT, a ubiquitous client template). Default 400. */
  maxKeyFanout: number;
  /** Template-sketch entries needed before an account can be linked by template. Default 4. */
  minTemplateSketch: number;
  /** Windows an account must have spent on a network pair in company before it links by it. Default 3. */
  minNetworkWindows: number;
  /** Share of each account's windows on a network pair that the two must have spent there together. Default 0.5. */
  minNetworkCompany: number;
  /** Windows with more accounts than this on a network pair do not count co-activity (pairs grow quadratically). Default 64. */
  maxPairFanout: number;
  /** Accounts a network pair may have held (within linkTtlMs) before company there links only suspects. Default 4. */
  networkSharedAccounts: number;
  /** Accounts first seen on a shared network pair within this of each other arrived together. Default 2 h. */
  coArrivalMs: number;
  /**
   * From the linker's first window, how long accounts count as already present (their arrival
   * unknown). Default 12 h, the scorer's warm-up (nothing alerts before it): with 24 h, a swarm
   * that started on the first day was never seen to arrive (wide seed 11 lost one of 19 accounts).
   */
  incumbencyMs: number;
  /** How long an account stays a suspect after its last activity. Default 24 h. */
  suspectTtlMs: number;
}

export const DEFAULT_CAMPAIGN_LINKER_OPTIONS: CampaignLinkerOptions = {
  linkTtlMs: 30 * 24 * 3_600_000,
  templateJaccard: 0.6,
  maxTopicOverlap: 0.35,
  maxKeyFanout: 400,
  minTemplateSketch: 4,
  minNetworkWindows: 3,
  minNetworkCompany: 0.5,
  maxPairFanout: 64,
  networkSharedAccounts: 4,
  coArrivalMs: 2 * 3_600_000,
  incumbencyMs: 12 * 3_600_000,
  suspectTtlMs: 24 * 3_600_000,
  handoverSpanMs: 3 * 3_600_000,
  maxShapeDistance: 1,
  maxHandoverGapMs: 30 * 60_000,
  scheduleSpanHours: 72,
  scheduleBlockHours: 12,
  minScheduleHours: 8,
  minScheduleSwitches: 3,
  minScheduleJaccard: 0.9,
  maxScheduleChance: 1e-6,
  maxShardTopics: 4,
  minShardCompany: 0.6,
  commonTemplateAccounts: 100,
  templateMemoryMs: 24 * 3_600_000,
  minChainHandovers: 3,
  chainIncumbencyMs: 24 * 3_600_000,
};

export type LinkKind = 'payment' | 'network' | 'egress' | 'template' | 'handover' | 'schedule' | 'coverage' | 'chain';

/** Link kinds that rest on behaviour alone, not on a shared identity: alerts name them as `link.<kind>` reasons. */
export const BEHAVIOUR_LINK_KINDS: readonly LinkKind[] = ['template', 'handover', 'schedule', 'coverage', 'chain'];

/** A value of the request shape that hand-overs compare (an account feature), with its tolerance. */
export interface ShapeFeature extends ShapeScale { name: string }

/** A campaign as seen after one window: its stable id and every member still linked. */
export interface Campaign {
  id: string;
  /** Account keys `<lab>/<account_id>`, sorted. */
  members: string[];
  /** Kinds of evidence that hold the campaign together, sorted. */
  linkKinds: LinkKind[];
  /** For each of those kinds, how many members it links (same order as linkKinds). */
  linkedMembers: number[];
}

interface Edge { a: string; b: string; kind: LinkKind; lastSeen: number }

/** Serialisable state, for changelogs and checkpoints. */
export interface CampaignLinkerState {
  version: 5;
  edges: Array<[string, string, LinkKind, number]>;
  firstLinked: Array<[string, number]>;
  /** Presence on network pairs: [network pair, account, windows there, last seen, window end it arrived (null: before the incumbency ended)]. */
  networkPresence: Array<[string, string, number, number, number | null]>;
  /** Co-activity on network pairs: [network pair, account a, account b (a < b), windows together, last seen]. */
  networkCompany: Array<[string, string, string, number, number]>;
  /** Accounts above the threshold recently (suspectBook.ts). */
  suspects: SuspectRow[];
  /** Accounts new on the stream within handoverSpanMs: [account, first event time]. */
  arrivals: Array<[string, number]>;
  /** The first window end the linker observed. */
  startedAt: number | null;
  /** Active hours of accounts seen in the schedule span (activitySchedule.ts). */
  schedules: ScheduleRow[];
  /** Template entries shared lately and their holders (templatePrevalence.ts). */
  templates: PrevalenceRow[];
  /** Accounts new on the stream lately and the hand-overs between them (handoverChain.ts). */
  newcomers: NewcomerRow[];
  handovers: HandoverRow[];
}

/** The version-4 state (before hand-over chains). */
type CampaignLinkerStateV4 = Omit<CampaignLinkerState, 'version' | 'newcomers' | 'handovers'> & { version: 4 };

/** The version-3 state (before schedules, template prevalence and suspects' topics). */
type CampaignLinkerStateV3 = Omit<CampaignLinkerStateV4, 'version' | 'schedules' | 'templates' | 'suspects'> & {
  version: 3;
  suspects: SuspectRowV3[];
};

/** The version-2 state (before suspects): restored with no suspects. */
type CampaignLinkerStateV2 = Omit<CampaignLinkerStateV3, 'version' | 'suspects' | 'arrivals' | 'startedAt' | 'networkPresence'> & {
  version: 2;
  networkPresence: Array<[string, string, number, number]>;
};

/** The version-1 state (company counted per account, not per pair): restored without its company. */
interface CampaignLinkerStateV1 {
  version: 1;
  edges: Array<[string, string, LinkKind, number]>;
  firstLinked: Array<[string, number]>;
  networkPresence: Array<[string, string, number, number, number]>;
}

interface Presence { key: string; account: string; windows: number; lastSeen: number; arrived: number | null }
interface Company { key: string; a: string; b: string; together: number; lastSeen: number }

export class CampaignLinker {
  readonly options: CampaignLinkerOptions;
  private readonly edges = new Map<string, Edge>();
  /** Account key -> window_end at which it was first linked to anything (for stable ids). */
  private readonly firstLinked = new Map<string, number>();
  /** (network pair, account) -> windows the account was there, last seen. */
  private readonly networkPresence = new Map<string, Presence>();
  /** (network pair, account a, account b) -> windows the two were there together, last seen. */
  private readonly networkCompany = new Map<string, Company>();
  /** Network pair -> accounts present on it (entries of networkPresence): how widely it is shared. */
  private readonly networkHolders = new Map<string, number>();
  private suspects: SuspectBook;
  private schedule: ActivitySchedule;
  private templates: TemplatePrevalence;
  private chainBook: ChainBook;
  private startedAt: number | null = null;
  /** The request shape hand-overs compare (account features with their tolerances). */
  readonly shape: readonly ShapeFeature[];

  constructor(options: Partial<CampaignLinkerOptions> = {}, shape: readonly ShapeFeature[] = []) {
    this.options = { ...DEFAULT_CAMPAIGN_LINKER_OPTIONS, ...options };
    this.shape = shape;
    this.suspects = new SuspectBook(this.options.suspectTtlMs, this.options.handoverSpanMs);
    this.schedule = new ActivitySchedule(this.options);
    this.templates = new TemplatePrevalence(this.options);
    this.chainBook = new ChainBook(this.chainSettings(), shape);
  }

  private chainSettings() {
    const { minChainHandovers, handoverSpanMs, maxHandoverGapMs, maxShapeDistance, suspectTtlMs } = this.options;
    return { minChainHandovers, handoverSpanMs, maxHandoverGapMs, maxShapeDistance, memoryMs: suspectTtlMs };
  }

  /**
   * Records the evidence in one closed window (all account-windows with the same window_end)
   * and returns the campaigns that have at least one member active in this window.
   */
  observeWindow(windowEnd: number, records: readonly AccountFeatures[]): Campaign[] {
    this.startedAt ??= windowEnd;
    const sorted = [...records].sort((x, y) => cmp(key(x), key(y)));
    this.linkBySharedKey(windowEnd, sorted, 'payment', (r) => r.payment_fingerprints);
    this.linkByNetwork(windowEnd, sorted);
    this.linkByTemplate(windowEnd, sorted);
    const active = new Set(sorted.map(key));
    this.schedule.noteActive(windowEnd, active);
    this.suspects.noteActive(new Map(sorted.map((r) => [key(r), r])));
    this.dropReturnedHandovers(active);
    this.linkByChain(windowEnd, sorted);
    this.expire(windowEnd);
    return this.components().filter((c) => c.members.some((m) => active.has(m)));
  }

  /**
   * After the window `windowEnd` is scored: the account-windows that
   * scored above the threshold on their own. They become suspects, and hand-overs between
   * suspects are linked (both apply from the next window on).
   */
  observeSuspects(windowEnd: number, records: readonly AccountFeatures[]): void {
    for (const r of records) this.suspects.noteAbove(r, key(r), this.shape.map((f) => r.features[f.name] ?? 0));
    // Hand-over edges keep their direction (a hands over to b): one successor and one predecessor each.
    const handedFrom = new Set<string>(), handedTo = new Set<string>();
    for (const e of this.edges.values()) if (e.kind === 'handover') { handedFrom.add(e.a); handedTo.add(e.b); }
    const taken = (account: string, side: 'from' | 'to') => (side === 'from' ? handedFrom : handedTo).has(account);
    for (const [from, to] of findHandovers(windowEnd, this.suspects.all(), this.shape, this.options, taken)) {
      this.link(from, to, 'handover', windowEnd);
    }
    this.linkBySchedule(windowEnd, records);
    this.linkByCoverage(windowEnd);
  }

  /** Links each suspect of this window to the suspects whose on/off hours match its own beyond chance. */
  private linkBySchedule(windowEnd: number, records: readonly AccountFeatures[]): void {
    const hour = ActivitySchedule.hourOf(windowEnd);
    for (const account of records.map(key).sort()) {
      const candidates = this.schedule.candidates(account, hour);
      for (const other of candidates) {
        if (this.suspects.has(other) && this.schedule.agree(account, other, hour, candidates.length)) this.link(account, other, 'schedule', windowEnd);
      }
    }
  }

  /** Links suspects that are disjoint narrow shards of one sweep (coverageShards.ts). */
  private linkByCoverage(windowEnd: number): void {
    const hour = ActivitySchedule.hourOf(windowEnd);
    const company = (a: string, b: string) => this.schedule.company(a, b, hour);
    for (const [a, b] of findCoverageShards(this.suspects.all(), this.shape, this.options, company)) this.link(a, b, 'coverage', windowEnd);
  }

  /** Links the accounts of every hand-over chain long enough to count (handoverChain.ts). */
  private linkByChain(windowEnd: number, records: readonly AccountFeatures[]): void {
    const arrivalsKnown = windowEnd > this.startedAt! + this.options.chainIncumbencyMs;
    this.chainBook.observe(windowEnd, records, records.map(key), arrivalsKnown, (r) => this.shape.map((f) => r.features[f.name] ?? 0));
    for (const chain of this.chainBook.chains()) for (let i = 1; i < chain.length; i++) this.link(chain[i - 1]!, chain[i]!, 'chain', windowEnd);
  }

  /** A predecessor active again was not handed over: its hand-over or chain link goes, whenever it returns. */
  private dropReturnedHandovers(active: ReadonlySet<string>): void {
    for (const [k, e] of this.edges) if ((e.kind === 'handover' || e.kind === 'chain') && active.has(e.a)) this.edges.delete(k);
  }

  /** All current campaigns (components of two or more accounts), by id. */
  components(): Campaign[] {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let root = x;
      while (parent.get(root) !== root) root = parent.get(root)!;
      let cur = x;
      while (cur !== root) { const next = parent.get(cur)!; parent.set(cur, root); cur = next; }
      return root;
    };
    for (const e of this.edges.values()) {
      if (!parent.has(e.a)) parent.set(e.a, e.a);
      if (!parent.has(e.b)) parent.set(e.b, e.b);
      const ra = find(e.a), rb = find(e.b);
      if (ra !== rb) { if (cmp(ra, rb) < 0) parent.set(rb, ra); else parent.set(ra, rb); }
    }
    const groups = new Map<string, { members: string[]; kinds: Map<LinkKind, Set<string>> }>();
    for (const account of parent.keys()) {
      const root = find(account);
      let g = groups.get(root);
      if (!g) { g = { members: [], kinds: new Map() }; groups.set(root, g); }
      g.members.push(account);
    }
    for (const e of this.edges.values()) {
      const kinds = groups.get(find(e.a))!.kinds;
      let linked = kinds.get(e.kind);
      if (!linked) { linked = new Set(); kinds.set(e.kind, linked); }
      linked.add(e.a).add(e.b);
    }
    const campaigns: Campaign[] = [];
    for (const g of groups.values()) {
      g.members.sort(cmp);
      const linkKinds = [...g.kinds.keys()].sort();
      campaigns.push({ id: this.campaignId(g.members), members: g.members, linkKinds, linkedMembers: linkKinds.map((k) => g.kinds.get(k)!.size) });
    }
    return campaigns.sort((x, y) => cmp(x.id, y.id));
  }

  snapshot(): CampaignLinkerState {
    return {
      version: 5,
      edges: [...this.edges.values()].map((e) => [e.a, e.b, e.kind, e.lastSeen]),
      firstLinked: [...this.firstLinked.entries()],
      networkPresence: [...this.networkPresence.values()].map((p) => [p.key, p.account, p.windows, p.lastSeen, p.arrived]),
      networkCompany: [...this.networkCompany.values()].map((c) => [c.key, c.a, c.b, c.together, c.lastSeen]),
      suspects: this.suspects.toRows(),
      arrivals: this.suspects.arrivalRows(),
      startedAt: this.startedAt,
      schedules: this.schedule.toRows(),
      templates: this.templates.toRows(),
      ...this.chainBook.toRows(),
    };
  }

  /**
   * Restores a snapshot (`shape` as the linker was built with). A version-4 one has no newcomers
   * or chain hand-overs yet (chains form again from the next arrivals); a version-3 one has no schedules,
   * template prevalence or suspects' topics yet (they build up again over the next hours); a
   * version-2 one has no suspects yet; a version-1 one keeps its links and presence, and counts
   * company afresh.
   */
  static restore(state: CampaignLinkerState | CampaignLinkerStateV4 | CampaignLinkerStateV3 | CampaignLinkerStateV2 | CampaignLinkerStateV1,
    options: Partial<CampaignLinkerOptions> = {}, shape: readonly ShapeFeature[] = []): CampaignLinker {
    if (state.version !== 1 && state.version !== 2 && state.version !== 3 && state.version !== 4 && state.version !== 5) throw new Error(`unsupported CampaignLinker state version ${String((state as { version: unknown }).version)}`);
    const linker = new CampaignLinker(options, shape);
    for (const [a, b, kind, lastSeen] of state.edges) linker.edges.set(edgeKey(a, b, kind), { a, b, kind, lastSeen });
    for (const [account, t] of state.firstLinked) linker.firstLinked.set(account, t);
    if (state.version === 1) {
      for (const [key, account, windows, , lastSeen] of state.networkPresence) linker.addPresence({ key, account, windows, lastSeen, arrived: null });
      return linker;
    }
    for (const [key, account, windows, lastSeen, arrived] of state.networkPresence) linker.addPresence({ key, account, windows, lastSeen, arrived: arrived ?? null });
    for (const [key, a, b, together, lastSeen] of state.networkCompany) linker.networkCompany.set(companyKey(key, a, b), { key, a, b, together, lastSeen });
    if (state.version === 2) return linker;
    linker.startedAt = state.startedAt;
    linker.suspects = SuspectBook.fromRows(state.suspects, state.arrivals, linker.options.suspectTtlMs, linker.options.handoverSpanMs);
    if (state.version === 3) return linker;
    linker.schedule = ActivitySchedule.fromRows(state.schedules, linker.options);
    linker.templates = TemplatePrevalence.fromRows(state.templates, linker.options);
    if (state.version === 4) return linker;
    linker.chainBook = ChainBook.fromRows(state, linker.chainSettings(), shape);
    return linker;
  }

  private addPresence(p: Presence): void {
    this.networkPresence.set(presenceKey(p.key, p.account), p);
    this.networkHolders.set(p.key, (this.networkHolders.get(p.key) ?? 0) + 1);
  }

  private campaignId(members: readonly string[]): string {
    let earliest = members[0]!;
    let earliestAt = this.firstLinked.get(earliest) ?? Infinity;
    for (const m of members) {
      const t = this.firstLinked.get(m) ?? Infinity;
      if (t < earliestAt || (t === earliestAt && cmp(m, earliest) < 0)) { earliest = m; earliestAt = t; }
    }
    return `campaign-${fnv1a64Hex(`${earliest}@${earliestAt}`)}`;
  }

  private link(a: string, b: string, kind: LinkKind, windowEnd: number): void {
    if (a === b) return;
    // Hand-overs keep their direction (predecessor first): the one that comes back loses its link.
    const [x, y] = cmp(a, b) < 0 || kind === 'handover' || kind === 'chain' ? [a, b] : [b, a];
    const k = edgeKey(x, y, kind);
    const edge = this.edges.get(k);
    if (edge) edge.lastSeen = windowEnd;
    else this.edges.set(k, { a: x, b: y, kind, lastSeen: windowEnd });
    if (!this.firstLinked.has(x)) this.firstLinked.set(x, windowEnd);
    if (!this.firstLinked.has(y)) this.firstLinked.set(y, windowEnd);
  }

  /** Links every account sharing a key to the first account (a star per key keeps edges linear). */
  private linkBySharedKey(windowEnd: number, records: readonly AccountFeatures[], kind: LinkKind,
    keysOf: (r: AccountFeatures) => readonly string[]): void {
    const holders = new Map<string, string[]>();
    for (const r of records) {
      for (const k of keysOf(r)) {
        let list = holders.get(k);
        if (!list) { list = []; holders.set(k, list); }
        list.push(key(r));
      }
    }
    for (const list of holders.values()) {
      if (list.length < 2 || list.length > this.options.maxKeyFanout) continue;
      for (let i = 1; i < list.length; i++) this.link(list[0]!, list[i]!, kind, windowEnd);
    }
  }

  /** Links the accounts active on a network pair that keep company there (see the header). */
  private linkByNetwork(windowEnd: number, records: readonly AccountFeatures[]): void {
    const holders = new Map<string, string[]>();
    for (const r of records) {
      for (const k of r.network_agents) {
        let list = holders.get(k);
        if (!list) { list = []; holders.set(k, list); }
        list.push(key(r));
      }
    }
    const { minNetworkWindows, minNetworkCompany, maxPairFanout, maxKeyFanout, networkSharedAccounts, coArrivalMs } = this.options;
    const incumbentUntil = this.startedAt! + this.options.incumbencyMs;
    const together = (p: Presence, q: Presence) => p.arrived !== null && q.arrived !== null && Math.abs(p.arrived - q.arrived) <= coArrivalMs;
    for (const [networkKey, list] of holders) {
      if (list.length > maxKeyFanout) continue;
      const presence = list.map((account) => {
        let p = this.networkPresence.get(presenceKey(networkKey, account));
        if (!p) { p = { key: networkKey, account, windows: 0, lastSeen: windowEnd, arrived: windowEnd > incumbentUntil ? windowEnd : null }; this.addPresence(p); }
        p.windows++;
        p.lastSeen = windowEnd;
        return p;
      });
      if (list.length < 2 || list.length > maxPairFanout) continue;
      // On shared infrastructure, company is evidence only between accounts unusual on their own.
      const shared = this.networkHolders.get(networkKey)! > networkSharedAccounts;
      // Records are sorted by account key, so list[i] < list[j] for i < j.
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const a = list[i]!, b = list[j]!;
          const id = companyKey(networkKey, a, b);
          const c = this.networkCompany.get(id) ?? { key: networkKey, a, b, together: 0, lastSeen: windowEnd };
          c.together++;
          c.lastSeen = windowEnd;
          this.networkCompany.set(id, c);
          const most = Math.max(presence[i]!.windows, presence[j]!.windows);
          if (c.together < minNetworkWindows || c.together < minNetworkCompany * most) continue;
          if (!shared || together(presence[i]!, presence[j]!)) this.link(a, b, 'network', windowEnd);
          else if (this.suspects.has(a) && this.suspects.has(b)) this.link(a, b, 'egress', windowEnd);
        }
      }
    }
  }

  /**
   * Candidate pairs share at least one sketch entry that is not common (templatePrevalence.ts);
   * then Jaccard over their uncommon entries and topic overlap decide.
   */
  private linkByTemplate(windowEnd: number, records: readonly AccountFeatures[]): void {
    this.notePrevalence(windowEnd, records);
    const sketches = new Map<AccountFeatures, string[]>();
    for (const r of records) {
      const own = r.template_sketch.filter((h) => !this.templates.isCommon(h));
      if (own.length >= this.options.minTemplateSketch) sketches.set(r, own);
    }
    const eligible = [...sketches.keys()];
    const byEntry = entryHolders(eligible, (r) => sketches.get(r)!);
    const tried = new Set<number>();
    const n = eligible.length;
    for (const list of byEntry.values()) {
      if (list.length < 2 || list.length > this.options.maxKeyFanout) continue;
      for (let p = 0; p < list.length; p++) {
        for (let q = p + 1; q < list.length; q++) {
          const i = list[p]!, j = list[q]!;
          const pair = i * n + j;
          if (tried.has(pair)) continue;
          tried.add(pair);
          const ri = eligible[i]!, rj = eligible[j]!;
          if (sketchJaccard(sketches.get(ri)!, sketches.get(rj)!) >= this.options.templateJaccard &&
              (hasLabelledTopic(ri) || hasLabelledTopic(rj)) && topicOverlap(ri, rj) <= this.options.maxTopicOverlap) {
            this.link(key(ri), key(rj), 'template', windowEnd);
          }
        }
      }
    }
  }

  /** Counts the holders of every template entry that two or more accounts hold in this window. */
  private notePrevalence(windowEnd: number, records: readonly AccountFeatures[]): void {
    for (const [entry, list] of entryHolders(records, (r) => r.template_sketch)) {
      if (list.length >= 2) this.templates.note(entry, list.map((i) => key(records[i]!)), windowEnd);
    }
  }

  private expire(windowEnd: number): void {
    const horizon = windowEnd - this.options.linkTtlMs;
    for (const [k, e] of this.edges) if (e.lastSeen < horizon) this.edges.delete(k);
    for (const [k, p] of this.networkPresence) {
      if (p.lastSeen >= horizon) continue;
      this.networkPresence.delete(k);
      const left = this.networkHolders.get(p.key)! - 1;
      if (left === 0) this.networkHolders.delete(p.key); else this.networkHolders.set(p.key, left);
    }
    this.suspects.expire(windowEnd);
    this.schedule.expire(windowEnd);
    this.templates.expire(windowEnd);
    for (const [k, c] of this.networkCompany) if (c.lastSeen < horizon) this.networkCompany.delete(k);
    const linked = new Set<string>();
    for (const e of this.edges.values()) { linked.add(e.a); linked.add(e.b); }
    for (const account of this.firstLinked.keys()) if (!linked.has(account)) this.firstLinked.delete(account);
  }
}

/**
 * Jaccard similarity of two sets estimated from their bottom-k sketches (sorted ascending):
 * the share of the k smallest hashes of the union that both sketches hold (Broder 1997).
 */
export function sketchJaccard(a: readonly string[], b: readonly string[]): number {
  const k = Math.min(a.length, b.length);
  if (k === 0) return 0;
  let i = 0, j = 0, seen = 0, both = 0;
  while (seen < k && i < a.length && j < b.length) {
    const c = cmp(a[i]!, b[j]!);
    if (c === 0) { both++; i++; j++; } else if (c < 0) i++; else j++;
    seen++;
  }
  return both / k;
}

/**
 * Whether the lab labelled any of the window's topics. SimHash regions (`sim:..`) are buckets of
 * prompt space, not domains: two researchers on one field fall in different regions, so between
 * two unlabelled accounts "complementary" coverage is not observed (it chained deep researchers).
 */
function hasLabelledTopic(r: Pick<AccountFeatures, 'topics'>): boolean {
  return r.topics.some((t) => !t.topic.startsWith(SIMHASH_REGION_PREFIX));
}

/** Template entry -> indexes of the records holding it, in record order. */
function entryHolders(records: readonly AccountFeatures[], sketchOf: (r: AccountFeatures) => readonly string[]): Map<string, number[]> {
  const byEntry = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const h of sketchOf(r)) {
      let list = byEntry.get(h);
      if (!list) { list = []; byEntry.set(h, list); }
      list.push(i);
    }
  });
  return byEntry;
}

/** Weighted overlap (sum of minimum shares) of two accounts' topic mixes, in [0, 1]. */
export function topicOverlap(a: Pick<AccountFeatures, 'topics'>, b: Pick<AccountFeatures, 'topics'>): number {
  const total = (r: Pick<AccountFeatures, 'topics'>) => r.topics.reduce((s, t) => s + t.count, 0);
  const ta = total(a), tb = total(b);
  if (ta === 0 || tb === 0) return 0;
  const shareB = new Map(b.topics.map((t) => [t.topic, t.count / tb]));
  let overlap = 0;
  for (const t of a.topics) overlap += Math.min(t.count / ta, shareB.get(t.topic) ?? 0);
  return overlap;
}

const key = (r: Pick<AccountFeatures, 'lab' | 'account_id'>) => `${r.lab}/${r.account_id}`;
const edgeKey = (a: string, b: string, kind: LinkKind) => `${kind}\u0000${a}\u0000${b}`;
const presenceKey = (networkKey: string, account: string) => `${networkKey}\u0000${account}`;
const companyKey = (networkKey: string, a: string, b: string) => `${networkKey}\u0000${a}\u0000${b}`;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
