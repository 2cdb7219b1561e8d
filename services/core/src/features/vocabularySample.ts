/**
 * A prompt's vocabulary sample: the few words of a prompt that an account's vocabulary breadth
 * (Heaps' law: a sweep across the capability space keeps meeting new words, one field keeps
 * repeating its terms) is counted from. A word is sampled when its hash falls in the sampled
 * quarter of hash space (Gibbons' distinct sampling): the same words in every prompt of every
 * account, so the sample is a fixed quarter of the language, and a template's fixed words
 * weigh as a few words while the subject it is filled with brings its own. Of a prompt's first
 * FIRST_WORDS words (the SimHash's tokens, read from the hashes it already computed: no second
 * tokenisation, no allocation) at most SAMPLED_WORDS are taken, so that length is not breadth:
 * a coding agent's long context full of identifiers gives no more words than a short question.
 * Each sampled word is one bit position of a VOCABULARY_BITS-bit linear-counting bitmap
 * (`sketches/linearCounter.ts` estimates it).
 *
 *   promptSimHashParts('Explain step by step how gradient descent works');
 *   vocabularyWords(latestVocabularySample());   // the words of it in the sampled quarter: 0 to 4
 *
 * Good at: telling over hundreds of prompts an account that keeps to one field's terms from
 * one that covers many. Bad at: a single prompt, and accounts with few prompts (a minimum sample
 * is the reader's business). Pure: never keeps text, reads a clock or draws random numbers.
 */
import { latestFeatureCount, latestFeatureHashes } from '../events/simhash.ts';
import { mix32 } from '../sketches/hashing.ts';
import { LinearCounter } from '../sketches/linearCounter.ts';

/** Bits of the vocabulary bitmap (one 8-bit position per sampled word). */
export const VOCABULARY_BITS = 256;
/** The distinct sampled words of a window or a week: a bitmap whose bits `addVocabularySample` sets. */
export const VOCABULARY = new LinearCounter(VOCABULARY_BITS);
/** Words sampled per prompt, at most. */
export const SAMPLED_WORDS = 4;
/** Only a prompt's first words are read: its opening says what it is about, and it bounds the cost. */
export const FIRST_WORDS = 32;
/** A word is sampled when its rank (a mix of its 64-bit hash) is below this: a quarter of all words. */
const SAMPLED_RANK = 2 ** 30;
/** A sample packs its word count above its 8-bit positions: count · 2^32 + positions. */
const COUNT_UNIT = 4294967296;

/**
 * The vocabulary sample of the prompt whose SimHash `events/simhash.ts` computed last (call it
 * right after `promptSimHashParts`, before any other prompt is hashed): 0 for a prompt without
 * a sampled word. A word repeated in the prompt is taken once.
 */
export function latestVocabularySample(): number {
  const hashes = latestFeatureHashes();
  // Unigrams are features 0, 1, 3, 5, ...: feature 2t - 1 is token t's, for t ≥ 1.
  const features = Math.min(latestFeatureCount(), 2 * FIRST_WORDS - 1);
  let held = 0;
  let packed = 0;
  for (let f = 0; f < features && held < SAMPLED_WORDS; f = f === 0 ? 1 : f + 2) {
    // A multiplicative mix of both halves: FNV-1a's low bits alone are weak on short words.
    const rank = Math.imul(hashes[2 * f]! ^ hashes[2 * f + 1]!, 0x9e3779b1) >>> 0;
    if (rank >= SAMPLED_RANK) continue;
    const position = mix32(rank) & (VOCABULARY_BITS - 1);
    if (holds(packed, held, position)) continue;
    packed += position * 2 ** (8 * held);
    held++;
  }
  return held * COUNT_UNIT + packed;
}

/** Whether the first `held` positions packed in `packed` include `position` (a repeated word, or a collision). */
function holds(packed: number, held: number, position: number): boolean {
  for (let i = 0; i < held; i++) {
    if (packed % 256 === position) return true;
    packed = Math.floor(packed / 256);
  }
  return false;
}

/** How many words a sample holds (0..SAMPLED_WORDS). */
export function vocabularyWords(sample: number): number {
  return Math.floor(sample / COUNT_UNIT);
}

/** Sets the sample's word positions in the VOCABULARY_BITS-bit bitmap `state[at..at + 8)`. */
export function addVocabularySample(state: Uint32Array, at: number, sample: number): void {
  const count = vocabularyWords(sample);
  let packed = sample - count * COUNT_UNIT;
  for (let i = 0; i < count; i++) {
    const bit = packed & 0xff;
    packed = Math.floor(packed / 256);
    state[at + (bit >>> 5)] = (state[at + (bit >>> 5)]! | (1 << (bit & 31))) >>> 0;
  }
}
