import { defineConfig } from 'vitest/config';
import SkipSummaryReporter from './tests/support/skipSummary.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds lib/ (what `npm start` runs) for the tests that start the CLI; probes the test
    // PostgreSQL once and says so when its suites are skipped.
    globalSetup: ['tests/support/compiled.ts', 'tests/support/postgres.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The default output, then one line naming the checks that were skipped (tests/support/checks.ts).
    reporters: ['default', new SkipSummaryReporter()],
  },
});
