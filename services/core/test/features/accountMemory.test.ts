import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('account state memory', () => {
  it('keeps an active account (profile and one open window) within 1 KB (the target of issue 15)', () => {
    const script = fileURLToPath(new URL('./fixtures/accountMemory.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--expose-gc', script, '20000'], { encoding: 'utf8' });
    const { bytesPerAccount } = JSON.parse(out) as { bytesPerAccount: number };
    expect(bytesPerAccount).toBeGreaterThan(0);
    expect(bytesPerAccount).toBeLessThanOrEqual(1024);
  }, 60_000);
});
