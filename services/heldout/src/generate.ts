// Runs the held-out world: builds the benign population and the campaigns, asks each account for
// its sessions and requests, and writes the file as a lab's feed would arrive — in event-time
// order except for a few events delayed by under two minutes, a few retried (duplicate) lines
// and a few malformed ones — together with the labels that describe it.
// It must never read the clock or Math.random: everything comes from the seed.
import type { Account, Session } from './account.ts';
import { sessionsOf } from './activity.ts';
import { BENIGN_KINDS } from './benign.ts';
import { buildCampaigns, type Campaign } from './campaigns.ts';
import { emit } from './events.ts';
import {
  ALLOWED_LATENESS_MS, dollars, LABELS_FORMAT, type AccountLabel, type CampaignLabel, type Labels,
} from './labels.ts';
import { Random } from './random.ts';
import { DAY, World } from './world.ts';

/** Monday 2 March 2026, 00:00 UTC: the held-out week starts on a Monday. */
export const HELDOUT_START = Date.UTC(2026, 2, 2);

export interface HeldoutOptions {
  seed: number;
  days: number;
  scale: number;
  /** Path of the events file as the labels record it (relative to the labels file). */
  eventsFile: string;
}

export interface HeldoutOutput {
  /** The events file, line by line (no newlines). */
  lines: string[];
  labels: Labels;
}

/** One line of the file, and what the totals need to know of it. */
interface Line {
  /** When the reader gets it: the event's time, plus its delay (and a retry's). */
  readonly arrival: number;
  /** The line as written: an event's JSON, or a broken line. */
  readonly text: string;
  /** The account's index; -1 for a malformed line, -2 - index for a retried duplicate. */
  readonly account: number;
  /** The event time (a malformed line takes its source line's). */
  readonly time: number;
}

const DELAY_SHARE = 0.01;
const MAX_DELAY_MS = 100_000;
const DUPLICATE_SHARE = 0.0004;

/** What the file says of one account: its distinct events, their cost, the first and the last. */
interface AccountStats {
  events: number;
  spend: number;
  first: number;
  last: number;
}

export function generateHeldout(opts: HeldoutOptions): HeldoutOutput {
  const root = new Random(opts.seed, 'heldout');
  const w = new World(HELDOUT_START, HELDOUT_START + opts.days * DAY, opts.scale);
  const accounts = benignAccounts(root, w);
  const campaigns = buildCampaigns(w, root.fork('campaigns'));
  for (const c of campaigns) accounts.push(...c.accounts);

  const lines: Line[] = [];
  const traffic = root.fork('traffic');
  const stats = accounts.map((account, index) => accountTraffic(traffic.fork(`${account.lab}/${account.accountId}`), w, account, index, lines));
  addMalformed(root.fork('malformed'), lines, w);
  lines.sort((a, b) => a.arrival - b.arrival);

  const labels = buildLabels(opts, w, accounts, campaigns, stats, {
    lines: lines.length,
    events: stats.reduce((n, s) => n + s.events, 0),
    duplicates: lines.filter((l) => l.account <= -2).length,
    ...delaysAsRead(lines),
  });
  return { lines: lines.map((l) => l.text), labels };
}

/** Every benign kind's customers, kind by kind, each from its own fork of the seed. */
function benignAccounts(root: Random, w: World): Account[] {
  const accounts: Account[] = [];
  for (const kind of BENIGN_KINDS) {
    const kindRng = root.fork(kind.archetype);
    for (let i = 0, n = w.count(kind.count); i < n; i++) accounts.push(...kind.make(w, kindRng.fork(`${kind.archetype}#${i}`)));
  }
  return accounts;
}

/** Appends one account's sessions to `lines` (with its delays and retries) and sums them up. */
function accountTraffic(rng: Random, w: World, account: Account, index: number, lines: Line[]): AccountStats {
  const s: AccountStats = { events: 0, spend: 0, first: Infinity, last: -Infinity };
  for (const { start, size } of sessionsOf(rng, account.activity, w.start, w.end)) {
    const session: Session = account.session(rng);
    const conn = { apiKey: rng.pick(account.identity.apiKeys), ipPrefix: rng.pick(account.identity.ipPrefixes), userAgent: rng.pick(account.identity.userAgents) };
    let at = start;
    for (let turn = 0; turn < size; turn++) {
      if (at >= Math.min(w.end, account.activity.to)) break;
      const req = session(rng, at, turn);
      const eventId = `${account.lab.slice(-1)}r_${rng.hex(16)}`;
      const { event, cost } = emit(rng, account, conn, req, eventId, at);
      const text = JSON.stringify(event);
      s.events++;
      s.spend += cost;
      s.first = Math.min(s.first, at);
      s.last = Math.max(s.last, at);
      const delayed = rng.chance(DELAY_SHARE) ? rng.int(1_000, MAX_DELAY_MS) : 0;
      lines.push({ arrival: at + delayed, text, account: index, time: at });
      // A client retry sends the same event again a little later.
      if (rng.chance(DUPLICATE_SHARE)) lines.push({ arrival: at + delayed + rng.int(200, 30_000), text, account: -2 - index, time: at });
      at += Math.max(1, Math.round(rng.exponential(account.activity.gapMs)));
    }
  }
  return s;
}

/** Delays as a reader sees them: behind the latest event time already read for the account. */
function delaysAsRead(lines: readonly Line[]): { delayed_within_lateness: number; delayed_beyond_lateness: number } {
  const latest = new Map<number, number>();
  let within = 0;
  let beyond = 0;
  for (const l of lines) {
    if (l.account < 0) continue;
    const seen = latest.get(l.account) ?? -Infinity;
    if (l.time < seen) {
      if (seen - l.time <= ALLOWED_LATENESS_MS) within++;
      else beyond++;
    } else latest.set(l.account, l.time);
  }
  return { delayed_within_lateness: within, delayed_beyond_lateness: beyond };
}

/** A handful of broken lines a real feed carries: truncation, bad types, missing fields, blank lines. */
function addMalformed(rng: Random, lines: Line[], w: World): void {
  const count = Math.max(6, Math.round(lines.length / 200_000));
  for (let i = 0; i < count; i++) {
    const source = lines[rng.int(0, lines.length - 1)] as Line;
    const event = JSON.parse(source.text) as Record<string, unknown>;
    const fault = i % 6;
    let text: string;
    if (fault === 0) text = source.text.slice(0, rng.int(10, source.text.length - 10));
    else if (fault === 1) text = JSON.stringify({ ...event, event_id: `${String(event['event_id'])}x`, input_tokens: -rng.int(1, 500) });
    else if (fault === 2) text = JSON.stringify({ ...event, event_id: `${String(event['event_id'])}x`, account_id: undefined });
    else if (fault === 3) text = JSON.stringify({ ...event, event_id: `${String(event['event_id'])}x`, event_time: 'yesterday afternoon' });
    else if (fault === 4) text = JSON.stringify({ ...event, event_id: `${String(event['event_id'])}x`, output_tokens: 12.5 });
    else text = '';
    lines.push({ arrival: Math.min(w.end - 1, source.arrival + 1), text, account: -1, time: source.time });
  }
}

function buildLabels(
  opts: HeldoutOptions, w: World, accounts: Account[], campaigns: Campaign[],
  stats: AccountStats[],
  counts: Omit<Labels['totals'], 'accounts' | 'campaign_accounts' | 'campaigns'>,
): Labels {
  const active = (i: number): boolean => (stats[i]?.events ?? 0) > 0;
  const accountLabels: AccountLabel[] = [];
  accounts.forEach((a, i) => {
    if (!active(i)) return;
    const s = stats[i] as AccountStats;
    accountLabels.push({
      lab: a.lab, account_id: a.accountId, kind: a.kind, archetype: a.archetype, campaign_id: a.campaignId, entity: a.entity,
      events: s.events, spend_usd: dollars(s.spend), first_event_time: s.first, last_event_time: s.last,
    });
  });
  accountLabels.sort((x, y) => (x.lab === y.lab ? (x.account_id < y.account_id ? -1 : x.account_id > y.account_id ? 1 : 0) : x.lab < y.lab ? -1 : 1));

  const indexOf = new Map(accounts.map((a, i) => [a, i] as const));
  const campaignLabels: CampaignLabel[] = [];
  for (const c of campaigns) {
    const members = c.accounts.filter((a) => active(indexOf.get(a) as number));
    if (members.length === 0) continue;
    const ms = members.map((a) => stats[indexOf.get(a) as number] as AccountStats);
    campaignLabels.push({
      campaign_id: c.campaignId,
      archetype: c.archetype,
      link: c.link,
      start_time: c.startTime,
      first_event_time: Math.min(...ms.map((s) => s.first)),
      labs: [...new Set(members.map((a) => a.lab))].sort(),
      accounts: members.map((a) => ({ lab: a.lab, account_id: a.accountId })),
      events: ms.reduce((n, s) => n + s.events, 0),
      spend_usd: dollars(ms.reduce((n, s) => n + s.spend, 0)),
    });
  }
  return {
    format: LABELS_FORMAT,
    scenario: 'heldout',
    seed: opts.seed,
    start_time: w.start,
    end_time: w.end,
    events_file: opts.eventsFile,
    allowed_lateness_ms: ALLOWED_LATENESS_MS,
    totals: {
      ...counts,
      accounts: accountLabels.length,
      campaign_accounts: accountLabels.filter((a) => a.kind === 'campaign').length,
      campaigns: campaignLabels.length,
    },
    campaigns: campaignLabels,
    accounts: accountLabels,
  };
}
