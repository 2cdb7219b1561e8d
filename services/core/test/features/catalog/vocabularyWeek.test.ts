import { describe, expect, it } from 'vitest';
import { combineFeatures } from '../../../src/detector/subjects.ts';
import { MAX_VOCABULARY, MIN_SAMPLED_WORDS, vocabularySize } from '../../../src/features/catalog/vocabularyWeek.ts';
import { closeWindow, DAY, hourOf, newAccount, SUBJECTS, T0 } from '../traffic.ts';

// A field's terms: what a researcher's questions keep coming back to.
const FIELD = ['eigenvalue', 'matrix', 'symmetric', 'spectral', 'theorem', 'orthogonal', 'basis', 'kernel',
  'determinant', 'trace', 'diagonal', 'projection', 'rank', 'norm', 'inner', 'product'];
const pick = (list: readonly string[], i: number, k: number) => list[(i * 7 + k * 3) % list.length]!;

/** A question on one field: a template filled with three of its terms. */
const fieldQuestion = (i: number) => `Explain step by step why the ${pick(FIELD, i, 0)} of a ${pick(FIELD, i, 1)} ${pick(FIELD, i, 2)} matters, case ${i % 5}`;
/** A question anywhere in the capability space: the same template, words never met before. */
const sweepQuestion = (i: number) => `Explain step by step why the ${SUBJECTS[i % 30]}${i} of a w${3 * i} x${3 * i + 1} matters, case ${i % 5}`;

function week(make: (i: number) => string, days = 4, perDay = 40, lab = 'lab-a') {
  const account = newAccount(lab);
  let last = 0;
  for (let d = 0; d < days; d++) {
    const record = closeWindow(account, hourOf(perDay, (i) => ({ lab, prompt_text: make(d * perDay + i), topic: lab === 'lab-b' ? 'mathematics' : null }), T0 + d * DAY));
    last = record.features.vocabulary_7d_log!;
  }
  return last;
}

describe('vocabularySize', () => {
  const shown = (v: number, sampled: number) => v * (1 - Math.exp(-sampled / v));

  it('finds the vocabulary that shows the distinct words seen, busy or quiet alike', () => {
    expect(vocabularySize(shown(30, 1000), 1000)).toBeCloseTo(30, 3); // a field's terms, repeated
    expect(vocabularySize(shown(30, 120), 120)).toBeCloseTo(30, 3);
    expect(vocabularySize(shown(800, 150), 150)).toBeCloseTo(800, 0); // few repeats: a wide vocabulary
  });

  it('reads a sample without a repeat, or one beyond the largest vocabulary, as the largest', () => {
    expect(vocabularySize(150, 150)).toBe(MAX_VOCABULARY);
    expect(vocabularySize(shown(10_000, 500), 500)).toBe(MAX_VOCABULARY);
  });
});

describe('vocabulary_7d_log', () => {
  it('reads a sweep across the capability space as broader than a researcher on one field', () => {
    const sweep = week(sweepQuestion);
    const researcher = week(fieldQuestion);
    expect(researcher).toBeGreaterThan(0);
    expect(sweep).toBeGreaterThan(researcher + 0.1);
  });

  it('does not count a long prompt as breadth: each prompt gives at most 4 words', () => {
    const longField = (i: number) => `${fieldQuestion(i)} ${FIELD.join(' ')} ${FIELD.join(' ')}`;
    expect(week(longField)).toBeLessThan(week(sweepQuestion));
  });

  it('is not observed (0) below the minimum sample: a few questions say nothing about breadth', () => {
    expect(MIN_SAMPLED_WORDS).toBe(100);
    expect(week(sweepQuestion, 1, 24)).toBe(0); // at most 4 words a prompt: 96 words
    expect(week(sweepQuestion, 4, 40)).toBeGreaterThan(0);
  });

  it('is not observed where the lab labels topics (topics_7d_log measures breadth there)', () => {
    expect(week(sweepQuestion, 4, 40, 'lab-b')).toBe(0);
  });

  it('is not observed without prompt text', () => {
    const account = newAccount();
    const record = closeWindow(account, hourOf(200, () => ({ prompt_simhash: '0123456789abcdef' })));
    expect(record.features.vocabulary_7d_log).toBe(0);
  });

  it('begins a new week 7 days after the last began, forgetting the old words', () => {
    const account = newAccount();
    for (let d = 0; d < 4; d++) closeWindow(account, hourOf(60, (i) => ({ prompt_text: fieldQuestion(i) }), T0 + d * DAY));
    const later = closeWindow(account, hourOf(30, (i) => ({ prompt_text: fieldQuestion(i) }), T0 + 7 * DAY));
    expect(later.features.vocabulary_7d_log).toBe(0);
  });
});

describe('vocabulary_7d_log of a campaign', () => {
  it('is not observed when a member\'s is not (another lab, no text): the unseen member may hold the rest of the breadth', () => {
    const reader = closeWindow(newAccount('lab-a', 'reader'), hourOf(120, (i) => ({ account_id: 'reader', prompt_text: fieldQuestion(i) })));
    const hidden = closeWindow(newAccount('lab-c', 'hidden'), hourOf(40, () => ({ lab: 'lab-c', account_id: 'hidden', prompt_simhash: '0123456789abcdef' })));
    const other = closeWindow(newAccount('lab-a', 'other'), hourOf(120, (i) => ({ account_id: 'other', prompt_text: sweepQuestion(i) })));
    expect(reader.features.vocabulary_7d_log).toBeGreaterThan(0);
    expect(combineFeatures([reader, hidden]).vocabulary_7d_log).toBe(0);
    expect(combineFeatures([reader, other]).vocabulary_7d_log).toBeGreaterThan(reader.features.vocabulary_7d_log!);
  });
});
