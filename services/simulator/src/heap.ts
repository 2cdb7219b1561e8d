// A binary min-heap ordered by a numeric key with a numeric tie-break, so equal times always
// pop in the same order (determinism). Holds actors by next-event time and delayed events by
// arrival time; its size is the number of actors or in-flight events, never the output size.

interface Entry<T> {
  key: number;
  tie: number;
  value: T;
}

export class MinHeap<T> {
  private readonly items: Entry<T>[] = [];

  get size(): number {
    return this.items.length;
  }

  push(key: number, tie: number, value: T): void {
    const items = this.items;
    items.push({ key, tie, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  /** Smallest key, or Infinity when empty. */
  peekKey(): number {
    return this.items.length === 0 ? Infinity : this.items[0]!.key;
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && less(items[l]!, items[m]!)) m = l;
        if (r < items.length && less(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top.value;
  }
}

function less<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.key < b.key || (a.key === b.key && a.tie < b.tie);
}
