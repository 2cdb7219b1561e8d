/**
 * SketchStore: the sketch words and running sums of many open account-windows, kept as
 * fixed-size blocks in a few large pages instead of one small typed array per window. Each small typed
 * array costs about 200 bytes of object headers on the heap and about 500 bytes of allocator
 * overhead beside its 564 bytes of words (measured: 1,073 bytes of resident memory per
 * Uint32Array(141)); a burst of 10^5 new accounts holds 10^5 of them.
 *
 * A block is handed out zeroed and comes back with `free` when its window has been turned into
 * a record; blocks are handed out lowest page first, and a page all of whose blocks came back
 * is given back too (one empty page is kept), so the pages follow the windows open at once
 * instead of staying at their high-water mark. One store per aggregator: dropping the
 * aggregator drops its pages, whatever windows were still open.
 *
 * Must never hand one block to two windows, and never be shared between aggregators.
 *
 *   const store = new SketchStore();
 *   const block = store.allocate(194);   // { page, doubles, at }: words page[at] .. page[at + 193]
 *   store.free(block);
 */

/**
 * Where a window's words live: `page[at]` up to `page[at + words - 1]`. `doubles` is the same
 * memory read as 64-bit floats (index `at / 2` is the block's first double): `at` is always even,
 * so a window keeps its running sums in its block too, unboxed and outside the collected heap.
 */
export interface SketchBlock {
  readonly page: Uint32Array;
  readonly doubles: Float64Array;
  readonly at: number;
}

/** Blocks per page: a page of 194-word blocks is about 800 KB. */
const PAGE_BLOCKS = 1024;

/** One page: its words, the same memory as doubles, and its free blocks (most recently freed last). */
interface Page {
  readonly words: Uint32Array;
  readonly doubles: Float64Array;
  readonly free: number[];
}

/**
 * The blocks of one size. Blocks are handed out from the lowest page with a free one, so the
 * windows open at a time gather in the first pages; a page whose blocks are all free again is
 * given back (its memory with it), except one kept empty for reuse. So when an hour's windows
 * close together, the memory they held goes back before the scorer needs its own for the hour,
 * and a window opening and closing at a page's edge does not allocate a page each time.
 */
class BlockPool {
  readonly words: number;
  /** Pages by index; undefined where a page was given back. */
  readonly #pages: Array<Page | undefined> = [];
  readonly #pageIndex = new Map<Uint32Array, number>();
  /** No page below this index has a free block. */
  #lowest = 0;
  /** Pages with every block free (at most one is kept). */
  #emptyPages = 0;

  constructor(words: number) {
    this.words = words;
  }

  allocate(): SketchBlock {
    const pages = this.#pages;
    let index = this.#lowest;
    while (index < pages.length && (pages[index] === undefined || pages[index]!.free.length === 0)) index++;
    this.#lowest = index;
    const page = pages[index] ?? this.#create();
    if (page.free.length === PAGE_BLOCKS) this.#emptyPages--;
    const at = page.free.pop()! * this.words;
    page.words.fill(0, at, at + this.words);
    return { page: page.words, doubles: page.doubles, at };
  }

  free(block: SketchBlock): void {
    const index = this.#pageIndex.get(block.page);
    if (index === undefined || block.at % this.words !== 0) throw new RangeError('sketch block is not from this store');
    const page = this.#pages[index]!;
    page.free.push(block.at / this.words);
    if (index < this.#lowest) this.#lowest = index;
    if (page.free.length < PAGE_BLOCKS) return;
    if (this.#emptyPages === 0) this.#emptyPages++;
    else this.#giveBack(index);
  }

  /** Pages held (given-back pages not counted). */
  get pages(): number {
    return this.#pageIndex.size;
  }

  /** A new page in the first place free of one (a given-back page's, or the end). */
  #create(): Page {
    let index = 0;
    while (this.#pages[index] !== undefined) index++;
    const words = new Uint32Array(PAGE_BLOCKS * this.words);
    // Pushed in reverse so that blocks are handed out from the start of the page.
    const free = Array.from({ length: PAGE_BLOCKS }, (_, b) => PAGE_BLOCKS - 1 - b);
    const page: Page = { words, doubles: new Float64Array(words.buffer), free };
    this.#pages[index] = page;
    this.#pageIndex.set(words, index);
    this.#emptyPages++;
    this.#lowest = Math.min(this.#lowest, index);
    return page;
  }

  #giveBack(index: number): void {
    this.#pageIndex.delete(this.#pages[index]!.words);
    this.#pages[index] = undefined;
    while (this.#pages.length > 0 && this.#pages.at(-1) === undefined) this.#pages.pop();
    this.#lowest = Math.min(this.#lowest, this.#pages.length);
  }
}

export class SketchStore {
  /** Pools by block size in words (windows spanning more hours hold more hour counters). */
  readonly #pools = new Map<number, BlockPool>();

  /** A zeroed block of `words` words (an even number, so that every block starts on a double). */
  allocate(words: number): SketchBlock {
    if (words % 2 !== 0) throw new RangeError(`sketch blocks hold whole doubles: ${words} words is odd`);
    let pool = this.#pools.get(words);
    if (pool === undefined) {
      pool = new BlockPool(words);
      this.#pools.set(words, pool);
    }
    return pool.allocate();
  }

  /** Pages held, over every block size. */
  get pages(): number {
    let pages = 0;
    for (const pool of this.#pools.values()) pages += pool.pages;
    return pages;
  }

  /** Gives back a block of `words` words from `allocate`; it must not be read or written afterwards. */
  free(block: SketchBlock, words: number): void {
    const pool = this.#pools.get(words);
    if (pool === undefined) throw new RangeError(`no sketch blocks of ${words} words were handed out`);
    pool.free(block);
  }
}
