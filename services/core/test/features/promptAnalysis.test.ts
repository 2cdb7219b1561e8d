import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { promptSimHashParts, simHashHex } from '../../src/events/simhash.ts';
import { analysePrompt, promptFactsOf, REASONING_REQUEST } from '../../src/features/promptAnalysis.ts';
import { mix32 } from '../../src/sketches/hashing.ts';
import { event } from './traffic.ts';

const template = (text: string, system: string | null = null) => {
  const f = analysePrompt(text, system);
  return [f.templateHi, f.templateLo];
};

/**
 * The template fingerprint written plainly, with BigInt and the Unicode patterns throughout:
 * the oracle for the ASCII fast path. Head words by the word pattern; tail words (after the
 * head, within the last 160 characters) are runs of letters, digits or surrogate halves.
 */
function referenceTemplate(text: string, system: string | null): [number, number] {
  const units: number[] = [];
  const fold = (word: string) => {
    units.push(0x20);
    const lower = word.toLowerCase();
    for (let i = 0; i < lower.length; i++) units.push(lower.charCodeAt(i));
  };
  const head = [...text.matchAll(/[\p{L}\p{N}]+/gu)].slice(0, 3);
  for (const m of head) fold(m[0]);
  const headEnd = head.length === 0 ? 0 : head.at(-1)!.index + head.at(-1)![0].length;
  units.push(0x7c);
  const from = Math.max(headEnd, text.length - 160);
  const inWord = (c: number) => (c >= 0xd800 && c <= 0xdfff) || /[\p{L}\p{N}]/u.test(String.fromCharCode(c));
  const tail: string[] = [];
  let end = text.length;
  while (tail.length < 2 && end > from) {
    while (end > from && !inWord(text.charCodeAt(end - 1))) end--;
    let start = end;
    while (start > from && inWord(text.charCodeAt(start - 1))) start--;
    if (start === end) break;
    tail.unshift(text.slice(start, end));
    end = start;
  }
  for (const word of tail) fold(word);
  units.push(0x7c);
  if (system !== null) for (let i = 0; i < system.length; i++) units.push(system.charCodeAt(i));
  let h = 0xcbf29ce484222325n;
  for (const u of units) h = ((h ^ BigInt(u)) * 0x100000001b3n) & ((1n << 64n) - 1n);
  const hi = Number(h >> 32n);
  const lo = Number(h & 0xffffffffn);
  const outLo = mix32((lo ^ mix32(hi)) >>> 0);
  return [mix32((hi ^ outLo) >>> 0), outLo];
}

describe('analysePrompt', () => {
  it('gives the template fingerprint of the plain Unicode reference, ASCII or not', () => {
    const word = fc.constantFrom('Explain', 'STEP', 'by', 'x2', 'café', 'ÉTAPE', 'İstanbul', 'ΣΑΣ', 'ﬁle', 'Ｓｔｅｐ', '数学', '𝐁𝐨𝐥𝐝', '🙂', 'naïve');
    const separator = fc.constantFrom(' ', ', ', '\n', '-', '...', '', 'é', ' ¿');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, separator), { maxLength: 30 }), fc.option(fc.constantFrom('sys-1', 'sp_ab')), (parts, system) => {
        const text = parts.map(([w, s]) => w + s).join('');
        expect(template(text, system)).toEqual(referenceTemplate(text, system));
      }),
      { numRuns: 400 },
    );
    const long = `Summarise: ${'word '.repeat(60)}Answer in JSON.`;
    expect(template(long)).toEqual(referenceTemplate(long, null));
  });

  it('computes the contract SimHash of the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      const facts = analysePrompt(text);
      const expected = promptSimHashParts(text);
      expect([facts.simHashHi, facts.simHashLo]).toEqual([expected.hi, expected.lo]);
    }));
  });

  it('asks for reasoning exactly when the reasoning-request pattern matches', () => {
    const word = fc.constantFrom('step', 'by', 'Step-By-STEP', 'each', 'every', 'all the intermediate', 'steps', 'explain',
      'your', 'the', 'reasoning', 'show', 'work', 'chain', 'of', 'thought', 'behind', 'walk', 'me', 'through', 'in',
      'full', 'detail', 'detailed', 'explanation', 'fully', 'worked', 'example', 'solution', 'justify', 'answer',
      'reason', 'carefully', 'think', 'it', 'ſtep', 'K', 'é', 'what', 'is');
    const separator = fc.constantFrom(' ', '-', '  ', '\n', ', ', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, separator), { maxLength: 12 }), (parts) => {
        const text = parts.map(([w, s]) => w + s).join('');
        expect(analysePrompt(text).asksForReasoning).toBe(REASONING_REQUEST.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives prompts built on one scaffold the same template fingerprint', () => {
    expect(template('Summarise this review: the blender is loud. Answer in JSON.'))
      .toEqual(template('Summarise this review: my cat loves the new bed, five stars. Answer in JSON.'));
    expect(template('Summarise this review: the blender is loud. Answer in JSON.'))
      .not.toEqual(template('Translate this review: the blender is loud. Answer in JSON.'));
    expect(template('Summarise this review: the blender is loud. Answer in JSON.'))
      .not.toEqual(template('Summarise this review: the blender is loud. Answer in YAML.'));
  });

  it('ignores case and punctuation around the template words', () => {
    expect(template('SUMMARISE this review -- loud blender... answer in json')).toEqual(template('Summarise this review: quiet fan. Answer in JSON!'));
  });

  it('does not count the words of a short prompt twice', () => {
    expect(template('hello world')).not.toEqual(template('hello world world'));
    expect(template('')).toEqual(template('  ?! '));
  });

  it('keeps its pinned fingerprint (template sketches are compared across labs and releases)', () => {
    const [hi, lo] = template('Summarise this review: the blender is loud. Answer in JSON.', 'sys-1');
    expect(hi!.toString(16).padStart(8, '0') + lo!.toString(16).padStart(8, '0')).toBe('931f3d76b0bf461f');
  });

  it('folds the system-prompt hash into the fingerprint', () => {
    expect(template('Answer briefly: why is the sky blue?', 'sys-1')).not.toEqual(template('Answer briefly: why is the sky blue?', 'sys-2'));
  });
});

describe('promptFactsOf', () => {
  it('prefers the text over the lab-supplied SimHash', () => {
    const facts = promptFactsOf(event({ prompt_text: 'hello world', prompt_simhash: 'ffffffffffffffff' }));
    expect(facts.hasText).toBe(true);
    expect(simHashHex('hello world')).toBe(
      facts.simHashHi.toString(16).padStart(8, '0') + facts.simHashLo.toString(16).padStart(8, '0'),
    );
  });

  it('uses the lab-supplied SimHash and system-prompt hash when the text is withheld', () => {
    const facts = promptFactsOf(event({ prompt_simhash: '0123456789abcdef', system_prompt_hash: 'sys-1' }));
    expect(facts).toMatchObject({ hasText: false, hasSimHash: true, simHashHi: 0x01234567, simHashLo: 0x89abcdef, hasTemplate: true, asksForReasoning: false });
  });

  it('knows nothing about a prompt of which nothing was sent', () => {
    expect(promptFactsOf(event())).toMatchObject({ hasText: false, hasSimHash: false, hasTemplate: false });
  });
});
