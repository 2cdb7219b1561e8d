import { describe, expect, it } from 'vitest';
import { Random } from '../src/index.ts';
import { campaignTemplatePrompt, ELICITATION_SPACE, elicitationPrompt } from '../src/prompts.ts';

describe('Random', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (r: Random) => Array.from({ length: 5 }, () => r.nextUint32());
    expect(draw(new Random(42))).toEqual(draw(new Random(42)));
    expect(draw(new Random(42))).not.toEqual(draw(new Random(43)));
  });

  it('derives independent named streams from one seed', () => {
    const a = Random.derive(1, 'individual-1').next();
    const b = Random.derive(1, 'individual-2').next();
    expect(a).not.toBe(b);
    expect(Random.derive(1, 'individual-1').next()).toBe(a);
  });

  it('draws exponentials and log-normals around the asked centre', () => {
    const r = new Random(7);
    const n = 20_000;
    let sum = 0;
    const logs: number[] = [];
    for (let i = 0; i < n; i++) {
      sum += r.exponential(3);
      logs.push(r.logNormal(100, 0.5));
    }
    expect(sum / n).toBeGreaterThan(2.9);
    expect(sum / n).toBeLessThan(3.1);
    logs.sort((x, y) => x - y);
    expect(logs[n / 2]).toBeGreaterThan(95);
    expect(logs[n / 2]).toBeLessThan(105);
  });
});

describe('coverage sweep prompts', () => {
  it('visit every cell of the coverage space once before repeating', () => {
    const texts = new Set<string>();
    for (let i = 0; i < ELICITATION_SPACE; i++) texts.add(elicitationPrompt(i, 12345).text);
    expect(texts.size).toBe(ELICITATION_SPACE);
  });

  it('give a campaign template family just as many distinct prompts', () => {
    const texts = new Set<string>();
    for (let i = 0; i < ELICITATION_SPACE; i++) texts.add(campaignTemplatePrompt(['Explain {a} ({b}) step by step.'], i, 99).text);
    expect(texts.size).toBe(ELICITATION_SPACE);
  });
});
