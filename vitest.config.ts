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
    // expect.poll waits for the console in Chromium; under the whole suite's load on two cores a
    // re-render can take seconds, so polls wait up to 15 s (they end as soon as they pass).
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
