// The strings a parse worker of `detect --threads N` has sent to the main thread, numbered once
// for the whole run rather than once per batch: an account's id, key, card and network come
// back in every batch that holds one of its events, and sending each value once lets the main
// thread reuse one string object for it (no copy per batch, its hash computed once for the
// detector's maps). The worker keeps a `SentStrings`, the main thread one `ReceivedStrings` per
// worker; both start afresh together when the table reaches TABLE_LIMIT, so memory stays
// bounded however many accounts the input holds. Must never give a value another number on
// one side than on the other: the output of `detect` is byte-identical for every N.

/** Strings held at most on each side (about 15 MB of short strings). */
export const TABLE_LIMIT = 1 << 18;

/** Cache slots per field (a power of two). */
const CACHE_SLOTS = 1 << 12;

/** A value's slot in its field's cache: its length and last three code units, mixed. */
function cacheSlot(value: string): number {
  const n = value.length;
  if (n < 3) return n;
  return (Math.imul(n, 0x9e3779b1) ^ (value.charCodeAt(n - 1) << 8) ^ (value.charCodeAt(n - 2) << 4) ^ value.charCodeAt(n - 3)) & (CACHE_SLOTS - 1);
}

/** The worker's end: a number for every value, and the values the main thread has not seen yet. */
export class SentStrings {
  readonly #limit: number;
  readonly #index = new Map<string, number>();
  #added: string[] = [];
  #fresh = true;
  // A small direct-mapped cache per field, indexed by the value's length and last code units
  // (the distinctive end of an id or hash): comparing with the one value in the slot costs one
  // pass over the string, where the map has to hash the new string first and then compare.
  // A value found there has the number the map gave it; the map alone numbers new values.
  readonly #cachedValue: Array<string | null>;
  readonly #cachedRef: Int32Array;

  /** `fields`: string fields per event; `limit`: values held before starting afresh. */
  constructor(fields: number, limit = TABLE_LIMIT) {
    this.#limit = limit;
    this.#cachedValue = new Array<string | null>(fields * CACHE_SLOTS).fill(null);
    this.#cachedRef = new Int32Array(fields * CACHE_SLOTS);
  }

  /** Before a batch: starts the table afresh when it is full (the batch then says so). */
  beginBatch(): void {
    if (this.#index.size < this.#limit) return;
    this.#index.clear();
    this.#cachedValue.fill(null);
    this.#fresh = true;
  }

  /** The number of `value` (of field `field`), or -1 for null. */
  ref(field: number, value: string | null | undefined): number {
    if (value == null) return -1;
    const slot = field * CACHE_SLOTS + cacheSlot(value);
    if (value === this.#cachedValue[slot]) return this.#cachedRef[slot]!;
    let i = this.#index.get(value);
    if (i === undefined) {
      i = this.#index.size;
      this.#index.set(value, i);
      this.#added.push(value);
    }
    this.#cachedValue[slot] = value;
    this.#cachedRef[slot] = i;
    return i;
  }

  /** After a batch: the values it numbered first, and whether the table started afresh with it. */
  endBatch(): { added: string[]; fresh: boolean } {
    const out = { added: this.#added, fresh: this.#fresh };
    this.#added = [];
    this.#fresh = false;
    return out;
  }
}

/** The main thread's end for one worker: every value by its number, in the worker's order. */
export class ReceivedStrings {
  readonly strings: string[] = [];

  /** A batch's new values (after forgetting every value when the worker started afresh). */
  receive(added: readonly string[], fresh: boolean): void {
    if (fresh) this.strings.length = 0;
    for (let i = 0; i < added.length; i++) this.strings.push(added[i]!);
  }
}
