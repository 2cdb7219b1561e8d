import { describe, expect, it } from 'vitest';
import { closeWindow, DAY, hourOf, newAccount, T0 } from '../traffic.ts';

// One prompt per field, each naming two of the field's lexicon terms.
const FIELDS = [
  'the integral of a polynomial', 'a photon and its wavelength', 'a catalyst in an oxidation', 'a gene and its mutation',
  'a patient with this symptom', 'the court and the plaintiff', 'the empire and its dynasty', 'inflation and monetary policy',
  'a poem with a metaphor', 'a melody and its chord', 'the compiler and its runtime', 'a neural transformer',
];
const ask = (field: string, i: number) => ({ prompt_text: `Explain ${field} step by step, case ${i}` });

describe('prompt_domains_7d_log: breadth over days read from the prompts of an unlabelled lab', () => {
  it('counts the domains a sweep names over the week, day after day', () => {
    const sweep = newAccount();
    let last = closeWindow(sweep, hourOf(24, (i) => ask(FIELDS[i % 4]!, i)));
    for (let d = 1; d < 3; d++) last = closeWindow(sweep, hourOf(24, (i) => ask(FIELDS[4 * d + (i % 4)]!, i), T0 + d * DAY));
    expect(last.features.prompt_domains_7d_log).toBeCloseTo(Math.log1p(12));
  });

  it('keeps a deep researcher at its one or two fields, however busy', () => {
    const deep = newAccount();
    let last = closeWindow(deep, hourOf(60, (i) => ask(FIELDS[i % 3 === 0 ? 1 : 0]!, i)));
    for (let d = 1; d < 6; d++) last = closeWindow(deep, hourOf(60, (i) => ask(FIELDS[i % 3 === 0 ? 1 : 0]!, i), T0 + d * DAY));
    expect(last.features.prompt_domains_7d_log).toBeCloseTo(Math.log1p(2));
  });

  it('counts a domain once two prompts named it, in one window or on two days', () => {
    const account = newAccount();
    const first = closeWindow(account, hourOf(3, (i) => ask(FIELDS[i === 0 ? 0 : 5]!, i)));
    expect(first.features.prompt_domains_7d_log).toBeCloseTo(Math.log1p(1));
    const next = closeWindow(account, hourOf(1, (i) => ask(FIELDS[0]!, i), T0 + DAY));
    expect(next.features.prompt_domains_7d_log).toBeCloseTo(Math.log1p(2));
  });

  it('forgets the days beyond the last 7', () => {
    const account = newAccount();
    closeWindow(account, hourOf(24, (i) => ask(FIELDS[i % 12]!, i)));
    const later = closeWindow(account, hourOf(4, (i) => ask(FIELDS[0]!, i), T0 + 7 * DAY));
    expect(later.features.prompt_domains_7d_log).toBeCloseTo(Math.log1p(1));
  });

  it('is not observed (0) where the lab labels topics, or where no prompt names a domain', () => {
    const labelled = closeWindow(newAccount(), hourOf(24, (i) => ({ ...ask(FIELDS[i % 12]!, i), topic: 'science' })));
    expect(labelled.features.prompt_domains_7d_log).toBe(0);
    expect(labelled.features.topics_7d_log).toBeCloseTo(Math.log1p(1));
    const plain = closeWindow(newAccount(), hourOf(24, (i) => ({ prompt_text: `hello there, number ${i}` })));
    expect(plain.features.prompt_domains_7d_log).toBe(0);
    const hashed = closeWindow(newAccount(), hourOf(24, () => ({ prompt_simhash: '0123456789abcdef' })));
    expect(hashed.features.prompt_domains_7d_log).toBe(0);
  });
});
