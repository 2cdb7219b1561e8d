// ExpiringMap: a map whose entries each end at an event time and are forgotten once that end
// falls before a horizon (the lab gate's account owners and campaigns, the forum's raised alerts
// and waiting verdicts, the forum's campaign names). It sweeps only once its oldest entry may have
// expired: it keeps a lower bound of the entries' ends, so a call whose horizon is not past that
// bound costs nothing. Why: the offline twin moves every clock at every event, and a sweep of a
// whole map at each one grew with the accounts and alerts ever remembered (`wide`). An entry's
// end is read from its value (`endOf`), so an entry set again with a later end lives longer.
// It never forgets an entry whose end is at or after the horizon, and iterates in insertion
// order, as a Map does. Pure: no clock; time is the caller's horizon.
//
//   const owners = new ExpiringMap<string, { end: number }>((o) => o.end);
//   owners.set('acct-1', { end: 10 }); owners.set('acct-2', { end: 30 });
//   owners.expire(20);   // forgets acct-1; expire(5) before it would not have swept at all
export class ExpiringMap<K, V> implements Iterable<[K, V]> {
  private readonly entries = new Map<K, V>();
  private readonly endOf: (value: V) => number;
  /** At most the least end among the entries: no entry can have expired before a horizon past it. */
  private oldest = Number.POSITIVE_INFINITY;

  constructor(endOf: (value: V) => number) {
    this.endOf = endOf;
  }

  get size(): number { return this.entries.size; }

  get(key: K): V | undefined { return this.entries.get(key); }

  set(key: K, value: V): void {
    this.entries.set(key, value);
    this.oldest = Math.min(this.oldest, this.endOf(value));
  }

  delete(key: K): void { this.entries.delete(key); }

  values(): IterableIterator<V> { return this.entries.values(); }

  [Symbol.iterator](): IterableIterator<[K, V]> { return this.entries[Symbol.iterator](); }

  /** Forgets every entry whose end is before `horizon`. */
  expire(horizon: number): void {
    if (!(this.oldest < horizon)) return;
    this.oldest = Number.POSITIVE_INFINITY;
    for (const [key, value] of this.entries) {
      const end = this.endOf(value);
      if (end < horizon) this.entries.delete(key);
      else this.oldest = Math.min(this.oldest, end);
    }
  }
}
