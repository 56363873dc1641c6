/** Shared by the render tests (issue #14): the five seeds in a store, through the real parser. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLog } from '../../src/log.js';
import type { Article } from '../../src/model.js';
import { FeedPublisher, type PublisherOptions } from '../../src/render/publisher.js';
import { parseArchiveFile } from '../../src/sources/archiveDir.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { SEED_FILES, SEEDS_DIR, sourceRegistry } from '../seedArchive/support.js';

export const ORIGIN = 'https://feeds.example.org';
/** After every seed's date: nothing is clamped. */
export const NOW = Date.UTC(2030, 0, 1);

/** The five seeds as the archive import stores them, in sequence order. */
export async function seedArticles(): Promise<Article[]> {
  const sources = await sourceRegistry();
  return SEED_FILES.map((file) => {
    const outcome = parseArchiveFile(file, readFileSync(join(SEEDS_DIR, file)), sources, silentLog);
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.article;
  });
}

/** An in-memory store holding `articles`; close it after. */
export async function storeWith(articles: readonly Article[]): Promise<SqliteStore> {
  const store = SqliteStore.open(':memory:');
  const results = await store.insertMany(articles);
  if (results.some((r) => r.result !== 'added')) throw new Error('storeWith: an article was refused');
  return store;
}

/** A publisher over `store` with the outlets of feeds/, a fixed clock; close it after. */
export async function publisherOver(store: Store, options: Partial<PublisherOptions> = {}): Promise<FeedPublisher> {
  return new FeedPublisher(store, await sourceRegistry(), { ttlMinutes: 15, clock: () => NOW, ...options });
}
