import { describe, expect, it } from 'vitest';
import { promptSimHashParts } from '../../src/events/simhash.ts';
import { addVocabularySample, FIRST_WORDS, latestVocabularySample, SAMPLED_WORDS, VOCABULARY, vocabularyWords } from '../../src/features/vocabularySample.ts';

function sampleOf(text: string): number {
  promptSimHashParts(text);
  return latestVocabularySample();
}

/** The bitmap positions a sample holds, ascending. */
function positionsOf(sample: number): number[] {
  const bitmap = new Uint32Array(VOCABULARY.words);
  addVocabularySample(bitmap, 0, sample);
  return Array.from({ length: VOCABULARY.bits }, (_, b) => b).filter((b) => (bitmap[b >>> 5]! >>> (b & 31)) & 1);
}

const words = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `term${from + i}`);

describe('vocabulary sample of a prompt', () => {
  it('samples a fixed quarter of all words', () => {
    let sampled = 0;
    for (let i = 0; i < 2000; i++) sampled += vocabularyWords(sampleOf(`term${i}`));
    expect(sampled).toBeGreaterThan(400);
    expect(sampled).toBeLessThan(600);
  });

  it('takes at most 4 words of a prompt, however long it is', () => {
    expect(SAMPLED_WORDS).toBe(4);
    expect(vocabularyWords(sampleOf(words(400).join(' ')))).toBe(4);
  });

  it('samples a word in every prompt or in none, wherever it stands', () => {
    const prompts = Array.from({ length: 50 }, (_, p) => words(6, 6 * p));
    for (const prompt of prompts) {
      const forward = sampleOf(prompt.join(' '));
      if (vocabularyWords(forward) === 4) continue; // more than 4 sampled words: the first 4 are taken
      expect(positionsOf(sampleOf(`${[...prompt].reverse().join(', ')}?`))).toEqual(positionsOf(forward));
    }
  });

  it('counts a repeated word once', () => {
    const sampledWord = words(100).find((w) => vocabularyWords(sampleOf(w)) === 1)!;
    expect(vocabularyWords(sampleOf(`${sampledWord} ${sampledWord} ${sampledWord}`))).toBe(1);
  });

  it('reads only the first 32 words (the opening, and a bound on the cost)', () => {
    const unsampled = words(400).filter((w) => vocabularyWords(sampleOf(w)) === 0);
    const opening = unsampled.slice(0, FIRST_WORDS);
    expect(sampleOf(opening.join(' '))).toBe(0);
    expect(sampleOf([...opening, ...words(200, 1000)].join(' '))).toBe(0);
    const sampledWord = words(100, 5000).find((w) => vocabularyWords(sampleOf(w)) === 1)!;
    expect(sampleOf([...opening, sampledWord].join(' '))).toBe(0);
    expect(sampleOf([...opening.slice(1), sampledWord].join(' '))).toBe(sampleOf(sampledWord));
  });

  it('is empty for a prompt without words', () => {
    expect(sampleOf('')).toBe(0);
    expect(sampleOf(' ?! ')).toBe(0);
  });

  it('sets one bitmap position per sampled word, so the bitmap counts distinct words', () => {
    const sampledWords = words(400).filter((w) => vocabularyWords(sampleOf(w)) === 1).slice(0, 40);
    const bitmap = new Uint32Array(VOCABULARY.words);
    for (let p = 0; p < 10; p++) addVocabularySample(bitmap, 0, sampleOf(sampledWords.slice(4 * p, 4 * p + 4).join(' ')));
    // 40 distinct words in 256 bits: a collision or two at most.
    expect(VOCABULARY.estimate(bitmap, 0)).toBeGreaterThan(36);
    expect(VOCABULARY.estimate(bitmap, 0)).toBeLessThan(44);
    const again = bitmap.slice();
    for (const w of sampledWords) addVocabularySample(again, 0, sampleOf(w));
    expect(again).toEqual(bitmap);
  });
});
