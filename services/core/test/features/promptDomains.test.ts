import { describe, expect, it } from 'vitest';
import { DOMAINS, domainCount, promptDomain, type Domain } from '../../src/features/promptDomains.ts';

const index = (d: Domain) => DOMAINS.indexOf(d) + 1;

describe('promptDomain: the top-level domain a prompt names', () => {
  it('reads the domain most of the prompt\'s lexicon words point to', () => {
    expect(promptDomain('Prove that the integral of a continuous function is bounded')).toBe(index('mathematics'));
    expect(promptDomain('My patient shows every symptom of a chronic infection: what treatment?')).toBe(index('medicine'));
    expect(promptDomain('Write a sonnet with a metaphor about autumn')).toBe(index('writing-and-literature'));
    expect(promptDomain('Which treaty ended the war between the two empires in the 17th century?')).toBe(index('history'));
  });

  it('is 0 when no word is a lexicon term, and for an empty prompt', () => {
    expect(promptDomain('hello, how are you today?')).toBe(0);
    expect(promptDomain('')).toBe(0);
  });

  it('ignores case and a plural "s", and skips words with non-ASCII letters', () => {
    expect(promptDomain('EIGENVALUES of a MATRIX')).toBe(index('mathematics'));
    expect(promptDomain('Recipes with five ingredients')).toBe(index('everyday-life'));
    expect(promptDomain('recipé')).toBe(0);
  });

  it('counts only whole words, never a term inside a longer word', () => {
    expect(promptDomain('cellular')).toBe(0);
    expect(promptDomain('acidic')).toBe(0);
  });

  it('breaks a tie by the order of DOMAINS', () => {
    // One computing term, one mathematics term: computing comes first.
    expect(promptDomain('python integral')).toBe(index('computing'));
    expect(promptDomain('integral integral python')).toBe(index('mathematics'));
  });

  it('holds every domain in one 32-bit set', () => {
    expect(DOMAINS.length).toBeLessThanOrEqual(26);
    expect(domainCount(0)).toBe(0);
    expect(domainCount(0b1011)).toBe(3);
    expect(domainCount(2 ** DOMAINS.length - 1)).toBe(DOMAINS.length);
  });
});
