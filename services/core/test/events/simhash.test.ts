import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventSimHash,
  hammingDistance,
  promptSimHash,
  promptSimHashParts,
  simHashFromHex,
  simHashHex,
  simHashToHex,
} from '../../src/events/simhash.ts';
import { parseUsageEventLine } from '../../src/events/parse.ts';

/** The contract's six steps written as plainly as possible, with BigInt: the oracle. */
function referenceSimHash(text: string): string {
  const tokens = text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const features: string[] = [...tokens];
  for (let i = 1; i < tokens.length; i++) features.push(`${tokens[i - 1]} ${tokens[i]}`);
  const mask = (1n << 64n) - 1n;
  const hashes = features.map((feature) => {
    let h = 0xcbf29ce484222325n;
    for (const byte of new TextEncoder().encode(feature)) {
      h ^= BigInt(byte);
      h = (h * 0x100000001b3n) & mask;
    }
    return h;
  });
  let simhash = 0n;
  for (let bit = 0n; bit < 64n; bit++) {
    const set = hashes.filter((h) => (h >> bit) & 1n).length;
    if (set > hashes.length - set) simhash |= 1n << bit;
  }
  return simhash.toString(16).padStart(16, '0');
}

function fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & ((1n << 64n) - 1n);
  return h;
}

const vectorsUrl = new URL('../../../../schemas/simhash-vectors.json', import.meta.url);
const vectors = JSON.parse(readFileSync(vectorsUrl, 'utf8')) as { vectors: { input: string; hex: string }[] };

describe('prompt SimHash', () => {
  it('is 0000000000000000 for an empty prompt and for one without letters or digits', () => {
    expect(simHashHex('')).toBe('0000000000000000');
    expect(simHashHex(' ,.!? ')).toBe('0000000000000000');
  });

  it('of a single token is that token’s FNV-1a 64 hash (the published test value for "a")', () => {
    // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (Fowler/Noll/Vo test vectors).
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(simHashHex('a')).toBe('af63dc4c8601ec8c');
    expect(simHashHex('A!')).toBe('af63dc4c8601ec8c');
  });

  it('of two tokens keeps only bits set in at least two of the three features', () => {
    // Features of "a b": "a", "b", "a b"; a bit needs a 2-of-3 majority.
    const [x, y, z] = [fnv1a64('a'), fnv1a64('b'), fnv1a64('a b')];
    const majority = (x & y) | (x & z) | (y & z);
    expect(simHashHex('a b')).toBe(majority.toString(16).padStart(16, '0'));
  });

  it('matches the BigInt reference on the published vectors', () => {
    expect(vectors.vectors.length).toBeGreaterThanOrEqual(6);
    for (const { input, hex } of vectors.vectors) {
      expect(referenceSimHash(input)).toBe(hex);
      expect(simHashHex(input)).toBe(hex);
    }
  });

  it('matches the BigInt reference on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(simHashHex(text)).toBe(referenceSimHash(text));
      }),
      { numRuns: 400 },
    );
  });

  it('matches the BigInt reference on ASCII text, upper case, controls and punctuation included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 300 }), (text) => {
        expect(simHashHex(text)).toBe(referenceSimHash(text));
      }),
      { numRuns: 400 },
    );
  });

  it('matches the BigInt reference on word salads with repeats and non-ASCII words', () => {
    const word = fc.constantFrom('explain', 'step', 'by', 'ÉTAPE', 'ﬁle', 'Ｓｔｅｐ', '数学', '١٢٣', '𝐁𝐨𝐥𝐝', 'x2', '🙂', 'İstanbul');
    const separator = fc.constantFrom(' ', ', ', '\n', '-', '...', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, separator), { maxLength: 40 }), (parts) => {
        const text = parts.map(([w, s]) => w + s).join('');
        expect(simHashHex(text)).toBe(referenceSimHash(text));
      }),
      { numRuns: 300 },
    );
  });

  it('matches the reference when more than 255 features vote (vote lanes are drained)', () => {
    const text = Array.from({ length: 700 }, (_, i) => `w${i % 37}`).join(' ');
    expect(simHashHex(text)).toBe(referenceSimHash(text));
  });

  it('treats lone surrogates as separators, like the reference', () => {
    const text = 'ab\ud800cd \udc00ef \ud83d';
    expect(simHashHex(text)).toBe(referenceSimHash(text));
    expect(simHashHex(text)).toBe(simHashHex('ab cd ef'));
  });

  it('handles tokens and prompts longer than its byte buffers', () => {
    const text = `short ${'é'.repeat(400)} tail`;
    expect(simHashHex(text)).toBe(referenceSimHash(text));
    const ascii = `Short ${'Ab'.repeat(700)} tail, ${'word '.repeat(300)}END`;
    expect(simHashHex(ascii)).toBe(referenceSimHash(ascii));
  });

  it('ignores case, punctuation and compatibility forms', () => {
    expect(simHashHex('Ｅｘｐｌａｉｎ ＳＴＥＰ by step')).toBe(simHashHex('explain step, by STEP!'));
  });

  it('offers the same hash as BigInt, hex and 32-bit halves', () => {
    const text = 'Hello, world!';
    const parts = promptSimHashParts(text);
    expect(promptSimHash(text)).toBe((BigInt(parts.hi) << 32n) | BigInt(parts.lo));
    expect(simHashToHex(parts)).toBe(simHashHex(text));
    expect(simHashFromHex(simHashHex(text))).toEqual(parts);
  });

  it('puts near-duplicate prompts closer than unrelated ones', () => {
    const base = promptSimHashParts('Explain step by step how to compute the derivative of x squared times sine x');
    const near = promptSimHashParts('Explain step by step how to compute the derivative of x cubed times sine x');
    const far = promptSimHashParts('Write a sonnet about the harbour at dawn in the style of a sea shanty');
    expect(hammingDistance(base, near)).toBeLessThan(hammingDistance(base, far));
  });
});

describe('hammingDistance', () => {
  it('counts differing bits across both halves', () => {
    expect(hammingDistance({ hi: 0, lo: 0 }, { hi: 0, lo: 0 })).toBe(0);
    expect(hammingDistance({ hi: 0xffffffff, lo: 0xffffffff }, { hi: 0, lo: 0 })).toBe(64);
    expect(hammingDistance(simHashFromHex('8000000000000001'), simHashFromHex('0000000000000000'))).toBe(2);
  });
});

describe('eventSimHash', () => {
  const base = {
    event_id: 'e',
    event_time: 0,
    lab: 'lab-a',
    account_id: 'a',
    model: 'm',
    input_tokens: 1,
    output_tokens: 1,
    cost_usd: 0,
  };
  function event(extra: Record<string, unknown>) {
    const parsed = parseUsageEventLine(JSON.stringify({ ...base, ...extra }), 1);
    if (parsed.kind !== 'event') throw new Error('fixture must be valid');
    return parsed.event;
  }

  it('prefers the prompt text over the lab’s SimHash', () => {
    expect(eventSimHash(event({ prompt_text: 'a', prompt_simhash: 'FFFFFFFFFFFFFFFF' }))).toEqual(promptSimHashParts('a'));
  });

  it('falls back to the lab’s SimHash, then to null', () => {
    expect(eventSimHash(event({ prompt_simhash: '00000000000000FF' }))).toEqual({ hi: 0, lo: 255 });
    expect(eventSimHash(event({}))).toBeNull();
  });
});
