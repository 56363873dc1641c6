import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The package's root folder. The source (src/) and its compiled copy (lib/, what `npm start`
 * runs) both sit one level below it (this file two), so files beside them are found the same way from either.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What we read of package.json, read once. */
export const PACKAGE = JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { name: string; version: string };
