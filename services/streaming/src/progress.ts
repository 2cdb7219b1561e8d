// Progress of the aggregators, and when a window is complete. Each usage partition's aggregator
// publishes, with every commit, how far its stream clock has got and where its account-features
// records end in each account-features partition. The scorer scores window W only when every
// usage partition's aggregator has completed W (its clock passed W's end by the idle grace) and
// the scorer has read every record that aggregator wrote before saying so. A quiet partition
// does not hold the rest back, because its aggregator follows the whole stream's clock once it
// has read everything in its partition; a lagging one (unread backlog) does, as it must.
// Pure: no Kafka, no clock.

/** One usage partition's progress (value of the progress topic, key = partition). */
export interface PartitionProgress {
  partition: number;
  /** The aggregator's stream clock; null before it starts. */
  clock: number | null;
  /** Every account-window ending at or before this is published; null: none yet. */
  completeThrough: number | null;
  /** account-features partition -> offset after the last record this aggregator wrote there. */
  features: Record<string, number>;
}

export function encodeProgress(p: PartitionProgress): Buffer {
  return Buffer.from(JSON.stringify(p), 'utf8');
}

export function decodeProgress(value: Buffer): PartitionProgress {
  const p = JSON.parse(value.toString('utf8')) as PartitionProgress;
  if (!Number.isInteger(p.partition) || typeof p.features !== 'object' || p.features === null) {
    throw new Error('not an aggregator progress record');
  }
  return p;
}

/** How far the stream as a whole has got: the largest clock of any partition (-Infinity: none). */
export function streamClockOf(progress: Iterable<PartitionProgress>): number {
  let clock = Number.NEGATIVE_INFINITY;
  for (const p of progress) if (p.clock !== null && p.clock > clock) clock = p.clock;
  return clock;
}

/** Progress reports not yet confirmed, kept per partition (older ones are superseded beyond this). */
const MAX_QUEUED = 256;

export interface CompletenessJSON {
  partitions: number;
  confirmed: (number | null)[];
  queued: PartitionProgress[][];
}

/** The scorer's view: which windows every usage partition has completed. */
export class Completeness {
  readonly partitions: number;
  /** Per usage partition: completeThrough of its latest report whose records the scorer has read. */
  readonly #confirmed: (number | null)[];
  readonly #queued: PartitionProgress[][];

  constructor(partitions: number) {
    this.partitions = partitions;
    this.#confirmed = Array.from({ length: partitions }, () => null);
    this.#queued = Array.from({ length: partitions }, () => []);
  }

  /** A progress report, in the order its partition published them. */
  offer(p: PartitionProgress): void {
    if (p.partition < 0 || p.partition >= this.partitions) return;
    const q = this.#queued[p.partition]!;
    q.push(p);
    if (q.length > MAX_QUEUED) q.splice(0, q.length - MAX_QUEUED);
  }

  /**
   * Confirms the reports whose records have all been read: `position(q)` is the scorer's next
   * offset to read in account-features partition q.
   */
  confirm(position: (featuresPartition: number) => number): void {
    this.#queued.forEach((q, partition) => {
      let i = 0;
      // A later report covers everything an earlier one did: the newest readable one wins.
      for (let k = 0; k < q.length; k++) {
        const readable = Object.entries(q[k]!.features).every(([fp, end]) => position(Number(fp)) >= end);
        if (readable) i = k + 1;
      }
      if (i > 0) {
        this.#confirmed[partition] = q[i - 1]!.completeThrough;
        q.splice(0, i);
      }
    });
  }

  /**
   * Per account-features partition, the furthest offset that a report not yet confirmed says
   * was written there: the scorer's lag is this minus its position (a high watermark would also
   * count the transaction markers, which a consumer never reads).
   */
  pendingEnds(): Map<number, number> {
    const ends = new Map<number, number>();
    for (const q of this.#queued) {
      for (const report of q) {
        for (const [fp, end] of Object.entries(report.features)) ends.set(Number(fp), Math.max(ends.get(Number(fp)) ?? 0, end));
      }
    }
    return ends;
  }

  /** Every window ending at or before this is complete (-Infinity while any partition has not reported). */
  get frontier(): number {
    let f = Number.POSITIVE_INFINITY;
    for (const c of this.#confirmed) f = Math.min(f, c ?? Number.NEGATIVE_INFINITY);
    return this.partitions === 0 ? Number.NEGATIVE_INFINITY : f;
  }

  toJSON(): CompletenessJSON {
    return { partitions: this.partitions, confirmed: [...this.#confirmed], queued: this.#queued.map((q) => [...q]) };
  }

  static fromJSON(json: CompletenessJSON): Completeness {
    const c = new Completeness(json.partitions);
    json.confirmed.forEach((v, i) => { c.#confirmed[i] = v; });
    json.queued.forEach((q, i) => { c.#queued[i]!.push(...q); });
    return c;
  }
}
