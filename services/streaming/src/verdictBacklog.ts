// The verdicts a new scorer owner must read before it scores a window: for each alert-verdicts
// partition, the end offset the topic had when the owner restored (its last stable offset:
// committed records only), kept while the owner's position is below it. Kafka orders records
// within a partition only, so the scorer gets its inputs' batches in no set order; without this a
// verdict published while the scorer was down, or before it started, could be read after windows
// it covers were scored, and the stream would page where `detect --verdicts` does not.
// It never reads Kafka itself: the owner says where the topic ended and how far it has read.

/** Where an alert-verdicts partition began and ended when the owner restored (as the admin API gives them). */
export interface PartitionEnds {
  partition: number;
  low: string;
  high: string;
}

export class VerdictBacklog {
  /** partition -> end offset still to reach. */
  readonly #ends = new Map<number, number>();

  /** `positions`: the next offset to read per partition, as the restored state has them. */
  constructor(ends: readonly PartitionEnds[], positions: ReadonlyMap<number, number>) {
    for (const { partition, low, high } of ends) {
      // Offsets below `low` are deleted: the consumer starts at `low`, so a partition whose
      // records are all deleted has nothing left to read.
      if (Number(high) > Math.max(Number(low), positions.get(partition) ?? 0)) this.#ends.set(partition, Number(high));
    }
  }

  /** Partition `partition` is read (applied, dead-lettered or skipped) below `position`. */
  readTo(partition: number, position: number): void {
    if (position >= (this.#ends.get(partition) ?? 0)) this.#ends.delete(partition);
  }

  /** True once every verdict that was on the topic at the restore has been read: windows may be scored. */
  get empty(): boolean {
    return this.#ends.size === 0;
  }

  /** Partition -> end offset still to reach (for the restore log). */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.#ends);
  }
}
