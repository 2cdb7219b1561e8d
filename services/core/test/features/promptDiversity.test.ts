import { describe, expect, it } from 'vitest';
import { simHashHex } from '../../src/events/simhash.ts';
import { clusterEntropy } from '../../src/features/promptDiversity.ts';
import { featuresOf, harvestQuestion, hourOf, saasPrompt } from './traffic.ts';

describe('prompt diversity features', () => {
  it('sees a harvest of distinct questions as more diverse than a templated product', () => {
    const harvest = featuresOf(hourOf(300, (i) => ({ prompt_text: harvestQuestion(i) })));
    const product = featuresOf(hourOf(300, (i) => ({ prompt_text: saasPrompt(i) })));
    expect(harvest.prompt_clusters_log).toBeGreaterThan(Math.log1p(200));
    expect(product.prompt_clusters_log).toBeLessThan(Math.log1p(10));
    expect(harvest.cluster_ratio).toBeGreaterThan(0.7);
    expect(product.cluster_ratio).toBeLessThan(0.05);
    expect(harvest.prompt_entropy).toBeGreaterThan(0.9);
    expect(product.prompt_entropy).toBeLessThan(0.4);
    expect(product.template_reuse).toBeGreaterThan(0.95);
  });

  it('gives one repeated prompt zero entropy and full template reuse', () => {
    const f = featuresOf(hourOf(50, () => ({ prompt_text: 'What is the weather in Paris today?' })));
    expect(f.prompt_clusters_log).toBeCloseTo(Math.log1p(1));
    expect(f.prompt_entropy).toBe(0);
    expect(f.template_reuse).toBeCloseTo(1 - 1 / 50);
  });

  it('works from the lab-supplied SimHash when the prompt text is withheld', () => {
    const withText = featuresOf(hourOf(100, (i) => ({ prompt_text: harvestQuestion(i) })));
    const withheld = featuresOf(hourOf(100, (i) => ({ prompt_simhash: simHashHex(harvestQuestion(i)) })));
    expect(withheld.prompt_clusters_log).toBeCloseTo(withText.prompt_clusters_log, 10);
    expect(withheld.prompt_entropy).toBeCloseTo(withText.prompt_entropy, 10);
    // Without text or a system-prompt hash there is no template to reuse.
    expect(withheld.template_reuse).toBe(0);
  });

  it('reads reuse of a system prompt as template reuse when the text is withheld', () => {
    const f = featuresOf(hourOf(40, (i) => ({ prompt_simhash: simHashHex(harvestQuestion(i)), system_prompt_hash: 'sys-1' })));
    expect(f.template_reuse).toBeCloseTo(1 - 1 / 40);
  });
});

describe('clusterEntropy', () => {
  it('is 0 when every prompt is in one held cluster', () => {
    expect(clusterEntropy([{ count: 10, error: 0 }], 10, 1)).toBe(0);
  });

  it('is 1 when every prompt is its own cluster', () => {
    expect(clusterEntropy([{ count: 1, error: 0 }, { count: 1, error: 0 }], 100, 100)).toBeCloseTo(1);
  });

  it('lies between for two even clusters among many prompts', () => {
    expect(clusterEntropy([{ count: 50, error: 0 }, { count: 50, error: 0 }], 100, 2)).toBeCloseTo(Math.log(2) / Math.log(100));
  });
});
