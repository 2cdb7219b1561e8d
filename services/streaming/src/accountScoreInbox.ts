// AccountScoreInbox: what the owner of a split scorer (`run scorer --split`) has read from
// distillwatch.scorer.account-scores and not used yet - the instances' stage-1 scores of windows
// it has not scored - and the window it has out with them (context published, linked, waiting
// for a score of every account).
//
// Exactly once without a changelog of the scores: the owner commits its position in the scores
// topic only up to the lowest offset of a score it still holds, so after a crash it reads the
// held scores again; a score read twice (an instance that scored again after its own restart)
// replaces itself, and one of a window already scored is dropped. A score computed with another
// model than the window's is not used (the instance read an older context); the owner waits for
// one with the window's model. It must never score, nor talk to Kafka.
import { AccountScoreBook, type AccountScore, type CompleteWindow, type LinkedWindow, type WindowContext } from '@distillwatch/core';
import type { AccountScoreMessage } from './splitWire.ts';

/** The window the owner has out with its instances. */
export interface WindowOut {
  window: CompleteWindow;
  context: WindowContext;
  linked: LinkedWindow;
  /** Wall clock (performance.now) when the owner took it out, and the owner's CPU ms on it so far (for the log). */
  takenAt: number;
  ownerCpuMs: number;
}

interface Held { score: AccountScore; modelVersion: string | null; offset: number }

export class AccountScoreInbox {
  /** window end -> account -> the latest score read for it. */
  readonly #held = new Map<number, Map<string, Held>>();
  /** Next offset to read (one partition). */
  #position: number;
  /** The last window the owner scored (-Infinity: none). */
  #scoredThrough: number;
  out: WindowOut | null = null;

  constructor(position: number, scoredThrough: number) {
    this.#position = position;
    this.#scoredThrough = scoredThrough;
  }

  /** A score read at `offset`. */
  offer(m: AccountScoreMessage, offset: number): void {
    this.#position = Math.max(this.#position, offset + 1);
    if (m.windowEnd <= this.#scoredThrough) return;
    let window = this.#held.get(m.windowEnd);
    if (!window) { window = new Map(); this.#held.set(m.windowEnd, window); }
    const before = window.get(m.score.account);
    window.set(m.score.account, { score: m.score, modelVersion: m.modelVersion, offset: Math.min(offset, before?.offset ?? offset) });
  }

  /** The partition is read below `next` (a batch's end, transaction markers included). */
  readTo(next: number): void {
    this.#position = Math.max(this.#position, next);
  }

  /** Every account's score of the window out, with its model; null while one is missing. */
  bookForOut(): AccountScoreBook | null {
    const out = this.out;
    if (!out) return null;
    const version = out.context.model?.version ?? null;
    const window = this.#held.get(out.window.end);
    const scores: AccountScore[] = [];
    for (const account of out.window.accounts) {
      const held = window?.get(account);
      if (!held || held.modelVersion !== version) return null;
      scores.push(held.score);
    }
    return new AccountScoreBook(version, scores);
  }

  /** The window out is scored: its scores (and any of earlier windows) are no longer needed. */
  scored(): void {
    const end = this.out?.window.end;
    if (end === undefined) return;
    for (const w of this.#held.keys()) if (w <= end) this.#held.delete(w);
    this.#scoredThrough = end;
    this.out = null;
  }

  /** The position to commit: the lowest offset of a score still held, else the read position. */
  get committable(): number {
    let lowest = this.#position;
    for (const window of this.#held.values()) for (const h of window.values()) lowest = Math.min(lowest, h.offset);
    return lowest;
  }
}
