// The split scorer's pure parts: account scores cross the topic bit for bit, and the owner's
// inbox scores a window only with every account's score computed with the window's model, keeps
// one score per account, and commits its position only below the scores it still holds.
import { describe, expect, it } from 'vitest';
import type { LinkedWindow, ScoringModel } from '@distillwatch/core';
import { AccountScoreInbox } from '../src/accountScoreInbox.ts';
import { decodeAccountScore, decodeContext, encodeAccountScore, encodeContext, type AccountScoreMessage } from '../src/splitWire.ts';

const HOUR = 3_600_000;

const message = (windowEnd: number, account: string, modelVersion: string | null, x = 1): AccountScoreMessage => ({
  windowEnd, modelVersion, score: { account, vector: Float64Array.of(x, -0, 1 / 3), view: modelVersion ? Float64Array.of(0.25, x) : null, facetScores: modelVersion ? [0.5, x / 7] : null },
});

function inboxWithWindowOut(accounts: string[], modelVersion: string | null): AccountScoreInbox {
  const inbox = new AccountScoreInbox(0, Number.NEGATIVE_INFINITY);
  const model = modelVersion === null ? null : ({ version: modelVersion } as ScoringModel);
  inbox.out = {
    window: { start: HOUR, end: 2 * HOUR, records: [], accounts }, context: { windowEnd: 2 * HOUR, population: [], model },
    linked: {} as LinkedWindow, takenAt: 0, ownerCpuMs: 0,
  };
  return inbox;
}

describe('split scorer wire', () => {
  it('carries an account score bit for bit, negative zero included', () => {
    const m = message(2 * HOUR, 'lab-a/x', 'v1', 0.1 + 0.2);
    const back = decodeAccountScore(encodeAccountScore(m));
    expect(back).toEqual(m);
    expect(Object.is(back.score.vector[1], -0)).toBe(true);
    expect(decodeAccountScore(encodeAccountScore(message(HOUR, 'lab-b/y', null))).score.view).toBeNull();
  });

  it('carries a window context as the owner wrote it', () => {
    const c = { window_end: HOUR, population: [{ topic: 'math', count: 3 }], model_version: null, features_ends: { 0: 12, 3: 40 } };
    expect(decodeContext(encodeContext(c))).toEqual({ ...c, features_ends: { '0': 12, '3': 40 } });
  });
});

describe('AccountScoreInbox', () => {
  it('scores the window out only once every account has a score made with its model', () => {
    const inbox = inboxWithWindowOut(['lab-a/x', 'lab-b/y'], 'v2');
    inbox.offer(message(2 * HOUR, 'lab-a/x', 'v2'), 10);
    expect(inbox.bookForOut()).toBeNull();
    inbox.offer(message(2 * HOUR, 'lab-b/y', 'v1'), 11);
    expect(inbox.bookForOut()).toBeNull();
    inbox.offer(message(2 * HOUR, 'lab-b/y', 'v2'), 12);
    expect(inbox.bookForOut()?.modelVersion).toBe('v2');
  });

  it('commits below every score it still holds, and past them once their window is scored', () => {
    const inbox = inboxWithWindowOut(['lab-a/x'], null);
    inbox.offer(message(3 * HOUR, 'lab-a/x', null), 4);
    inbox.offer(message(2 * HOUR, 'lab-a/x', null), 5);
    // The same score read again (an instance that scored again) keeps the first offset.
    inbox.offer(message(2 * HOUR, 'lab-a/x', null), 9);
    inbox.readTo(11);
    expect(inbox.committable).toBe(4);
    inbox.scored();
    expect(inbox.out).toBeNull();
    expect(inbox.committable).toBe(4);
    inbox.offer(message(2 * HOUR, 'lab-a/x', null), 11);
    inbox.readTo(13);
    expect(inbox.committable).toBe(4);
  });

  it('drops the scores of windows already scored', () => {
    const inbox = new AccountScoreInbox(7, 2 * HOUR);
    inbox.offer(message(2 * HOUR, 'lab-a/x', null), 7);
    expect(inbox.committable).toBe(8);
  });
});
