// The split scorer's two internal topics, as bytes (`run scorer --split` and `run scorer-instance`).
//
//   distillwatch.scorer.contexts (compacted): key = window end, value = WindowContextMessage;
//     the key `finished` holds the last window the owner scored (instances drop what they hold
//     for it and earlier), and a scored window's context is deleted (tombstone).
//   distillwatch.scorer.account-scores: key = `<window end>/<lab>/<account_id>`, value =
//     AccountScoreMessage, the instance's stage-1 result for one account.
//
// Rows, views and facet scores travel as the bytes of Float64Arrays (base64 in JSON), so the
// owner scores with exactly the bits an instance computed (JSON numbers would turn -0 into 0).
// This module only encodes and decodes; it must never decide which window or account is ready.
import type { AccountScore, TopicCount } from '@distillwatch/core';

/** A window's context as the owner publishes it. */
export interface WindowContextMessage {
  window_end: number;
  /** The window's population topic counts (WindowContext.population). */
  population: TopicCount[];
  /** Version of the model that scores the window (on distillwatch.scorer.models); null in the warm-up. */
  model_version: string | null;
  /**
   * Per account-features partition, the offset below which every record of the window lies (the
   * owner's read position when it took the window): an instance scores the window's records of a
   * partition once it has read that far in it.
   */
  features_ends: Record<string, number>;
}

/** Key of the `finished` marker on the contexts topic. */
export const FINISHED_KEY = 'finished';

export const contextKey = (windowEnd: number): string => String(windowEnd);

export function encodeContext(c: WindowContextMessage): Buffer {
  return Buffer.from(JSON.stringify(c), 'utf8');
}

export function decodeContext(value: Buffer): WindowContextMessage {
  return JSON.parse(value.toString('utf8')) as WindowContextMessage;
}

/** The `finished` marker's value: the last window the owner scored. */
export function encodeFinished(windowEnd: number): Buffer {
  return Buffer.from(JSON.stringify({ window_end: windowEnd }), 'utf8');
}

export function decodeFinished(value: Buffer | undefined): number {
  return value ? (JSON.parse(value.toString('utf8')) as { window_end: number }).window_end : Number.NEGATIVE_INFINITY;
}

/** One account's stage-1 score for one window, and the model it was computed with. */
export interface AccountScoreMessage {
  windowEnd: number;
  modelVersion: string | null;
  score: AccountScore;
}

interface AccountScoreJSON {
  window_end: number;
  account: string;
  model_version: string | null;
  vector: string;
  view: string | null;
  facet_scores: string | null;
}

export const accountScoreKey = (windowEnd: number, account: string): string => `${windowEnd}/${account}`;

const floatsToBase64 = (xs: ArrayLike<number>): string => Buffer.from(Float64Array.from(xs).buffer).toString('base64');

function floatsFromBase64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  // Copied into a buffer of its own: a decoded Buffer may sit at an offset not aligned to 8 bytes.
  return new Float64Array(Uint8Array.from(bytes).buffer);
}

export function encodeAccountScore(m: AccountScoreMessage): Buffer {
  const { score } = m;
  const json: AccountScoreJSON = {
    window_end: m.windowEnd, account: score.account, model_version: m.modelVersion, vector: floatsToBase64(score.vector),
    view: score.view && floatsToBase64(score.view), facet_scores: score.facetScores && floatsToBase64(score.facetScores),
  };
  return Buffer.from(JSON.stringify(json), 'utf8');
}

export function decodeAccountScore(value: Buffer): AccountScoreMessage {
  const json = JSON.parse(value.toString('utf8')) as AccountScoreJSON;
  return {
    windowEnd: json.window_end, modelVersion: json.model_version,
    score: {
      account: json.account, vector: floatsFromBase64(json.vector), view: json.view === null ? null : floatsFromBase64(json.view),
      facetScores: json.facet_scores === null ? null : [...floatsFromBase64(json.facet_scores)],
    },
  };
}
