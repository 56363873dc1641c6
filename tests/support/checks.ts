import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT } from './paths.js';

/**
 * The checks that need something from outside npm: a browser, validators, a font, a schema (and,
 * recorded the same way, a PostgreSQL server). Where one is missing, its tests are skipped and the
 * skip is recorded, so `npm test` ends with one line saying what did not run and which Debian
 * package runs it (tests/support/skipSummary.ts). In CI (CI=true), where .ci/run installs every
 * package, a missing one fails instead, so a broken install cannot pass quietly.
 */

/** Where skips are recorded for the summary: one file per check, written from any worker. */
export const SKIP_RECORDS = join(ROOT, 'test-output', 'skipped-checks');

export interface Check {
  /** What is checked with it, as the summary names it. */
  name: string;
  present: () => boolean;
  /** The Debian package that provides it; absent for what no package provides. */
  debianPackage?: string;
  /** Why it may be missing, for a check no package provides. */
  missing?: string;
}

export interface SkipRecord {
  name: string;
  debianPackage?: string;
  missing?: string;
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, tool)));
}

/** RFC 4287's RELAX NG grammar, beside the project as ../shared; it is not shipped with feedrelay. */
export const ATOM_RNC = join(ROOT, '../shared/schemas/atom.rnc');

export const CHECKS = {
  chromium: { name: 'pages in Chromium', present: () => existsSync('/usr/bin/chromium'), debianPackage: 'chromium' },
  cjkFont: {
    name: 'screenshots with a CJK font',
    present: () => (spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).stdout ?? '').trim() !== '',
    debianPackage: 'fonts-noto-cjk',
  },
  xmllint: { name: 'well-formedness with xmllint', present: () => onPath('xmllint'), debianPackage: 'libxml2-utils' },
  jing: { name: 'Atom against RFC 4287\'s schema with jing', present: () => onPath('jing'), debianPackage: 'jing' },
  atomSchema: {
    name: 'Atom against RFC 4287\'s schema',
    present: () => existsSync(ATOM_RNC),
    missing: 'the schema is not shipped with feedrelay; it is read from ../shared/schemas/atom.rnc, absent here',
  },
} satisfies Record<string, Check>;

const known = new Map<Check, boolean>();

/** Whether the check can run here; when it cannot, the skip is recorded for the summary line. */
export function canRun(check: Check): boolean {
  let present = known.get(check);
  if (present === undefined) {
    present = check.present();
    known.set(check, present);
    if (!present) record(check);
  }
  return present;
}

function record(check: Check): void {
  if (process.env.CI === 'true' && check.debianPackage) {
    throw new Error(`${check.name}: required in CI but missing (apt-get install ${check.debianPackage})`);
  }
  recordSkip({ name: check.name, debianPackage: check.debianPackage, missing: check.missing });
}

/**
 * Records a skip for the summary line, once per name whichever worker writes it: what `canRun`
 * does for a missing check, and what the PostgreSQL suites do when no server answers
 * (tests/support/postgres.ts; their probe is asynchronous, so it is no `Check`).
 */
export function recordSkip(skip: SkipRecord): void {
  mkdirSync(SKIP_RECORDS, { recursive: true });
  writeFileSync(join(SKIP_RECORDS, `${skip.name.replace(/[^A-Za-z0-9]+/g, '-')}.json`), JSON.stringify(skip));
}
