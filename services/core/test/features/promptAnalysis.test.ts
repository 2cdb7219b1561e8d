import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { promptSimHashParts, simHashHex } from '../../src/events/simhash.ts';
import { analysePrompt, promptFactsOf } from '../../src/features/promptAnalysis.ts';
import { event } from './traffic.ts';

const template = (text: string, system: string | null = null) => {
  const f = analysePrompt(text, system);
  return [f.templateHi, f.templateLo];
};

describe('analysePrompt', () => {
  it('computes the contract SimHash of the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      const facts = analysePrompt(text);
      const expected = promptSimHashParts(text);
      expect([facts.simHashHi, facts.simHashLo]).toEqual([expected.hi, expected.lo]);
    }));
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
