// The scorer's state changelog layout: version 3 keeps the input positions beside the scorer
// (`positions`), versions 1 and 2 inside it; a restore reads all three.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR_CONFIG, ScorerStateFormatError, WindowScorer, scorerStateToJSON } from '@distillwatch/core';
import { Completeness } from '../src/progress.ts';
import { POSITIONS_KEY, STATE_KEY, positionsValue, readScorerState, stateValue, type ScorerDoc, type ScorerPositions } from '../src/scorerStateChangelog.ts';

const doc: ScorerDoc = { scorer: scorerStateToJSON(new WindowScorer(DEFAULT_DETECTOR_CONFIG.scorer)), scoredThrough: 7_200_000, verdicts: null };
const positions: ScorerPositions = {
  completeness: new Completeness(2).toJSON(), featuresPositions: { 0: 12, 1: 30 }, progressPosition: 9, verdictsPositions: { 0: 2 },
};
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

describe('scorer state changelog', () => {
  it('reads back what a version 3 commit writes: the scorer and the positions', () => {
    const restored = readScorerState(new Map([[STATE_KEY, stateValue(doc)], [POSITIONS_KEY, positionsValue(positions)]]));
    expect(restored).toEqual({ doc, positions, legacyPending: [] });
  });

  it('takes the newest positions with an older scorer (a commit that only moved positions)', () => {
    const later = { ...positions, progressPosition: 15 };
    const restored = readScorerState(new Map([[STATE_KEY, stateValue(doc)], [POSITIONS_KEY, positionsValue(later)]]));
    expect(restored?.positions.progressPosition).toBe(15);
    expect(restored?.doc.scoredThrough).toBe(7_200_000);
  });

  it('reads a version 2 state, the positions inside it', () => {
    const restored = readScorerState(new Map([[STATE_KEY, json({ version: 2, ...doc, ...positions })]]));
    expect(restored).toEqual({ doc, positions, legacyPending: [] });
  });

  it('gives nothing for an empty changelog', () => {
    expect(readScorerState(new Map())).toBeNull();
  });

  it('refuses a version 3 state without its positions', () => {
    expect(() => readScorerState(new Map([[STATE_KEY, stateValue(doc)]]))).toThrow(ScorerStateFormatError);
  });
});
