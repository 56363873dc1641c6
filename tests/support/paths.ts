import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where things are in the repository, for every test: the one place that knows. */

/** The repository's root folder, with a trailing separator. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The command line the tests run as a process: src/cli.ts compiled to lib/, as `npm start` runs it (tests/support/compiled.ts builds it). */
export const CLI = join(ROOT, 'lib/cli.js');
/** The five seed files that ship with feedrelay. */
export const SEEDS_DIR = join(ROOT, 'seeds');
/** The outlets' source definitions that ship with feedrelay. */
export const FEEDS_DIR = join(ROOT, 'feeds');
/** Input and expected files for the tests (tests/fixtures/). */
export const FIXTURES = join(ROOT, 'tests/fixtures');

/** tests/fixtures/<parts>. */
export function fixturePath(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** The bytes of tests/fixtures/<parts>. */
export function fixtureBytes(...parts: string[]): Promise<Buffer> {
  return readFile(fixturePath(...parts));
}

/** The text (UTF-8) of tests/fixtures/<parts>. */
export function fixtureText(...parts: string[]): Promise<string> {
  return readFile(fixturePath(...parts), 'utf8');
}
