import { describe, expect, it } from 'vitest';
import { SketchStore } from '../../src/features/sketchStore.ts';
import { AccountWindow } from '../../src/features/accountWindow.ts';
import { event } from './traffic.ts';

describe('SketchStore', () => {
  it('hands out distinct zeroed blocks and reuses a freed one, zeroed again', () => {
    const store = new SketchStore();
    const a = store.allocate(5);
    const b = store.allocate(5);
    expect(a.page === b.page && a.at === b.at).toBe(false);
    a.page.fill(7, a.at, a.at + 5);
    expect([...b.page.subarray(b.at, b.at + 5)]).toEqual([0, 0, 0, 0, 0]);
    store.free(a, 5);
    const c = store.allocate(5);
    expect(c.page === a.page && c.at === a.at).toBe(true);
    expect([...c.page.subarray(c.at, c.at + 5)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps blocks of different sizes apart and refuses a block it did not hand out', () => {
    const store = new SketchStore();
    const small = store.allocate(3);
    expect(() => store.free(small, 4)).toThrow(RangeError);
    expect(() => store.free({ page: new Uint32Array(3), at: 0 }, 3)).toThrow(RangeError);
  });

  it('gives a window in the store the same summary as a window with its own words', () => {
    const store = new SketchStore();
    const start = 1_772_409_600_000;
    // Two windows share the store, so a write outside a block would show in the other one.
    const own = new AccountWindow(start, start + 3_600_000);
    const shared = new AccountWindow(start, start + 3_600_000, store);
    const neighbour = new AccountWindow(start, start + 3_600_000, store);
    for (let i = 0; i < 40; i++) {
      const e = event({ event_id: `e${i}`, event_time: start + i * 30_000, prompt_text: `explain step ${i % 7} of the proof`, topic: `t${i % 5}` });
      own.add(e);
      shared.add(e);
    }
    neighbour.add(event({ event_id: 'n', event_time: start, prompt_text: 'something else entirely', topic: 'z' }));
    expect(shared.toState()).toEqual(own.toState());
    expect(AccountWindow.restore(shared.toState(), store).toState()).toEqual(own.toState());
    shared.release();
    expect(neighbour.distinctTopics()).toBe(1);
    expect(() => shared.distinctApiKeys()).toThrow(/after release/);
  });
});
