import { join } from 'node:path';
import { isPostgresUrl } from './databaseUrl.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** The SQLite file inside the data folder. */
export const SQLITE_FILE = 'feedrelay.db';

export interface StoreOptions {
  dataDir: string;
  /** A postgres:// or postgresql:// URL: PostgreSQL there. Else (empty, absent) SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
}

/** Opens the configured store, creating and migrating its schema; throws StoreError naming it. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl !== undefined && isPostgresUrl(options.databaseUrl)) return PostgresStore.open(options.databaseUrl);
  return SqliteStore.open(join(options.dataDir, SQLITE_FILE));
}
