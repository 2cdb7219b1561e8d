// Complementary coverage: a campaign that shards the capability space gives each of its
// accounts, often at different labs, a narrow slice of subject domains. Each slice alone looks
// like a researcher who works one or two fields in depth; together they cover the space. What
// ties the shards is not identity but their operator: one script asks the same way on every
// account (the same request shape) and runs them in the same hours.
//
// Two suspects (accounts above the threshold on their own, suspectBook.ts) are shards of one
// sweep when each has a narrow slice of labelled topics (at most `maxShardTopics`), the slices
// are disjoint, their request shapes agree (shapeDistance within `maxShapeDistance`), and they
// were active in mostly the same hours (Jaccard of their active hours, activitySchedule.ts, at
// least `minShardCompany`). Candidates come from buckets of the request shape (each value cut
// into cells of its tolerance, on two grids half a cell apart so neighbours across a cell edge
// still meet), never from all pairs; the cell keys also serve as partition keys. Two ordinary
// researchers are not linked: neither is a suspect. Topics a lab does not label (SimHash regions)
// are no slice: a suspect whose lab labels no topic has an unobserved slice, which neither
// confirms nor refutes disjointness, so it may pair with a labelled narrow shard but never with
// another unlabelled account (that pair would show no coverage at all). Pure: no clock, no I/O.
import type { ShapeScale } from './handover.ts';
import { shapeDistance } from './handover.ts';

export interface CoverageShardOptions {
  /** Most labelled topics a shard's slice may hold. Default 4. */
  maxShardTopics: number;
  /** Least Jaccard similarity of two shards' active hours. Default 0.6. */
  minShardCompany: number;
}

/** What the rule reads of a suspect: its key, request shape and labelled topics so far. */
export interface ShardCandidate { account: string; shape: readonly number[]; topics: readonly string[] }

/**
 * The pairs [a, b] (a < b) of suspects that are shards of one sweep. `company(a, b)` is the
 * Jaccard similarity of their active hours; `maxShapeDistance` as for hand-overs.
 */
export function findCoverageShards(suspects: readonly ShardCandidate[], scales: readonly ShapeScale[],
  options: CoverageShardOptions & { maxShapeDistance: number }, company: (a: string, b: string) => number): Array<[string, string]> {
  const shards = suspects.filter((s) => s.topics.length <= options.maxShardTopics);
  const cells = new Map<string, number[]>();
  shards.forEach((s, i) => {
    for (const key of shapeCells(s.shape, scales)) {
      let list = cells.get(key);
      if (!list) { list = []; cells.set(key, list); }
      list.push(i);
    }
  });
  const pairs = new Map<string, [string, string]>();
  for (const list of cells.values()) {
    for (let p = 0; p < list.length; p++) {
      for (let q = p + 1; q < list.length; q++) {
        const x = shards[list[p]!]!, y = shards[list[q]!]!;
        const [a, b] = x.account < y.account ? [x, y] : [y, x];
        const id = `${a.account}\u0000${b.account}`;
        // A slice nobody labelled is unobserved: it neither confirms nor refutes, but one side must show a slice.
        if (pairs.has(id) || (a.topics.length === 0 && b.topics.length === 0) || !disjoint(a.topics, b.topics)) continue;
        if (shapeDistance(a.shape, b.shape, scales) > options.maxShapeDistance) continue;
        if (company(a.account, b.account) < options.minShardCompany) continue;
        pairs.set(id, [a.account, b.account]);
      }
    }
  }
  return [...pairs.values()].sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : p[1] > q[1] ? 1 : 0));
}

/** The shape's cell on each of two grids half a tolerance apart: `<grid>:<cell>,<cell>,...`. */
export function shapeCells(shape: readonly number[], scales: readonly ShapeScale[]): string[] {
  return [0, 0.5].map((offset, grid) => `${grid}:${shape.map((v, k) => Math.floor(v / scales[k]!.tolerance + offset)).join(',')}`);
}

function disjoint(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return !b.some((t) => set.has(t));
}
