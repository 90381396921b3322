import { defineConfig } from 'vitest/config';

// One runner for everything: unit, property, port acceptance suites, simulations, and the
// end-to-end tests that drive the built CLI, a real Chromium and pseudo-terminals.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timing tests run alone, after these (vitest.alone.config.ts).
    exclude: ['test/**/*.alone.test.ts', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    maxWorkers: 2,
  },
});
