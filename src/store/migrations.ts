import { readdirSync, readFileSync } from 'node:fs';
import { StoreError } from '../errors.js';
import { PACKAGE_ROOT } from '../shared/packageRoot.js';

/**
 * The schema, as versioned SQL files in `migrations/`: `0001_name.sql` runs on every engine;
 * `0002_name.sqlite.sql` and `0002_name.postgres.sql` are one version written for each engine
 * where their SQL differs (the search index). Each engine records what it applied in
 * `schema_migrations` and applies the rest, in order, at start. Read from the package's src/, so
 * the compiled code (lib/) finds the same files.
 */
export const MIGRATIONS_DIR = `${PACKAGE_ROOT}src/store/migrations/`;
const FILE = /^(\d{4})_([a-z0-9_]+?)(?:\.(sqlite|postgres))?\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function migrationsFor(engine: 'sqlite' | 'postgres', dir = MIGRATIONS_DIR): Migration[] {
  const byVersion = new Map<number, Migration>();
  for (const file of readdirSync(dir).sort()) {
    const m = FILE.exec(file);
    if (!m) continue;
    if (m[3] !== undefined && m[3] !== engine) continue;
    const version = Number(m[1]);
    if (byVersion.has(version)) throw new StoreError(`${dir}${file}: migration ${version} is defined twice for ${engine}`);
    byVersion.set(version, { version, name: m[2]!, sql: readFileSync(`${dir}${file}`, 'utf8') });
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

export const MIGRATIONS_TABLE = 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)';
