import { describe, expect, it } from 'vitest';
import { findCoverageShards, shapeCells, type ShardCandidate } from '../../src/campaigns/coverageShards.ts';

const SCALES = [{ tolerance: 0.25 }, { tolerance: 0.5 }];
const OPTIONS = { maxShardTopics: 4, minShardCompany: 0.6, maxShapeDistance: 1 };
const shard = (account: string, topics: string[], shape = [0.9, 9.6]): ShardCandidate => ({ account, shape, topics });
const always = () => 1;

describe('findCoverageShards', () => {
  it('links suspects with disjoint narrow slices that ask the same way in the same hours, across labs', () => {
    const pairs = findCoverageShards([
      shard('lab-a/s1', ['biology', 'chemistry']), shard('lab-b/s2', ['law', 'history', 'music']), shard('lab-c/s3', ['math']),
    ], SCALES, OPTIONS, always);
    expect(pairs).toEqual([['lab-a/s1', 'lab-b/s2'], ['lab-a/s1', 'lab-c/s3'], ['lab-b/s2', 'lab-c/s3']]);
  });

  it('does not link slices that overlap, or a broad account', () => {
    expect(findCoverageShards([shard('lab-a/s1', ['biology', 'law']), shard('lab-b/s2', ['law', 'music'])], SCALES, OPTIONS, always)).toEqual([]);
    expect(findCoverageShards([shard('lab-a/s1', ['a', 'b', 'c', 'd', 'e']), shard('lab-b/s2', ['f'])], SCALES, OPTIONS, always)).toEqual([]);
  });

  it('pairs a shard at a lab that labels no topic with a labelled narrow shard, never two unlabelled accounts', () => {
    expect(findCoverageShards([shard('lab-a/s1', []), shard('lab-b/s2', ['law'])], SCALES, OPTIONS, always)).toEqual([['lab-a/s1', 'lab-b/s2']]);
    expect(findCoverageShards([shard('lab-a/s1', []), shard('lab-a/s2', [])], SCALES, OPTIONS, always)).toEqual([]);
  });

  it('does not link shards that ask differently or keep different hours', () => {
    expect(findCoverageShards([shard('lab-a/s1', ['law']), shard('lab-b/s2', ['math'], [0.2, 7])], SCALES, OPTIONS, always)).toEqual([]);
    expect(findCoverageShards([shard('lab-a/s1', ['law']), shard('lab-b/s2', ['math'])], SCALES, OPTIONS, () => 0.3)).toEqual([]);
  });

  it('finds neighbours across a cell edge: shapes a little apart share a cell on one of the grids', () => {
    const a = [0.49, 9.4], b = [0.51, 9.6];
    expect(shapeCells(a, SCALES)[0]).not.toBe(shapeCells(b, SCALES)[0]);
    expect(findCoverageShards([shard('lab-a/s1', ['law'], a), shard('lab-b/s2', ['math'], b)], SCALES, OPTIONS, always)).toEqual([['lab-a/s1', 'lab-b/s2']]);
  });
});
