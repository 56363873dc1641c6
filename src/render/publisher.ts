import { RequestNotFoundError } from '../errors.js';
import type { Article, Language } from '../model.js';
import type { SourceRegistry } from '../sources/registry.js';
import type { ArticleStore } from '../store/store.js';
import { ARCHIVE_PAGE_SIZE, isCompletePage, newestPage, pageCount, pageItems } from './archive.js';
import { renderAtom } from './atom.js';
import { RenderedDocument } from './document.js';
import { DocumentCache, type CacheLimits } from './documentCache.js';
import { feedGuid, type FeedView, type PageLinks } from './feedView.js';
import { DEFAULT_LIMIT, filterQuery, matchesFilter, parseFeedFilter, type FeedFilter } from './feedQuery.js';
import { ARTICLE_CSP, renderArticlePage } from './articlePage.js';
import { INDEX_CSP, renderIndexPage } from './indexPage.js';
import { parseIndexFilter } from './indexFilter.js';
import { renderJsonFeed } from './jsonFeed.js';
import { renderOpml, type FeedListing } from './opml.js';
import { ACCEPTED_PARAMETERS, acceptedQuery } from './queryString.js';
import { renderRss } from './rss.js';
import { articlePath, feedPath, FEED_FILES, MERGED_KEY, OPML_PATH, parseSitePath, type DocumentRef, type FeedFormat } from './sitePaths.js';
import { plausibleArticle, PLAUSIBLE_FROM } from './time.js';

export { DEFAULT_LIMIT } from './feedQuery.js';
export { MERGED_KEY, type FeedFormat } from './sitePaths.js';

/** The three documents every feed is published as. */
export const FORMATS: Record<FeedFormat, { file: string; contentType: string; render: (view: FeedView) => string }> = {
  rss: { file: FEED_FILES.rss, contentType: 'application/rss+xml; charset=utf-8', render: renderRss },
  atom: { file: FEED_FILES.atom, contentType: 'application/atom+xml; charset=utf-8', render: renderAtom },
  json: { file: FEED_FILES.json, contentType: 'application/feed+json; charset=utf-8', render: renderJsonFeed },
};

const HTML_TYPE = 'text/html; charset=utf-8';
// RFC 9110 leaves OPML unregistered; text/x-opml is what readers and opml.org use.
const OPML_TYPE = 'text/x-opml; charset=utf-8';

/** Documents kept across requests; each is rendered once per store change. */
export const DEFAULT_CACHE_LIMITS: CacheLimits = { entries: 256, bytes: 64 * 1024 * 1024 };

/** Filtered lists kept per store version; each is an array of references, not of articles. */
const MATCH_MEMO_ENTRIES = 64;

const MERGED_TITLE = 'feedrelay: 美国之音、法广、德国之声中文新闻';

/** How a document is asked for: by the server (the default) or for the static build's files. */
export interface DocumentOptions {
  /** A copy for a plain file host, which ignores query strings: the index page offers no filters. */
  static?: boolean;
}

/** A feed request, as the static build and older callers state it. */
export interface FeedQuery {
  /** `all` for the merged stream, or a source id. */
  key: string;
  format: FeedFormat;
  /** Scheme, host, port (and path prefix) the feed is served under: self links are built on it. */
  origin: string;
  limit?: number;
  q?: string;
  lang?: Language;
  /** An archive page, 1 = oldest. */
  page?: number;
}

export type RenderedFeed = RenderedDocument;

export interface PublisherOptions {
  ttlMinutes: number;
  /**
   * Read once per store change: no stated time is later than this (see time.ts). Output depends
   * on it only for articles dated in the future.
   */
  clock?: () => number;
  cache?: CacheLimits;
}

/** Characters a query may carry as they are (RFC 3986 §3.4); anything else is percent-encoded. */
const QUERY_UNSAFE = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu;

/** The query string as the client sent it, made a valid URI component, for self links. */
function selfQuery(raw: string): string {
  if (raw === '') return '';
  return `?${raw.replace(QUERY_UNSAFE, (c) => encodeURIComponent(c))}`;
}

function filterLabel(filter: FeedFilter): string {
  const parts: string[] = [];
  if (filter.q !== undefined) parts.push(`关键词「${filter.q}」`);
  if (filter.lang !== undefined) parts.push(filter.lang === 'zh-Hant' ? '繁體' : '简体');
  return parts.length > 0 ? `（${parts.join('，')}）` : '';
}

/** The last change to a set of articles: an arrival counts, since it changes the feed too. */
function lastChange(items: readonly Article[]): number {
  return items.reduce((max, a) => Math.max(max, a.archived, a.modified, a.published), PLAUSIBLE_FROM);
}

/**
 * Turns the store into documents: feeds (subscription and archive pages, any filter), the index
 * page and OPML. Each distinct request is rendered once per store change and kept in a bounded
 * cache; nothing in a document depends on the clock but the ceiling on future dates.
 */
export class FeedPublisher {
  private readonly cache: DocumentCache;
  /** Filtered article lists of this store version, by order, key and filter. */
  private readonly matches = new Map<string, readonly Article[]>();
  private cachedVersion = -1;
  private now = 0;

  constructor(
    private readonly store: ArticleStore,
    private readonly sources: SourceRegistry,
    private readonly options: PublisherOptions,
  ) {
    this.cache = new DocumentCache(options.cache ?? DEFAULT_CACHE_LIMITS);
  }

  /** Documents held and their bytes (compressed forms included), for status and tests. */
  cacheStats(): { documents: number; bytes: number } {
    return { documents: this.cache.count, bytes: this.cache.bytes };
  }

  /** `all` and every defined source id. */
  keys(): string[] {
    return [MERGED_KEY, ...this.sources.definitions.map((d) => d.id)];
  }

  hasKey(key: string): boolean {
    return key === MERGED_KEY || this.sources.get(key) !== undefined;
  }

  /**
   * The document at `path` with query string `query` (no `?`), self links built on `origin`;
   * undefined when the path names nothing we publish. Parameters the document does not take are
   * ignored, and left out of the cache key. Throws RequestParameterError for a bad parameter and
   * RequestNotFoundError for an archive page that does not exist.
   */
  document(origin: string, path: string, query: string, options: DocumentOptions = {}): RenderedDocument | undefined {
    this.sync();
    let ref: DocumentRef | undefined;
    if (query !== '') {
      ref = parseSitePath(path);
      if (ref === undefined) return undefined;
      query = acceptedQuery(query, ACCEPTED_PARAMETERS[ref.kind]);
    }
    const cacheKey = `${origin}\n${path}\n${query}${options.static ? '\nstatic' : ''}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    ref ??= parseSitePath(path);
    if (ref === undefined || (ref.kind === 'feed' && !this.hasKey(ref.key))) return undefined;
    if (ref.kind === 'article' && !this.article(ref.id)) return undefined;
    const doc = this.renderRef(ref, origin, query, options);
    this.cache.set(cacheKey, doc);
    return doc;
  }

  /** One stored article by id, for its own page. */
  article(id: string): Article | undefined {
    return this.store.getById(id);
  }

  /** A feed by its parts; the same document `document()` serves for the equivalent URL. */
  render(query: FeedQuery): RenderedFeed {
    const filter = filterQuery({ limit: query.limit, q: query.q, lang: query.lang }, query.page === undefined);
    const doc = this.document(query.origin, feedPath(query.key, query.format, query.page), filter.slice(1));
    if (!doc) throw new RequestNotFoundError(`no feed ${JSON.stringify(query.key)}`);
    return doc;
  }

  /**
   * Every path a static copy of the site needs: index, OPML, the pages of the articles the index
   * lists, and each feed with all its archive pages.
   */
  paths(): string[] {
    this.sync();
    const paths = ['/', OPML_PATH, ...this.matching(MERGED_KEY, {}).slice(0, DEFAULT_LIMIT).map((a) => articlePath(a.id))];
    for (const key of this.keys()) {
      const pages = pageCount(this.matching(key, {}).length);
      for (const format of Object.keys(FORMATS) as FeedFormat[]) {
        paths.push(feedPath(key, format));
        for (let page = 1; page <= pages; page += 1) paths.push(feedPath(key, format, page));
      }
    }
    return paths;
  }

  /** The view a feed document is rendered from. */
  view(ref: Extract<DocumentRef, { kind: 'feed' }>, origin: string, query: string): FeedView {
    this.sync();
    const filter = parseFeedFilter(query, { paged: ref.page !== undefined });
    const matching = this.matching(ref.key, filter);
    const subscriptionUrl = `${origin}${feedPath(ref.key, ref.format)}${filterQuery(filter, false)}`;
    const pageUrl = (page: number): string => `${origin}${feedPath(ref.key, ref.format, page)}${filterQuery(filter, false)}`;
    let items: Article[];
    let pages: PageLinks = {};
    let archive = false;
    if (ref.page === undefined) {
      items = matching.slice(0, filter.limit ?? DEFAULT_LIMIT);
      // RFC 5005 §4: the subscription document links the newest archive document.
      if (matching.length > 0) pages = { prevArchive: pageUrl(newestPage(matching.length)) };
    } else {
      const last = pageCount(matching.length);
      if (ref.page > last) {
        throw new RequestNotFoundError(`archive page ${ref.page} does not exist yet; the newest is ${last}`);
      }
      items = pageItems(this.matching(ref.key, filter, 'arrival'), ref.page);
      archive = isCompletePage(ref.page, matching.length);
      // A complete page always links the next one, which exists from the moment it is complete:
      // its bytes then never change.
      pages = { current: subscriptionUrl };
      if (ref.page > 1) pages.prevArchive = pageUrl(ref.page - 1);
      if (ref.page < last) pages.nextArchive = pageUrl(ref.page + 1);
    }
    items = items.map((a) => plausibleArticle(a, this.now));
    const def = ref.key === MERGED_KEY ? undefined : this.sources.get(ref.key);
    const info = this.listing(ref.key, origin);
    const languages = new Set(items.map((a) => a.language));
    const only = languages.size === 1 ? [...languages][0] : undefined;
    const view: FeedView = {
      key: `${ref.key}${filterQuery(filter, false)}`,
      title: `${info.title}${filterLabel(filter)}`,
      description: info.description,
      homeUrl: def ? def.url : `${origin}/`,
      selfUrl: `${origin}${feedPath(ref.key, ref.format, ref.page)}${selfQuery(query)}`,
      language: filter.lang ?? only ?? 'zh',
      updated: lastChange(items),
      items,
      source: (id) => this.sources.describe(id),
      ttlMinutes: this.options.ttlMinutes,
      pages,
      archive,
    };
    return view;
  }

  /**
   * Articles of `key` passing `filter`, newest published first or in arrival order. The merged,
   * unfiltered lists are the store's own, kept sorted as articles arrive; any other is built once
   * per store change and kept, so re-rendering a feed costs its items, not the archive's size.
   */
  private matching(key: string, filter: FeedFilter, order: 'newest' | 'arrival' = 'newest'): readonly Article[] {
    const all = order === 'newest' ? this.store.list() : this.store.arrivalOrder();
    if (key === MERGED_KEY && filter.q === undefined && filter.lang === undefined) return all;
    const memoKey = `${order}\n${key}\n${filter.q ?? ''}\n${filter.lang ?? ''}`;
    let out = this.matches.get(memoKey);
    if (!out) {
      out = all.filter((article) => (key === MERGED_KEY || article.source === key) && matchesFilter(article, filter));
      this.matches.set(memoKey, out);
      if (this.matches.size > MATCH_MEMO_ENTRIES) this.matches.delete(this.matches.keys().next().value!);
    }
    return out;
  }

  private listing(key: string, origin: string): FeedListing {
    const def = key === MERGED_KEY ? undefined : this.sources.get(key);
    const urls = {
      rss: `${origin}${feedPath(key, 'rss')}`,
      atom: `${origin}${feedPath(key, 'atom')}`,
      json: `${origin}${feedPath(key, 'json')}`,
    };
    if (!def) {
      return {
        key,
        title: MERGED_TITLE,
        description: `${this.sources.definitions.map((d) => d.title).join('、')}全文转载，由 feedrelay 重新发布`,
        homeUrl: `${origin}/`,
        language: 'zh',
        urls,
      };
    }
    return {
      key,
      title: `${def.title} (${def.name})`,
      description: `${def.title}全文转载，由 feedrelay 重新发布`,
      homeUrl: def.url,
      language: def.language,
      urls,
    };
  }

  private renderRef(ref: DocumentRef, origin: string, query: string, options: DocumentOptions): RenderedDocument {
    if (ref.kind === 'feed') {
      const view = this.view(ref, origin, query);
      const body = Buffer.from(FORMATS[ref.format].render(view), 'utf8');
      return new RenderedDocument(body, FORMATS[ref.format].contentType, view.updated > PLAUSIBLE_FROM ? view.updated : 0);
    }
    if (ref.kind === 'article') return this.renderArticle(ref.id, origin);
    const feeds = this.keys().map((key) => this.listing(key, origin));
    if (ref.kind === 'opml') {
      // The list names feeds, not articles: it changes when a definition in feeds/ does.
      const modified = Math.max(PLAUSIBLE_FROM, ...this.sources.definitions.map((d) => d.modified ?? 0));
      return new RenderedDocument(Buffer.from(renderOpml({ title: MERGED_TITLE, feeds }), 'utf8'), OPML_TYPE, Math.min(modified, this.now));
    }
    return this.renderIndex(feeds, origin, query, options);
  }

  private renderIndex(feeds: FeedListing[], origin: string, query: string, options: DocumentOptions): RenderedDocument {
    const filter = options.static ? {} : parseIndexFilter(query, (id) => this.sources.get(id) !== undefined);
    const feedFilter = { q: filter.q, lang: filter.lang };
    const narrowed = filter.source !== undefined || filter.q !== undefined || filter.lang !== undefined;
    const matching = this.matching(filter.source ?? MERGED_KEY, feedFilter);
    const articles = matching.slice(0, DEFAULT_LIMIT).map((a) => plausibleArticle(a, this.now));
    // The last change anywhere: an arrival (the newest by arrival) or an edit, which happens to recent arrivals.
    const recent = this.matching(MERGED_KEY, {}, 'arrival').slice(-ARCHIVE_PAGE_SIZE).map((a) => plausibleArticle(a, this.now));
    const updated = lastChange([...articles, ...recent]);
    const total = this.store.size;
    const newest = newestPage(total);
    const selection = filterQuery(feedFilter, false);
    const body = renderIndexPage({
      title: MERGED_TITLE,
      description: feeds[0]!.description,
      origin,
      articles,
      total: matching.length,
      source: (id) => this.sources.describe(id),
      feeds,
      opmlUrl: `${origin}${OPML_PATH}`,
      archive: total > 0
        ? {
          pages: pageCount(total),
          urls: {
            rss: `${origin}${feedPath(MERGED_KEY, 'rss', newest)}`,
            atom: `${origin}${feedPath(MERGED_KEY, 'atom', newest)}`,
            json: `${origin}${feedPath(MERGED_KEY, 'json', newest)}`,
          },
        }
        : undefined,
      updated: updated > PLAUSIBLE_FROM ? updated : 0,
      filter,
      filteredFeeds: narrowed
        ? {
          rss: `${origin}${feedPath(filter.source ?? MERGED_KEY, 'rss')}${selection}`,
          atom: `${origin}${feedPath(filter.source ?? MERGED_KEY, 'atom')}${selection}`,
          json: `${origin}${feedPath(filter.source ?? MERGED_KEY, 'json')}${selection}`,
        }
        : undefined,
      static: options.static === true,
    });
    return new RenderedDocument(Buffer.from(body, 'utf8'), HTML_TYPE, updated > PLAUSIBLE_FROM ? updated : 0, {
      'Content-Security-Policy': INDEX_CSP,
    });
  }

  private renderArticle(id: string, origin: string): RenderedDocument {
    const article = plausibleArticle(this.article(id)!, this.now);
    const body = renderArticlePage({ article, source: this.sources.describe(article.source), origin, siteTitle: MERGED_TITLE });
    const updated = lastChange([article]);
    return new RenderedDocument(Buffer.from(body, 'utf8'), HTML_TYPE, updated > PLAUSIBLE_FROM ? updated : 0, {
      'Content-Security-Policy': ARTICLE_CSP,
    });
  }

  /** Drops every document when the store has changed, and reads the clock for the new version. */
  private sync(): void {
    if (this.cachedVersion === this.store.version) return;
    this.cache.clear();
    this.matches.clear();
    this.cachedVersion = this.store.version;
    this.now = (this.options.clock ?? Date.now)();
  }
}

export { ARCHIVE_PAGE_SIZE };
