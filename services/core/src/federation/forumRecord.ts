// Forum record (format version 1): one per account-window, the only thing a lab sends the
// forum. It carries what the central scorer reads of an AccountFeatures record, made safe to
// cross: numbers (the feature vector, rounded; events; spend), topic ids over the public
// taxonomy, the template sketch and identity identifiers as keyed tokens, and the account as a
// pseudonym under the lab's own key. It never carries prompt text, a raw account, key, payment,
// network, agent, event or system-prompt identifier, a single prompt's SimHash, or free text
// (the only strings are the lab's name, tokens and the feature-set id). Short field names keep
// forum traffic small. The type is generated from schemas/forum-record.avsc (field meanings:
// schemas/README.md "Forum record").
// Pure: no clock, no I/O.
import type { AccountFeatures, ForumRecord, ForumTopicCount, TopicCount } from '../schemas.generated.ts';
import { fnv1a64Hex } from '../campaigns/hash.ts';
import { FieldError } from '../errors.ts';
import type { ForumKeyRing } from './keys.ts';
import { identityTokens, templateTokens } from './identityTokens.ts';
import { keyedToken } from './tokens.ts';
import { FORUM_TOPICS, forumTopicId } from './topicTaxonomy.ts';

export const FORUM_RECORD_VERSION = 1;

/** A forum record that cannot be read; `field` names the part at fault. */
export class ForumRecordError extends FieldError {
  override readonly name = 'ForumRecordError';
}

/** Short stable id of an ordered list of feature names: sender and forum must agree on it. */
export function featureSetId(featureNames: readonly string[]): string {
  return fnv1a64Hex(featureNames.join(',')).slice(0, 8);
}

/** The lab's own side: an account-window made fit to cross. */
export function toForumRecord(record: AccountFeatures, featureNames: readonly string[], forumKeys: ForumKeyRing, labKey: Buffer): ForumRecord {
  const topics = new Map<number, number>();
  for (const t of record.topics) {
    const id = forumTopicId(t.topic);
    topics.set(id, (topics.get(id) ?? 0) + t.count);
  }
  return {
    v: FORUM_RECORD_VERSION,
    lab: record.lab,
    acct: accountPseudonym(labKey, record.account_id),
    ws: record.window_start,
    we: record.window_end,
    n: record.events,
    usd: cents(record.spend_usd_window),
    usd30: cents(record.spend_usd_30d),
    fs: featureSetId(featureNames),
    f: featureNames.map((name) => significant(record.features[name] ?? 0)),
    top: [...topics].map(([i, n]) => ({ i, n })).sort((a, b) => b.n - a.n || a.i - b.i),
    tpl: templateTokens(forumKeys, record.template_sketch),
    pay: identityTokens(forumKeys, 'payment', record.payment_fingerprints),
    net: identityTokens(forumKeys, 'network', record.network_agents),
  };
}

/** An account's pseudonym under its lab's own key: the lab resolves it, no one else can compute it. */
export function accountPseudonym(labKey: Buffer, accountId: string): string {
  return keyedToken(labKey, 'account', accountId);
}

/**
 * The forum's side: the record as an AccountFeatures row the central scorer reads, with the
 * pseudonym as account id and tokens as identifiers (the linker only compares them).
 */
export function forumRecordToFeatures(record: ForumRecord, featureNames: readonly string[]): AccountFeatures {
  const expected = featureSetId(featureNames);
  if (record.fs !== expected) throw new ForumRecordError('fs', `feature set ${record.fs} differs from the forum's ${expected}`);
  if (record.f.length !== featureNames.length) throw new ForumRecordError('f', `${record.f.length} values for ${featureNames.length} features`);
  const features: Record<string, number> = {};
  featureNames.forEach((name, j) => { features[name] = record.f[j]!; });
  const topics: TopicCount[] = record.top.map((t) => ({ topic: FORUM_TOPICS[t.i] ?? `topic-${t.i}`, count: t.n }));
  return {
    lab: record.lab, account_id: record.acct, window_start: record.ws, window_end: record.we, events: record.n,
    first_event_time: record.ws, last_event_time: record.we - 1,
    spend_usd_window: record.usd, spend_usd_30d: record.usd30, features, topics,
    template_sketch: record.tpl, payment_fingerprints: record.pay, network_agents: record.net,
  };
}

/** Checks a decoded JSON value field by field (what arrives from another party is untrusted). */
export function parseForumRecord(json: unknown): ForumRecord {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ForumRecordError('(record)', 'expected an object');
  const r = json as Record<string, unknown>;
  if (r['v'] !== FORUM_RECORD_VERSION) throw new ForumRecordError('v', `expected format version ${FORUM_RECORD_VERSION}`);
  for (const f of ['lab', 'acct', 'fs'] as const) if (typeof r[f] !== 'string' || r[f] === '') throw new ForumRecordError(f, 'expected a non-empty string');
  for (const f of ['ws', 'we', 'n'] as const) if (!Number.isSafeInteger(r[f])) throw new ForumRecordError(f, 'expected an integer');
  if ((r['we'] as number) <= (r['ws'] as number)) throw new ForumRecordError('we', 'must be after ws');
  for (const f of ['usd', 'usd30'] as const) if (!isFiniteNumber(r[f]) || (r[f] as number) < 0) throw new ForumRecordError(f, 'expected a non-negative number');
  if (!Array.isArray(r['f']) || !r['f'].every(isFiniteNumber)) throw new ForumRecordError('f', 'expected an array of numbers');
  if (!Array.isArray(r['top']) || !r['top'].every((t) => t !== null && typeof t === 'object' &&
    Number.isSafeInteger((t as ForumTopicCount).i) && Number.isSafeInteger((t as ForumTopicCount).n))) {
    throw new ForumRecordError('top', 'expected an array of {i, n} integers');
  }
  for (const f of ['tpl', 'pay', 'net'] as const) {
    if (!Array.isArray(r[f]) || !r[f].every((x) => typeof x === 'string')) throw new ForumRecordError(f, 'expected an array of tokens');
  }
  return json as ForumRecord;
}

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const cents = (x: number) => Math.round(x * 100) / 100;
const significant = (x: number) => (Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(5)) : 0);
