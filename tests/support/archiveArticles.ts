import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLog } from '../../src/log.js';
import type { Article } from '../../src/model.js';
import { parseArchiveFile } from '../../src/sources/archiveDir.js';
import { loadSourceDefinitions } from '../../src/sources/definitions.js';
import { SourceRegistry } from '../../src/sources/registry.js';

/**
 * Archive files as the seed import stores them: the real archive of tests/fixtures/real-archive
 * (twenty articles of September 2023, with stories.json saying which report one event) and seeds/.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REAL_ARCHIVE_DIR = join(ROOT, 'tests/fixtures/real-archive');
export const SEEDS_DIR = join(ROOT, 'seeds');

/** stories.json: clusters of files that report one event, and files that report none of the others'. */
export interface LabelledStories {
  clusters: { event: string; members: string[] }[];
  different_events: [string, string, string][];
  singletons: string[];
}

export function labelledStories(): LabelledStories {
  return JSON.parse(readFileSync(join(REAL_ARCHIVE_DIR, 'stories.json'), 'utf8')) as LabelledStories;
}

let registry: SourceRegistry | undefined;

async function sources(): Promise<SourceRegistry> {
  registry ??= new SourceRegistry((await loadSourceDefinitions(join(ROOT, 'feeds'))).sources);
  return registry;
}

/** The archive files of `dir` (all, or those named), in name order, as stored articles keyed by file name. */
export async function archiveArticles(dir: string, files?: readonly string[]): Promise<Map<string, Article>> {
  const registry = await sources();
  const names = files ?? readdirSync(dir).filter((n) => n.endsWith('.txt')).sort();
  const out = new Map<string, Article>();
  for (const name of names) {
    const outcome = parseArchiveFile(name, readFileSync(join(dir, name)), registry, silentLog);
    if (!outcome.ok) throw new Error(`${name}: ${outcome.error}`);
    out.set(name, outcome.article);
  }
  return out;
}
