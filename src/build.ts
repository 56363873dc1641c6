import { mkdir, rename, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FeedPublisher } from './render/publisher.js';
import { INDEX_FILE, INDEX_PATH } from './render/sitePaths.js';

export interface BuiltFile {
  /** The URL path it answers, `/` for the index page. */
  path: string;
  file: string;
  bytes: number;
}

/** The file a static host serves for a URL path: `/` is `index.html`. */
export function fileForPath(outDir: string, path: string): string {
  return join(outDir, (path === INDEX_PATH ? INDEX_FILE : path).slice(1));
}

/**
 * Writes every document the server publishes (feeds with all their archive pages, the index page
 * and the pages of the articles it lists, OPML) under `outDir`, byte for byte what `serve`
 * answers for the same origin, except that the index page offers no filters or search: a static
 * host ignores query strings. Each file is written beside its target and renamed over it, so a
 * host serving the folder never sees half a file; its mtime is the document's Last-Modified,
 * which static servers pass on.
 */
export async function buildSite(publisher: FeedPublisher, outDir: string, origin: string): Promise<BuiltFile[]> {
  const built: BuiltFile[] = [];
  for (const path of await publisher.paths()) {
    const doc = await publisher.document(origin, path, '', { static: true });
    if (!doc) throw new Error(`build: ${path} is listed but not published`);
    const file = fileForPath(outDir, path);
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, doc.body);
    if (doc.lastModified > 0) {
      const seconds = Math.floor(doc.lastModified / 1000);
      await utimes(temp, seconds, seconds);
    }
    await rename(temp, file);
    built.push({ path, file, bytes: doc.body.length });
  }
  return built;
}
