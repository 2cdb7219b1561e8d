/**
 * SketchStore: the sketch words of many open account-windows, kept as fixed-size blocks in a
 * few large Uint32Array pages instead of one small Uint32Array per window. Each small typed
 * array costs about 200 bytes of object headers on the heap and about 500 bytes of allocator
 * overhead beside its 564 bytes of words (measured: 1,073 bytes of resident memory per
 * Uint32Array(141)); a burst of 10^5 new accounts holds 10^5 of them.
 *
 * A block is handed out zeroed and comes back with `free` when its window has been turned into
 * a record; freed blocks are reused first, so the pages grow to the most windows open at once
 * and stay there (they are the window state's high-water mark, reused every hour). One store
 * per aggregator: dropping the aggregator drops its pages, whatever windows were still open.
 *
 * Must never hand one block to two windows, and never be shared between aggregators.
 *
 *   const store = new SketchStore();
 *   const block = store.allocate(141);   // { page, at }: words page[at] .. page[at + 140]
 *   store.free(block);
 */

/** Where a window's words live: `page[at]` up to `page[at + words - 1]`. */
export interface SketchBlock {
  readonly page: Uint32Array;
  readonly at: number;
}

/** Blocks per page: a page of 141-word blocks is about 580 KB. */
const PAGE_BLOCKS = 1024;

/** The blocks of one size. */
class BlockPool {
  readonly words: number;
  readonly #pages: Uint32Array[] = [];
  readonly #pageIndex = new Map<Uint32Array, number>();
  /** Free blocks as `page index * PAGE_BLOCKS + block index`, most recently freed last. */
  readonly #free: number[] = [];

  constructor(words: number) {
    this.words = words;
  }

  allocate(): SketchBlock {
    if (this.#free.length === 0) this.#grow();
    const id = this.#free.pop()!;
    const page = this.#pages[Math.floor(id / PAGE_BLOCKS)]!;
    const at = (id % PAGE_BLOCKS) * this.words;
    page.fill(0, at, at + this.words);
    return { page, at };
  }

  free(block: SketchBlock): void {
    const index = this.#pageIndex.get(block.page);
    if (index === undefined || block.at % this.words !== 0) throw new RangeError('sketch block is not from this store');
    this.#free.push(index * PAGE_BLOCKS + block.at / this.words);
  }

  #grow(): void {
    const index = this.#pages.length;
    const page = new Uint32Array(PAGE_BLOCKS * this.words);
    this.#pages.push(page);
    this.#pageIndex.set(page, index);
    // Pushed in reverse so that blocks are handed out from the start of the page.
    for (let b = PAGE_BLOCKS - 1; b >= 0; b--) this.#free.push(index * PAGE_BLOCKS + b);
  }
}

export class SketchStore {
  /** Pools by block size in words (windows spanning more hours hold more hour counters). */
  readonly #pools = new Map<number, BlockPool>();

  /** A zeroed block of `words` words. */
  allocate(words: number): SketchBlock {
    let pool = this.#pools.get(words);
    if (pool === undefined) {
      pool = new BlockPool(words);
      this.#pools.set(words, pool);
    }
    return pool.allocate();
  }

  /** Gives back a block of `words` words from `allocate`; it must not be read or written afterwards. */
  free(block: SketchBlock, words: number): void {
    const pool = this.#pools.get(words);
    if (pool === undefined) throw new RangeError(`no sketch blocks of ${words} words were handed out`);
    pool.free(block);
  }
}
