import { join } from 'node:path';
import type { Ingest } from '../ingest.js';
import type { Log } from '../log.js';
import { ArchiveDir, type ScanResult } from '../sources/archiveDir.js';
import type { SourceRegistry } from '../sources/registry.js';
import { FEED_STATE_FILE, readFeedStateFile } from '../store/feedState.js';
import { FULL_TEXT_STATE_FILE, readFullTextStateFile } from '../store/fullTextState.js';
import type { Store } from '../store/store.js';

/** Set in the store once a data folder of a release before the database has been taken in. */
export const LEGACY_IMPORTED = 'legacy-data-imported';

export interface ImportResult {
  articles: ScanResult;
  feedStates: number;
  pendingFullText: number;
  /** State files that were there but could not be read, by path and reason. */
  errors: string[];
}

export interface ImportDeps {
  store: Store;
  ingest: Ingest;
  sources: SourceRegistry;
  log: Log;
}

/**
 * Takes in a folder as releases before the database left it: its `NNN_<id>.txt` articles (in
 * sequence order, duplicates of what is stored skipped), the live feeds' validators and backoff
 * (`feed-state.json`) and the articles waiting for their full text (`fulltext-state.json`).
 * What the store already knows wins: an imported state never replaces a newer one.
 */
export async function importArchive(dir: string, deps: ImportDeps): Promise<ImportResult> {
  const { store } = deps;
  const articles = await new ArchiveDir(dir, deps).scan();
  const errors: string[] = [];

  const feeds = await readFeedStateFile(join(dir, FEED_STATE_FILE));
  if (feeds.error) errors.push(feeds.error);
  const known = await store.feedStates();
  const have = new Set(known.map((s) => `${s.source} ${s.url}`));
  const added = feeds.states.filter((s) => !have.has(`${s.source} ${s.url}`));
  if (added.length > 0) await store.saveFeedStates([...known, ...added]);

  const fullText = await readFullTextStateFile(join(dir, FULL_TEXT_STATE_FILE));
  if (fullText.error) errors.push(fullText.error);
  const current = await store.fullTextState();
  const waiting = new Set(current.pending.map((p) => p.id));
  const pending = fullText.pending.filter((p) => !waiting.has(p.id));
  const counts = { ...fullText.counts, ...current.counts };
  if (pending.length > 0 || Object.keys(fullText.counts).length > 0) {
    await store.saveFullTextState([...current.pending, ...pending], counts);
  }

  for (const error of errors) deps.log.error({ err: error }, 'state file not imported');
  return { articles, feedStates: added.length, pendingFullText: pending.length, errors };
}
