import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_PATH, withFeatureTable } from '../gen-feature-table.ts';

describe('the feature table of schemas/README.md', () => {
  it('matches the feature registry (run `node scripts/gen-feature-table.ts` after adding or changing a feature)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toBe(withFeatureTable(readme));
  });
});
