// The main thread's share of parsing in `detect --threads 2` follows the CPU time both threads
// spend since the first reply: up by a small step per reply, down four times as fast, between 0
// and one half.
import { describe, expect, it } from 'vitest';
import { ParseShare } from '../src/io/parseShare.ts';

/** Feeds `replies` replies in which the main thread and the worker spend the given CPU each. */
function run(share: ParseShare, replies: number, mainPerReply: number, workerPerReply: number, from = { main: 0, worker: 0 }) {
  for (let k = 0; k < replies; k++) {
    from.main += mainPerReply;
    from.worker += workerPerReply;
    share.balance(from.main, from.worker);
  }
  return from;
}

describe('ParseShare', () => {
  it('starts with the main thread parsing nothing and ignores the CPU spent before the first reply', () => {
    const share = new ParseShare();
    expect(share.share).toBe(0);
    share.balance(5_000_000, 100);
    expect(share.share).toBe(0);
  });

  it('grows while the worker spends more CPU than the main thread, up to one half', () => {
    const share = new ParseShare();
    run(share, 11, 100, 300);
    expect(share.share).toBeCloseTo(0.05, 10);
    run(share, 1000, 100, 300, { main: 1100, worker: 3300 });
    expect(share.share).toBe(0.5);
  });

  it('shrinks to nothing while the main thread is the busier one', () => {
    const share = new ParseShare();
    const at = run(share, 21, 100, 300);
    expect(share.share).toBeCloseTo(0.1, 10);
    // A burst on the main thread (every window of an hour closing) outweighs the worker's lead.
    run(share, 1, 10_000, 100, at);
    expect(share.share).toBeCloseTo(0.08, 10);
    run(share, 5, 1000, 100, at);
    expect(share.share).toBe(0);
  });
});
