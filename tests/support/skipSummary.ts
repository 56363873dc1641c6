import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { SKIP_RECORDS, type SkipRecord } from './checks.js';

/** The summary line: which checks were skipped, and how to get each. */
export function skipSummary(records: readonly SkipRecord[], skippedTests: number): string {
  const tests = `${skippedTests} test${skippedTests === 1 ? '' : 's'} skipped`;
  if (records.length === 0) return `Skipped checks: none (${tests}).`;
  const sorted = [...records].sort((a, b) => a.name.localeCompare(b.name));
  const parts = sorted.map((r) => (r.debianPackage ? `${r.name} (Debian package ${r.debianPackage})` : `${r.name} (${r.missing ?? 'not available here'})`));
  const packages = [...new Set(sorted.flatMap((r) => (r.debianPackage ? [r.debianPackage] : [])))];
  const install = packages.length > 0 ? `; apt-get install ${packages.join(' ')} runs them` : '';
  return `Skipped checks: ${parts.join('; ')} (${tests}${install}).`;
}

/**
 * A vitest reporter, listed after the default one: ends every run with one line saying which
 * checks needing something outside npm were skipped (tests/support/checks.ts records them).
 */
export default class SkipSummaryReporter implements Reporter {
  onTestRunStart(): void {
    rmSync(SKIP_RECORDS, { recursive: true, force: true });
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let names: string[] = [];
    try {
      names = readdirSync(SKIP_RECORDS).filter((n) => n.endsWith('.json'));
    } catch {
      // nothing recorded
    }
    const records = names.map((n) => JSON.parse(readFileSync(join(SKIP_RECORDS, n), 'utf8')) as SkipRecord);
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) if (test.result().state === 'skipped') skipped += 1;
    }
    process.stdout.write(`\n${skipSummary(records, skipped)}\n`);
  }
}
