import { describe, expect, it } from 'vitest';
import { SketchStore } from '../../src/features/sketchStore.ts';
import { AccountWindow } from '../../src/features/accountWindow.ts';
import { event } from './traffic.ts';

describe('SketchStore', () => {
  it('hands out distinct zeroed blocks and reuses a freed one, zeroed again', () => {
    const store = new SketchStore();
    const a = store.allocate(6);
    const b = store.allocate(6);
    expect(a.page === b.page && a.at === b.at).toBe(false);
    a.page.fill(7, a.at, a.at + 6);
    expect([...b.page.subarray(b.at, b.at + 6)]).toEqual([0, 0, 0, 0, 0, 0]);
    store.free(a, 6);
    const c = store.allocate(6);
    expect(c.page === a.page && c.at === a.at).toBe(true);
    expect([...c.page.subarray(c.at, c.at + 6)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('keeps blocks of different sizes apart and refuses a block it did not hand out', () => {
    const store = new SketchStore();
    const small = store.allocate(2);
    expect(() => store.free(small, 4)).toThrow(RangeError);
    const page = new Uint32Array(2);
    expect(() => store.free({ page, doubles: new Float64Array(page.buffer), at: 0 }, 2)).toThrow(RangeError);
  });

  it('starts every block on a double of the same memory, and refuses an odd size', () => {
    const store = new SketchStore();
    const a = store.allocate(4);
    const b = store.allocate(4);
    b.doubles[b.at / 2] = 0.1;
    expect(b.doubles.buffer).toBe(b.page.buffer);
    expect([...a.page.subarray(a.at, a.at + 4)]).toEqual([0, 0, 0, 0]);
    expect(b.doubles[b.at / 2]).toBe(0.1);
    expect(() => store.allocate(5)).toThrow(RangeError);
  });

  it('gives back a page whose blocks all came back, keeping one empty page, and fills the lowest page first', () => {
    const store = new SketchStore();
    // 1024 blocks a page: three pages' worth, then every block of the last two freed.
    const blocks = Array.from({ length: 3 * 1024 }, () => store.allocate(2));
    expect(store.pages).toBe(3);
    for (const b of blocks.slice(1024)) store.free(b, 2);
    expect(store.pages).toBe(2);
    // A freed block of the first page is handed out again before the kept empty page.
    store.free(blocks[5]!, 2);
    const again = store.allocate(2);
    expect(again.page === blocks[5]!.page && again.at === blocks[5]!.at).toBe(true);
    for (const b of blocks.slice(0, 1024)) if (b !== blocks[5]) store.free(b, 2);
    store.free(again, 2);
    expect(store.pages).toBe(1);
    const fresh = store.allocate(2);
    expect([...fresh.page.subarray(fresh.at, fresh.at + 2)]).toEqual([0, 0]);
    expect(store.pages).toBe(1);
    // Two pages' worth again: the second page goes where the first page was given back, and
    // both fill before a third is made.
    const refill = Array.from({ length: 2 * 1024 - 1 }, () => store.allocate(2));
    expect(store.pages).toBe(2);
    expect(new Set([fresh, ...refill].map((b) => b.page)).size).toBe(2);
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
