// The scorer's state changelog layout (topic distillwatch.scorer.state, one partition): what a
// commit writes and what a restore reads back. It only encodes and decodes entries; it must
// never decide what the scorer scores, nor talk to Kafka.
//
// Keys, version 3:
//   `state`                           the scorer (WindowScorer state, verdicts, scoredThrough):
//                                     written only by a commit after which it changed (a window
//                                     scored, a verdict read)
//   `positions`                       where every input is read to (completeness, offsets):
//                                     written by every commit; a few hundred bytes
//   `pending/<window_end>/<account>`  an account-window not scored yet (the record's bytes)
// Versions 1 and 2 kept the positions inside `state` (1 the pending records too); both are still
// restored. The split exists for the commit that only moves positions (the timer's, between
// windows): it wrote the whole scorer state, 0.4 to 0.7 MB of JSON gzipped at every commit of a
// 100,000-event run, and the batch that completed the next window waited for it on the owner's
// lock (BENCHMARKS.md, "Streaming, third pass"). A transaction holds every entry it writes, so
// the latest `state` and the latest `positions` are always those of one commit or of a commit
// that left the scorer unchanged.
import { ScorerStateFormatError, type AccountFeatures, type ScorerStateJSON, type VerdictBookJSON } from '@distillwatch/core';
import type { CompletenessJSON } from './progress.ts';

export const STATE_KEY = 'state';
export const POSITIONS_KEY = 'positions';
/** Prefix of the changelog keys of pending account-windows. */
export const PENDING_KEY_PREFIX = 'pending/';

/** Changelog key of a pending account-window. */
export const pendingKey = (windowEnd: number, account: string) => `${PENDING_KEY_PREFIX}${windowEnd}/${account}`;

/** How far the owner has read each input: what a rewind seeks back to. */
export interface ScorerPositions {
  completeness: CompletenessJSON;
  /** Next offset to read per account-features partition, and in the progress topic. */
  featuresPositions: Record<string, number>;
  progressPosition: number;
  /** The next offset per alert-verdicts partition. */
  verdictsPositions?: Record<string, number>;
  /** Split scorer (`run scorer --split`): the position in distillwatch.scorer.account-scores to read again from (absent: 0). */
  scoresPosition?: number;
}

/** The scorer itself: changes only when a window is scored or a verdict read. */
export interface ScorerDoc {
  scorer: ScorerStateJSON;
  /** Largest window_end scored (null: none). */
  scoredThrough: number | null;
  /** The verdicts read so far (absent or null: none yet). */
  verdicts?: VerdictBookJSON | null;
}

/** What a restore puts back: the scorer, where to read on, and (version 1) the pending records. */
export interface RestoredScorerState {
  doc: ScorerDoc;
  positions: ScorerPositions;
  /** Version 1 only: account-windows of windows not scored yet (the next commit writes them under their keys). */
  legacyPending: AccountFeatures[];
}

/** A `state` value of version 1 or 2 (the positions inside), or 3 (beside it). */
type StateValue = ScorerDoc & Partial<ScorerPositions> & { version: 1 | 2 | 3; pending?: AccountFeatures[] };

/** The `state` entry's value for `doc`. */
export function stateValue(doc: ScorerDoc): Buffer {
  const value: StateValue = { version: 3, ...doc };
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** The `positions` entry's value. */
export function positionsValue(positions: ScorerPositions): Buffer {
  return Buffer.from(JSON.stringify({ version: 3, ...positions }), 'utf8');
}

/** The scorer state in a restored changelog table; null when nothing was committed yet. */
export function readScorerState(entries: ReadonlyMap<string, Buffer>): RestoredScorerState | null {
  const state = entries.get(STATE_KEY);
  if (!state) return null;
  const value = JSON.parse(state.toString('utf8')) as StateValue;
  const { scorer, scoredThrough, verdicts } = value;
  const doc: ScorerDoc = { scorer, scoredThrough, verdicts: verdicts ?? null };
  if (value.version < 3) return { doc, positions: positionsOf(value), legacyPending: value.pending ?? [] };
  const positions = entries.get(POSITIONS_KEY);
  // Both are written by the commit that first writes `state`: one without the other is a broken changelog.
  if (!positions) throw new ScorerStateFormatError(`scorer state changelog has '${STATE_KEY}' (version 3) but no '${POSITIONS_KEY}'`);
  return { doc, positions: positionsOf(JSON.parse(positions.toString('utf8')) as ScorerPositions), legacyPending: [] };
}

function positionsOf(p: Partial<ScorerPositions>): ScorerPositions {
  if (!p.completeness || !p.featuresPositions || p.progressPosition === undefined) throw new ScorerStateFormatError('scorer state changelog: a positions field is missing');
  return { completeness: p.completeness, featuresPositions: p.featuresPositions, progressPosition: p.progressPosition, verdictsPositions: p.verdictsPositions ?? {}, ...(p.scoresPosition !== undefined && { scoresPosition: p.scoresPosition }) };
}
