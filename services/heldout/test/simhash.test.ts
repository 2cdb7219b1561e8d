import { describe, expect, it } from 'vitest';
import { fnv1a64, promptSimhash } from '../src/index.ts';

// The contract's SimHash, transliterated step by step with BigInt: slow, but a second reading of
// the text (CONTRACT.md section 2) to hold the fast two-halves implementation to.
function contractSimhash(prompt: string): string {
  const tokens = prompt.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const features: string[] = [];
  tokens.forEach((t, i) => {
    features.push(t);
    if (i > 0) features.push(`${tokens[i - 1]} ${t}`);
  });
  const hashes = features.map((f) => {
    let h = 0xcbf29ce484222325n;
    for (const byte of new TextEncoder().encode(f)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
    return h;
  });
  let out = 0n;
  for (let bit = 0n; bit < 64n; bit++) {
    const set = hashes.filter((h) => (h >> bit) & 1n).length;
    if (set > hashes.length - set) out |= 1n << bit;
  }
  return out.toString(16).padStart(16, '0');
}

const hex = ([hi, lo]: [number, number]): string => hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');

describe('prompt SimHash (CONTRACT.md section 2)', () => {
  it('hashes bytes with 64-bit FNV-1a: the published test vectors', () => {
    expect(hex(fnv1a64(''))).toBe('cbf29ce484222325');
    expect(hex(fnv1a64('a'))).toBe('af63dc4c8601ec8c');
    expect(hex(fnv1a64('foobar'))).toBe('85944171f73967e8');
  });

  it('gives 0000000000000000 for an empty prompt and for one with no letters or digits', () => {
    expect(promptSimhash('')).toBe('0000000000000000');
    expect(promptSimhash('?! -- ...')).toBe('0000000000000000');
  });

  it('is the FNV-1a hash of the token itself when the prompt is one token (one feature, every set bit wins)', () => {
    expect(promptSimhash('a')).toBe('af63dc4c8601ec8c');
    expect(promptSimhash('  FOOBAR!! ')).toBe('85944171f73967e8');
  });

  it('takes the majority of three features for two tokens: a, b and "a b"', () => {
    const [a, b, ab] = [fnv1a64('a'), fnv1a64('b'), fnv1a64('a b')].map(hex).map((h) => BigInt(`0x${h}`)) as [bigint, bigint, bigint];
    const majority = (a & b) | (a & ab) | (b & ab);
    expect(promptSimhash('a b')).toBe(majority.toString(16).padStart(16, '0'));
  });

  it('normalises with NFKC and lower case before splitting', () => {
    expect(promptSimhash('ＦＯＯＢＡＲ')).toBe(promptSimhash('foobar'));
    expect(promptSimhash('Ⅻ ﬁle')).toBe(promptSimhash('xii file'));
  });

  it('counts a repeated word once per occurrence: "go go go" is five features, three of them "go", so "go" wins every bit', () => {
    expect(promptSimhash('go go go')).toBe(hex(fnv1a64('go')));
    expect(promptSimhash('b a a a')).toBe(contractSimhash('b a a a'));
  });

  it('agrees with the BigInt reading of the contract on ASCII and non-ASCII prompts', () => {
    for (const p of ['Explain quantum entanglement like I am five', 'Über café naïve 東京 タワー 2026', 'Q17. Which is true of Bayes theorem? A) B) C) D)', 'x'.repeat(300)]) {
      expect(promptSimhash(p)).toBe(contractSimhash(p));
    }
  });
});
