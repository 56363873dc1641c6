/**
 * The URL space of what we publish. Archive pages are paths, not query parameters, so the static
 * build can write them as files: `/archive/3/atom.xml`, `/voa/archive/3/atom.xml`.
 */

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

/** The merged stream's key; every other key is a source id from feeds/. */
export const MERGED_KEY = 'all';
/** The stories reported by two or more outlets (issue #15): `/stories/feed.xml` and its archive. */
export const STORIES_KEY = 'stories';
export const INDEX_PATH = '/';
export const OPML_PATH = '/opml.xml';
/** The file a static host serves for `/`. */
export const INDEX_FILE = '/index.html';
/**
 * An article's own page: `/articles/<id>.html`. A file name with its extension, so a static
 * host serves the built copy as HTML too.
 */
const ARTICLE_PAGE = /^\/articles\/([0-9a-f]{16})\.html$/;

export type DocumentRef =
  | { kind: 'index' }
  | { kind: 'opml' }
  | { kind: 'article'; id: string }
  | { kind: 'feed'; key: string; format: FeedFormat; page?: number };

export function articlePath(id: string): string {
  return `/articles/${id}.html`;
}

const FORMAT_BY_FILE = new Map(Object.entries(FEED_FILES).map(([format, file]) => [file, format as FeedFormat]));
const PAGE = /^[1-9]\d{0,8}$/;

/** What a path names, or undefined when it is not one of our documents. Source ids are not checked here. */
export function parseSitePath(path: string): DocumentRef | undefined {
  if (path === INDEX_PATH || path === INDEX_FILE) return { kind: 'index' };
  if (path === OPML_PATH) return { kind: 'opml' };
  const article = ARTICLE_PAGE.exec(path);
  if (article) return { kind: 'article', id: article[1]! };
  const parts = path.split('/');
  if (parts[0] !== '') return undefined;
  const format = FORMAT_BY_FILE.get(parts.at(-1) ?? '');
  if (format === undefined) return undefined;
  const dirs = parts.slice(1, -1);
  const [a, b, c] = dirs;
  if (dirs.length === 0) return { kind: 'feed', key: MERGED_KEY, format };
  if (dirs.length === 1 && a !== '') return { kind: 'feed', key: a!, format };
  if (dirs.length === 2 && a === 'archive' && PAGE.test(b!)) return { kind: 'feed', key: MERGED_KEY, format, page: Number(b) };
  if (dirs.length === 3 && a !== '' && b === 'archive' && PAGE.test(c!)) return { kind: 'feed', key: a!, format, page: Number(c) };
  return undefined;
}

export function feedPath(key: string, format: FeedFormat, page?: number): string {
  const dir = key === MERGED_KEY ? '' : `/${key}`;
  const archive = page === undefined ? '' : `/archive/${page}`;
  return `${dir}${archive}/${FEED_FILES[format]}`;
}
