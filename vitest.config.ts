import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `integration` needs the real local broker and
// registry (`pnpm distillwatch infra up`) and fails, never skips, when they are not there.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['services/*/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          // Many CLI tests start the command as a process (pnpm, node, a worker pool): a second or
          // two each when the machine is idle, more on a shared CI runner. A pure test that needs
          // this long is still a bug; the limit only keeps a busy machine from failing good runs.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['services/*/test/**/*.int.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
