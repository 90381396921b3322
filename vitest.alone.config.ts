import { defineConfig } from 'vitest/config';

// Tests that measure time (how long a running node leaves a request waiting) run on their own,
// after the others, so the other tests' load on a small machine is not counted against the node.
export default defineConfig({
  test: {
    include: ['test/**/*.alone.test.ts'],
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    maxWorkers: 1,
  },
});
