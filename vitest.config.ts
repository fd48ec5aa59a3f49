import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: on a 2-core machine one file at a time, while
    // much of the suite waits on PostgreSQL, child processes and Chromium. Two at least (bench/README.md, CI).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
