/**
 * Prompt-diversity features: how many genuinely different prompts an account sends. A
 * product built on an API repeats a few templates with varying payloads; a distillation
 * harvest sends a stream of distinct questions, each asked once. Near-duplicates are SimHash
 * clusters (Hamming radius 3); templates are the first three and last two words plus the
 * system-prompt hash. Pure function of the window.
 */
import type { AccountWindow } from './accountWindow.ts';
import { share } from './volume.ts';

export const PROMPT_DIVERSITY_FEATURES = ['prompt_clusters_log', 'cluster_ratio', 'prompt_entropy', 'template_reuse'] as const;
export type PromptDiversityFeature = (typeof PROMPT_DIVERSITY_FEATURES)[number];

export function promptDiversityFeatures(w: AccountWindow): Record<PromptDiversityFeature, number> {
  const clusters = w.distinctPromptClusters();
  const prompts = w.hashedPrompts;
  return {
    prompt_clusters_log: Math.log1p(clusters),
    cluster_ratio: share(clusters, prompts),
    prompt_entropy: clusterEntropy(w.heldPromptClusters(), prompts, clusters),
    // Requests minus distinct templates = requests whose template was already seen in the window.
    template_reuse: w.templatedPrompts > 0 ? 1 - w.distinctTemplates() / w.templatedPrompts : 0,
  };
}

/**
 * Shannon entropy of the prompt-cluster distribution divided by ln(prompts): 0 when every
 * prompt is one cluster, 1 when every prompt is its own. The held (heavy) clusters contribute
 * their guaranteed counts (count - error); the rest of the prompts are spread evenly over the
 * clusters not held (distinct estimate minus held), the least-informative assumption about a
 * tail the sketch forgot.
 */
export function clusterEntropy(held: ReadonlyArray<{ count: number; error: number }>, prompts: number, distinct: number): number {
  if (prompts < 2) return 0;
  let entropy = 0;
  let guaranteed = 0;
  for (const c of held) {
    const g = c.count - c.error;
    if (g <= 0) continue;
    guaranteed += g;
    const p = g / prompts;
    entropy -= p * Math.log(p);
  }
  const rest = prompts - guaranteed;
  if (rest > 0) {
    const tailClusters = Math.min(rest, Math.max(1, Math.round(distinct) - held.length));
    const p = rest / prompts;
    entropy -= p * Math.log(p / tailClusters);
  }
  return clamp01(entropy / Math.log(prompts));
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
