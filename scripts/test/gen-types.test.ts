import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, GENERATED_PATH } from '../gen-types.ts';

describe('generated schema types', () => {
  it('match the Avro schemas in schemas/ (run `node scripts/gen-types.ts` after editing a schema)', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generate());
  });

  it('make optional Avro fields optional and nullable in TypeScript', () => {
    const text = generate();
    expect(text).toContain('  prompt_text?: string | null;');
    expect(text).toContain('  event_time: number;');
    expect(text).toContain("export type KycTier = 'consumer' | 'standard' | 'review' | 'enhanced';");
  });
});
