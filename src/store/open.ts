import { join } from 'node:path';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** The SQLite file inside the data folder. */
export const SQLITE_FILE = 'feedrelay.db';

export interface StoreOptions {
  dataDir: string;
}

/** Opens the configured store, creating and migrating its schema; throws StoreError naming it. */
export async function openStore(options: StoreOptions): Promise<Store> {
  return SqliteStore.open(join(options.dataDir, SQLITE_FILE));
}
