/**
 * Space-Saving heavy hitters (Metwally, Agrawal & El Abbadi, "Efficient computation of
 * frequent and top-k elements in data streams", ICDT 2005): at most `capacity` counters; a key
 * not held replaces the smallest counter and inherits its count as error.
 *
 * Good at: the most frequent topics of an account-window with exact counts whenever there are
 * no more distinct keys than counters (the common case), and counts off by at most
 * total / capacity otherwise. Every counter overestimates (count - error ≤ true ≤ count), and
 * the counts always add up to the number of keys seen. Bad at: the long tail, which it
 * forgets; `replaced` says whether that happened.
 *
 * Unlike the hash-only sketches it keeps the keys themselves (strings), in plain arrays that
 * grow to `capacity`. Listings order by count, then key; which keys survive eviction depends
 * on arrival order, which for one account is the stream's own order, so results stay
 * deterministic.
 *
 *   const topics = new SpaceSaving(2);
 *   for (const t of ['math', 'math', 'code', 'law']) topics.add(t);
 *   topics.top(); // [{ key: 'law', count: 2, error: 1 }, { key: 'math', count: 2, error: 0 }]
 */

export interface HeavyHitter {
  key: string;
  /** Upper bound on the key's frequency. */
  count: number;
  /** How much of `count` may belong to keys evicted before this one took the counter. */
  error: number;
}

export class SpaceSaving {
  readonly capacity: number;
  // (key, count, error) triples in one exactly-sized array: an account-window usually holds
  // one to three topics, and growable arrays would reserve room for sixteen.
  private slots: Array<string | number> = [];
  /** Slot of the last key hit: consecutive events of an account usually share a topic. */
  private last = 0;
  /** Whether any key has been evicted (the counts are then upper bounds). */
  replaced = false;

  constructor(capacity = 32) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`SpaceSaving capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Number of keys held. */
  get size(): number {
    return this.slots.length / 3;
  }

  /** Counts one occurrence of `key`. */
  add(key: string): void {
    const slots = this.slots;
    let at = this.last;
    if (slots[at] !== key) {
      at = -1;
      for (let i = 0; i < slots.length; i += 3) {
        if (slots[i] === key) {
          at = i;
          break;
        }
      }
    }
    if (at >= 0) {
      slots[at + 1] = (slots[at + 1] as number) + 1;
      this.last = at;
      return;
    }
    if (slots.length < 3 * this.capacity) {
      this.last = slots.length;
      this.slots = slots.concat(key, 1, 0);
      return;
    }
    let min = 0;
    for (let i = 3; i < slots.length; i += 3) if ((slots[i + 1] as number) < (slots[min + 1] as number)) min = i;
    slots[min] = key;
    slots[min + 2] = slots[min + 1]!;
    slots[min + 1] = (slots[min + 1] as number) + 1;
    this.last = min;
    this.replaced = true;
  }

  /** The counters in slot order, for changelogs; `restore` rebuilds the identical sketch. */
  snapshot(): { slots: Array<[string, number, number]>; replaced: boolean } {
    const slots: Array<[string, number, number]> = [];
    for (let i = 0; i < this.slots.length; i += 3) {
      slots.push([this.slots[i] as string, this.slots[i + 1] as number, this.slots[i + 2] as number]);
    }
    return { slots, replaced: this.replaced };
  }

  static restore(capacity: number, snapshot: { slots: ReadonlyArray<readonly [string, number, number]>; replaced: boolean }): SpaceSaving {
    if (snapshot.slots.length > capacity) throw new RangeError(`SpaceSaving snapshot holds ${snapshot.slots.length} keys, capacity is ${capacity}`);
    const sketch = new SpaceSaving(capacity);
    sketch.slots = snapshot.slots.flatMap(([key, count, error]) => [key, count, error]);
    sketch.replaced = snapshot.replaced;
    return sketch;
  }

  /** The held keys, most frequent first, ties by key (code-unit order); at most `limit`. */
  top(limit = this.capacity): HeavyHitter[] {
    const out: HeavyHitter[] = [];
    for (let i = 0; i < this.slots.length; i += 3) {
      out.push({ key: this.slots[i] as string, count: this.slots[i + 1] as number, error: this.slots[i + 2] as number });
    }
    out.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out.length > limit ? out.slice(0, limit) : out;
  }
}
