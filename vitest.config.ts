import { defineConfig } from 'vitest/config';
import SkipSummaryReporter from './tests/support/skipSummary.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds lib/ (what `npm start` runs) once, for the tests that start the CLI.
    globalSetup: ['tests/support/compiled.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The default output, then one line naming the checks that were skipped, the PostgreSQL suites
    // among them (tests/support/checks.ts, tests/support/postgres.ts).
    reporters: ['default', new SkipSummaryReporter()],
  },
});
