import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canRun, SKIP_RECORDS, type Check } from './checks.js';
import { skipSummary } from './skipSummary.js';

describe('the skipped-checks line at the end of npm test', () => {
  it('names each skipped check and the Debian package that runs it, and says why a check without one is missing', () => {
    expect(skipSummary([
      { name: 'pages in Chromium', debianPackage: 'chromium' },
      { name: 'Atom against RFC 4287\'s schema', missing: 'the schema is not shipped with feedrelay; it is read from ../shared/schemas/atom.rnc, absent here' },
      { name: 'Atom against RFC 4287\'s schema with jing', debianPackage: 'jing' },
      { name: 'well-formedness with xmllint', debianPackage: 'libxml2-utils' },
    ], 74)).toBe(
      'Skipped checks: Atom against RFC 4287\'s schema (the schema is not shipped with feedrelay; it is read from ../shared/schemas/atom.rnc, absent here); '
      + 'Atom against RFC 4287\'s schema with jing (Debian package jing); pages in Chromium (Debian package chromium); '
      + 'well-formedness with xmllint (Debian package libxml2-utils) (74 tests skipped; apt-get install jing chromium libxml2-utils runs them).',
    );
  });

  it('says so when nothing was skipped', () => {
    expect(skipSummary([], 0)).toBe('Skipped checks: none (0 tests skipped).');
    expect(skipSummary([], 1)).toBe('Skipped checks: none (1 test skipped).');
  });
});

describe('canRun', () => {
  const absent = (name: string, debianPackage?: string): Check => ({ name, present: () => false, debianPackage, missing: debianPackage ? undefined : 'not here' });
  const recordFor = (name: string) => join(SKIP_RECORDS, `${name.replace(/[^A-Za-z0-9]+/g, '-')}.json`);
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  });

  it('records a missing check for the summary, once', () => {
    delete process.env.CI;
    const check = absent('a test-only tool', 'test-only-package');
    try {
      expect(canRun(check)).toBe(false);
      expect(JSON.parse(readFileSync(recordFor(check.name), 'utf8'))).toEqual({ name: 'a test-only tool', debianPackage: 'test-only-package' });
      expect(canRun(check)).toBe(false);
    } finally {
      rmSync(recordFor(check.name), { force: true });
    }
  });

  it('fails in CI when a Debian package is missing, but not for what no package provides', () => {
    process.env.CI = 'true';
    expect(() => canRun(absent('a tool CI installs', 'some-package'))).toThrow('a tool CI installs: required in CI but missing (apt-get install some-package)');
    const schema = absent('a file from outside');
    try {
      expect(canRun(schema)).toBe(false);
      expect(existsSync(recordFor(schema.name))).toBe(true);
    } finally {
      rmSync(recordFor(schema.name), { force: true });
    }
  });

  it('is true, and records nothing, for what is present', () => {
    const here: Check = { name: 'always here', present: () => true };
    expect(canRun(here)).toBe(true);
    expect(existsSync(recordFor(here.name))).toBe(false);
  });
});
