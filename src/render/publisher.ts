import { createHash } from 'node:crypto';
import type { Article, Language } from '../model.js';
import type { SourceRegistry } from '../sources/registry.js';
import type { ArticleStore } from '../store/store.js';
import { renderAtom } from './atom.js';
import type { FeedView } from './feedView.js';
import { renderJsonFeed } from './jsonFeed.js';
import { renderRss } from './rss.js';

export type FeedFormat = 'rss' | 'atom' | 'json';

/** The three documents every feed is published as, by file name. */
export const FORMATS: Record<FeedFormat, { file: string; contentType: string; render: (view: FeedView) => string }> = {
  rss: { file: 'feed.xml', contentType: 'application/rss+xml; charset=utf-8', render: renderRss },
  atom: { file: 'atom.xml', contentType: 'application/atom+xml; charset=utf-8', render: renderAtom },
  json: { file: 'feed.json', contentType: 'application/feed+json; charset=utf-8', render: renderJsonFeed },
};

export const MERGED_KEY = 'all';
export const DEFAULT_LIMIT = 50;
/** Rendered documents kept per store version; filtered variants beyond it are rendered again. */
const CACHE_ENTRIES = 256;

export interface FeedQuery {
  /** `all` for the merged stream, or a source id. */
  key: string;
  format: FeedFormat;
  /** Scheme, host and port the feed is served under: self links are built on it. */
  origin: string;
  limit?: number;
  q?: string;
  lang?: Language;
}

export interface RenderedFeed {
  body: Buffer;
  /** Strong validator: a hash of the bytes. */
  etag: string;
  /** Latest modification among the items, epoch ms (0 for an empty feed). */
  lastModified: number;
  contentType: string;
}

export interface PublisherOptions {
  ttlMinutes: number;
}

function pathOf(key: string, format: FeedFormat): string {
  return key === MERGED_KEY ? `/${FORMATS[format].file}` : `/${key}/${FORMATS[format].file}`;
}

function matches(article: Article, q: FeedQuery): boolean {
  if (q.key !== MERGED_KEY && article.source !== q.key) return false;
  if (q.lang && article.language !== q.lang) return false;
  if (q.q) {
    const needle = q.q.toLowerCase();
    return article.title.toLowerCase().includes(needle) || article.contentHtml.toLowerCase().includes(needle);
  }
  return true;
}

/**
 * Turns the store into feed documents. Each distinct query is rendered once per store change
 * and served from memory after; nothing in a document depends on the clock.
 */
export class FeedPublisher {
  private cache = new Map<string, RenderedFeed>();
  private cachedVersion = -1;

  constructor(
    private readonly store: ArticleStore,
    private readonly sources: SourceRegistry,
    private readonly options: PublisherOptions,
  ) {}

  /** `all` and every defined source id. */
  keys(): string[] {
    return [MERGED_KEY, ...this.sources.definitions.map((d) => d.id)];
  }

  hasKey(key: string): boolean {
    return key === MERGED_KEY || this.sources.get(key) !== undefined;
  }

  render(query: FeedQuery): RenderedFeed {
    if (this.cachedVersion !== this.store.version) {
      this.cache.clear();
      this.cachedVersion = this.store.version;
    }
    const cacheKey = JSON.stringify([query.key, query.format, query.origin, query.limit, query.q, query.lang]);
    const hit = this.cache.get(cacheKey);
    if (hit) {
      // Map order is insertion order: re-inserting keeps the most recently used last.
      this.cache.delete(cacheKey);
      this.cache.set(cacheKey, hit);
      return hit;
    }
    const rendered = this.renderUncached(query);
    this.cache.set(cacheKey, rendered);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return rendered;
  }

  view(query: FeedQuery): FeedView {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const items: Article[] = [];
    for (const article of this.store.list()) {
      if (items.length >= limit) break;
      if (matches(article, query)) items.push(article);
    }
    const languages = new Set(items.map((a) => a.language));
    const def = query.key === MERGED_KEY ? undefined : this.sources.get(query.key);
    const view: FeedView = {
      key: query.key,
      title: def ? `${def.title} (${def.name})` : 'feedrelay: 美国之音、法广、德国之声中文新闻',
      description: def
        ? `${def.title}全文转载，由 feedrelay 重新发布`
        : `${this.sources.definitions.map((d) => d.title).join('、')}全文转载，由 feedrelay 重新发布`,
      homeUrl: def ? def.url : `${query.origin}/`,
      selfUrl: `${query.origin}${pathOf(query.key, query.format)}`,
      updated: items.reduce((max, a) => Math.max(max, a.modified, a.published), 0),
      items,
      source: (id) => this.sources.describe(id),
      ttlMinutes: this.options.ttlMinutes,
    };
    const only = languages.size === 1 ? [...languages][0] : undefined;
    view.language = only ?? 'zh';
    return view;
  }

  private renderUncached(query: FeedQuery): RenderedFeed {
    const view = this.view(query);
    const body = Buffer.from(FORMATS[query.format].render(view), 'utf8');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    return { body, etag, lastModified: view.updated, contentType: FORMATS[query.format].contentType };
  }
}
