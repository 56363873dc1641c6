import { RequestNotFoundError } from '../errors.js';
import type { Article, Language, Story } from '../model.js';
import type { SourceInfo, SourceRegistry } from '../sources/registry.js';
import { searchKey } from '../store/search.js';
import type { ArticleFilter, Store } from '../store/store.js';
import { ARCHIVE_PAGE_SIZE, isCompletePage, newestPage, pageCount } from './archive.js';
import { renderAtom } from './atom.js';
import { RenderedDocument } from './document.js';
import { ScriptConverter } from './converterPool.js';
import { putPage, TextBatch, type ConvertTexts } from './convertText.js';
import { DocumentCache, type CacheLimits } from './documentCache.js';
import { type FeedItem, type FeedView, type PageLinks } from './feedView.js';
import { DEFAULT_LIMIT, filterQuery, itemFilterSpec, parseFeedFilter, parsePageConversion, type FeedFilter } from './feedQuery.js';
import { articlePredicate } from './filters.js';
import { ARTICLE_CSP, renderArticlePage } from './articlePage.js';
import { indexQuery, parseIndexFilter, type IndexFilter } from './indexFilter.js';
import { INDEX_CSP, renderIndexPage, type IndexView } from './indexPage.js';
import { renderJsonFeed } from './jsonFeed.js';
import { renderOpml, type FeedListing } from './opml.js';
import { ACCEPTED_PARAMETERS, acceptedQuery } from './queryString.js';
import { renderRss } from './rss.js';
import { itemStory, storyItem, STORIES_SOURCE } from './storyFeed.js';
import { articlePath, feedPath, FEED_FILES, MERGED_KEY, OPML_PATH, parseSitePath, STORIES_KEY, type DocumentRef, type FeedFormat } from './sitePaths.js';
import { CONVERSIONS, convertedLanguage, TRADITIONAL_VARIANT, type ConversionName } from './scripts.js';
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

/** The kinds of document we publish, as the server names them in its metrics. */
export type DocumentRoute = 'index' | 'opml' | 'article' | 'feed' | 'archive';

/** A path that names one of our documents, parsed: what `lookup` finds and `documentAt` renders. */
export interface PublishedPath {
  readonly path: string;
  readonly ref: DocumentRef;
  readonly route: DocumentRoute;
}

export interface PublisherOptions {
  ttlMinutes: number;
  /**
   * Read once per store change: no stated time is later than this (see time.ts). Output depends
   * on it only for articles dated in the future.
   */
  clock?: () => number;
  cache?: CacheLimits;
  /**
   * The time of day, read by `filter_time` and by the cache for documents that expire with it;
   * not `clock`, which the service sets to the latest writable date (stored times are clamped
   * when stored). Default Date.now.
   */
  wallClock?: () => number;
  /**
   * Converts text between scripts (`?opencc=`); by default a worker thread the publisher starts
   * on the first request for a conversion and stops on close.
   */
  convert?: ConvertTexts;
  /** The WebSub hub feeds announce, from the origin they are served under; none without it. */
  hub?: (origin: string) => string;
}

/**
 * RSSHub's filters (filters.ts) are regular expressions, which no index answers: a filtered
 * subscription document reads the store's newest articles a page at a time and keeps those that
 * pass until it has `limit`, or has read FILTER_SCAN_BUDGET candidates. Past that it holds what it
 * found: a pattern that almost nothing matches costs a bounded read, never the whole archive.
 */
export const FILTER_SCAN_PAGE = 100;
export const FILTER_SCAN_BUDGET = 2_000;

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
  if (filter.patterns !== undefined) parts.push('已过滤');
  if (filter.time !== undefined) parts.push(`${filter.time} 秒内`);
  return parts.length > 0 ? `（${parts.join('，')}）` : '';
}

/** What a feed's key and filter ask of the store. */
function storeFilter(key: string, filter: FeedFilter): ArticleFilter {
  const out: ArticleFilter = {};
  if (key !== MERGED_KEY) out.source = key;
  if (filter.lang !== undefined) out.language = filter.lang;
  if (filter.q !== undefined) out.q = filter.q;
  return out;
}

/**
 * The RFC 5005 links of archive page `page` of a feed of `total` entries, or RequestNotFoundError
 * for a page past the newest. A complete page always links the next one, which exists from the
 * moment it is complete: its bytes then never change.
 */
function archivePageLinks(page: number, total: number, subscriptionUrl: string, pageUrl: (page: number) => string): PageLinks {
  const last = pageCount(total);
  if (page > last) throw new RequestNotFoundError(`archive page ${page} does not exist yet; the newest is ${last}`);
  const links: PageLinks = { current: subscriptionUrl };
  if (page > 1) links.prevArchive = pageUrl(page - 1);
  if (page < last) links.nextArchive = pageUrl(page + 1);
  return links;
}

/** The last change to a set of articles: an arrival counts, since it changes the feed too. */
function lastChange(items: readonly Pick<Article, 'archived' | 'modified' | 'published'>[]): number {
  return items.reduce((max, a) => Math.max(max, a.archived, a.modified, a.published), PLAUSIBLE_FROM);
}

/**
 * Turns the store into documents: feeds (subscription and archive pages, any filter), the index
 * page and OPML. Each distinct request is rendered once per store change and kept in a bounded
 * cache; nothing in a document depends on the clock but the ceiling on future dates.
 */
export class FeedPublisher {
  private readonly cache: DocumentCache;
  /** Renders under way, so that many readers asking at once for one document cost one render. */
  private readonly inFlight = new Map<string, Promise<RenderedDocument | undefined>>();
  /** Bumped on every change to the store: a render begun before a change is not kept. */
  private generation = 0;
  private now: number;
  private readonly unsubscribe: () => void;
  private readonly convertTexts: ConvertTexts;
  private readonly ownConverter: ScriptConverter | undefined;

  constructor(
    private readonly store: Store,
    private readonly sources: SourceRegistry,
    private readonly options: PublisherOptions,
  ) {
    this.cache = new DocumentCache(options.cache ?? DEFAULT_CACHE_LIMITS, options.wallClock ?? Date.now);
    if (options.convert) {
      this.convertTexts = options.convert;
    } else {
      const converter = new ScriptConverter();
      this.ownConverter = converter;
      this.convertTexts = (name, texts) => converter.convert(name, texts);
    }
    this.now = (options.clock ?? Date.now)();
    this.unsubscribe = store.onChange(() => this.invalidate());
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
    return key === MERGED_KEY || key === STORIES_KEY || this.sources.get(key) !== undefined;
  }

  /**
   * What `path` names among our documents, parsed once (the query is not looked at), or undefined
   * for none: a feed of an unknown source is none. The server looks a path up with this, then
   * answers from `documentAt`, so a request's path is parsed once however it is answered.
   */
  lookup(path: string): PublishedPath | undefined {
    const ref = parseSitePath(path);
    if (ref === undefined) return undefined;
    if (ref.kind !== 'feed') return { path, ref, route: ref.kind };
    if (!this.hasKey(ref.key)) return undefined;
    return { path, ref, route: ref.page === undefined ? 'feed' : 'archive' };
  }

  /** What kind of our documents `path` names (the query is not looked at), or undefined for none. */
  routeOf(path: string): DocumentRoute | undefined {
    return this.lookup(path)?.route;
  }

  /**
   * The query stripped of the parameters the document does not take, and the cache key built on
   * what is left: `?utm_source=x` names the same cached document as no query at all.
   */
  private requestOf(origin: string, target: PublishedPath, query: string, options: DocumentOptions): { query: string; cacheKey: string } {
    const accepted = query === '' ? '' : acceptedQuery(query, ACCEPTED_PARAMETERS[target.ref.kind]);
    return { query: accepted, cacheKey: `${origin}\n${target.path}\n${accepted}${options.static ? '\nstatic' : ''}` };
  }

  /** The document as rendered since the last change, if it is. */
  cached(origin: string, path: string, query: string): RenderedDocument | undefined {
    const target = this.lookup(path);
    return target && this.cache.get(this.requestOf(origin, target, query, {}).cacheKey);
  }

  /**
   * The document at `path` with query string `query` (no `?`), self links built on `origin`;
   * undefined when the path names nothing we publish. Parameters the document does not take are
   * ignored, and left out of the cache key. Rejects with RequestParameterError for a bad
   * parameter and RequestNotFoundError for an archive page that does not exist.
   */
  async document(origin: string, path: string, query: string, options: DocumentOptions = {}): Promise<RenderedDocument | undefined> {
    const target = this.lookup(path);
    return target && this.documentAt(target, origin, query, options);
  }

  /**
   * The document a looked-up path names, as `document()`. One rendered since the last change is
   * returned as it is, not in a promise: the hot path answers it in the same turn of the loop.
   */
  documentAt(target: PublishedPath, origin: string, query: string, options: DocumentOptions = {}): RenderedDocument | Promise<RenderedDocument | undefined> {
    const request = this.requestOf(origin, target, query, options);
    const { cacheKey } = request;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    let pending = this.inFlight.get(cacheKey);
    if (!pending) {
      const generation = this.generation;
      pending = this.renderRef(target.ref, origin, request.query, options).then((doc) => {
        // An article nobody has is not kept: it is a cheap lookup, and ids are many.
        if (doc && generation === this.generation) this.cache.set(cacheKey, doc);
        return doc;
      }).finally(() => {
        if (this.inFlight.get(cacheKey) === pending) this.inFlight.delete(cacheKey);
      });
      this.inFlight.set(cacheKey, pending);
    }
    return pending;
  }

  /** One stored article by id, for its own page. */
  article(id: string): Promise<Article | undefined> {
    return this.store.get(id);
  }

  /** A feed by its parts; the same document `document()` serves for the equivalent URL. */
  async render(query: FeedQuery): Promise<RenderedFeed> {
    const filter = filterQuery({ limit: query.limit, q: query.q, lang: query.lang }, query.page === undefined);
    const doc = await this.document(query.origin, feedPath(query.key, query.format, query.page), filter.slice(1));
    if (!doc) throw new RequestNotFoundError(`no feed ${JSON.stringify(query.key)}`);
    return doc;
  }

  /**
   * Every path a static copy of the site needs: index, OPML, the pages of the articles the index
   * lists, and each feed with all its archive pages.
   */
  async paths(): Promise<string[]> {
    const listed = await this.store.newest({}, DEFAULT_LIMIT);
    const paths = ['/', OPML_PATH, ...listed.map((a) => articlePath(a.id))];
    for (const key of this.keys()) {
      const pages = pageCount(await this.store.count(storeFilter(key, {})));
      for (const format of Object.keys(FORMATS) as FeedFormat[]) {
        paths.push(feedPath(key, format));
        for (let page = 1; page <= pages; page += 1) paths.push(feedPath(key, format, page));
      }
    }
    for (const format of Object.keys(FORMATS) as FeedFormat[]) paths.push(feedPath(STORIES_KEY, format));
    return paths;
  }

  /** The view a feed document is rendered from. */
  async view(ref: Extract<DocumentRef, { kind: 'feed' }>, origin: string, query: string): Promise<FeedView> {
    return (await this.feed(ref, origin, query)).view;
  }

  /** A feed's view, and when it expires (a `filter_time` feed) though the store does not change. */
  private async feed(ref: Extract<DocumentRef, { kind: 'feed' }>, origin: string, query: string): Promise<{ view: FeedView; expires?: number }> {
    if (ref.key === STORIES_KEY) return this.storyFeed(ref, origin, query);
    const filter = parseFeedFilter(query, { paged: ref.page !== undefined });
    const narrowed = storeFilter(ref.key, filter);
    const total = await this.store.count(narrowed);
    // Pages and the subscription link each other with every filter but limit and filter_time.
    const linked = filterQuery(filter, false, false);
    const subscriptionUrl = `${origin}${feedPath(ref.key, ref.format)}${linked}`;
    const pageUrl = (page: number): string => `${origin}${feedPath(ref.key, ref.format, page)}${linked}`;
    const spec = itemFilterSpec(filter);
    const predicate = spec && articlePredicate(spec);
    const keep = predicate === undefined ? () => true : (a: Article) => predicate(a, this.sources.describe(a.source));
    let items: Article[];
    let expires: number | undefined;
    let pages: PageLinks = {};
    let archive = false;
    if (ref.page === undefined) {
      const limit = filter.limit ?? DEFAULT_LIMIT;
      if (predicate === undefined && filter.time === undefined) items = await this.store.newest(narrowed, limit);
      else ({ items, expires } = await this.scan(narrowed, limit, keep, filter.time));
      // RFC 5005 §4: the subscription document links the newest archive document.
      if (total > 0) pages = { prevArchive: pageUrl(newestPage(total)) };
    } else {
      pages = archivePageLinks(ref.page, total, subscriptionUrl, pageUrl);
      // Page N holds arrivals (N-1)*size+1 … N*size, newest first as feeds list them; RSSHub's
      // patterns then keep what they match of the page, which is as immutable as the page.
      items = (await this.store.byArrival(narrowed, (ref.page - 1) * ARCHIVE_PAGE_SIZE, ARCHIVE_PAGE_SIZE)).reverse().filter(keep);
      archive = isCompletePage(ref.page, total);
    }
    items = items.map((a) => plausibleArticle(a, this.now));
    // An archive page's bytes never change (RFC 5005), but a story grows after its first report:
    // only the subscription document names stories.
    const withStories = ref.page === undefined ? await this.withStories(items) : items;
    const def = ref.key === MERGED_KEY ? undefined : this.sources.get(ref.key);
    const info = this.listing(ref.key, origin);
    const languages = new Set(items.map((a) => a.language));
    const only = languages.size === 1 ? [...languages][0] : undefined;
    const view: FeedView = {
      key: `${ref.key}${filterQuery(filter, false, true)}`,
      title: `${info.title}${filterLabel(filter)}`,
      description: info.description,
      homeUrl: def ? def.url : `${origin}/`,
      selfUrl: `${origin}${feedPath(ref.key, ref.format, ref.page)}${selfQuery(query)}`,
      ...(this.options.hub ? { hub: this.options.hub(origin) } : {}),
      language: filter.lang ?? only ?? 'zh',
      updated: lastChange(items),
      items: withStories,
      source: (id) => this.sources.describe(id),
      ttlMinutes: this.options.ttlMinutes,
      pages,
      archive,
    };
    return { view: filter.opencc ? await this.converted(view, filter.opencc) : view, expires };
  }

  /**
   * Up to `limit` of the newest articles passing `filter` that `keep` keeps and, with `seconds`,
   * that were published in the last so many seconds; read FILTER_SCAN_PAGE at a time, at most
   * FILTER_SCAN_BUDGET. A `filter_time` result expires when its oldest item leaves the window.
   */
  private async scan(filter: ArticleFilter, limit: number, keep: (a: Article) => boolean, seconds: number | undefined): Promise<{ items: Article[]; expires?: number }> {
    const since = seconds === undefined ? undefined : (this.options.wallClock ?? Date.now)() - seconds * 1000;
    const found: Article[] = [];
    const seen = new Set<string>();
    scanning: for (let offset = 0; offset < FILTER_SCAN_BUDGET && found.length < limit; offset += FILTER_SCAN_PAGE) {
      const page = await this.store.newest(filter, Math.min(FILTER_SCAN_PAGE, FILTER_SCAN_BUDGET - offset), offset);
      for (const stored of page) {
        const article = plausibleArticle(stored, this.now);
        // Newest first: once one is older than the window, so is every one after it.
        if (since !== undefined && article.published < since) break scanning;
        // An article stored meanwhile shifts the pages by one; none is listed twice.
        if (seen.has(article.id)) continue;
        seen.add(article.id);
        if (keep(article)) found.push(article);
        if (found.length === limit) break scanning;
      }
      if (page.length < FILTER_SCAN_PAGE) break;
      // Filtering a page takes a few tens of milliseconds: let other requests in between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (since === undefined || found.length === 0) return { items: found };
    return { items: found, expires: Math.min(...found.map((a) => a.published)) + seconds! * 1000 + 1 };
  }

  /** A feed's words in another script: titles, summaries, the text of each body, outlets' names. */
  private async converted(view: FeedView, name: ConversionName): Promise<FeedView> {
    const batch = new TextBatch();
    const title = batch.put(view.title);
    const description = batch.put(view.description);
    const outlets = new Map<string, () => string>();
    for (const a of view.items) if (!outlets.has(a.source)) outlets.set(a.source, batch.put(view.source(a.source).title));
    const items = view.items.map((a) => ({
      article: a,
      title: batch.put(a.title),
      summary: batch.put(a.summary),
      content: batch.putHtml(a.contentHtml),
      caption: a.image?.caption === undefined ? undefined : batch.put(a.image.caption),
      related: (a.story?.related ?? []).map((r) => batch.put(r.title)),
    }));
    await batch.run(name, this.convertTexts);
    const source = view.source;
    const languages = new Set(view.items.map((a) => convertedLanguage(name, a.language)));
    return {
      ...view,
      title: title(),
      description: description(),
      // One language when every item shares it; an empty feed states what it would hold.
      language: languages.size === 1 ? [...languages][0] : languages.size === 0 ? convertedLanguage(name, view.language ?? 'zh') : 'zh',
      source: (id) => {
        const outlet = outlets.get(id);
        return outlet ? { ...source(id), title: outlet() } : source(id);
      },
      items: items.map(({ article, ...c }): FeedItem => ({
        ...article,
        title: c.title(),
        summary: c.summary(),
        contentHtml: c.content(),
        language: convertedLanguage(name, article.language),
        ...(article.image ? { image: { ...article.image, ...(c.caption ? { caption: c.caption() } : {}) } } : {}),
        ...(article.story ? { story: { ...article.story, related: article.story.related.map((r, i) => ({ ...r, title: c.related[i]!() })) } } : {}),
      })),
    };
  }

  /** Articles with their stories (issue #15): each names the other members of its story. */
  private async withStories(items: readonly Article[]): Promise<FeedItem[]> {
    const stories = await this.store.storiesOf(items.map((a) => a.id));
    return items.map((a) => {
      const story = stories.get(a.id);
      return story ? { ...a, story: itemStory(story, a.id) } : a;
    });
  }

  /**
   * `/stories/`: stories reported by two or more outlets, newest first by their latest member.
   * Filters work as on other feeds: `q` matches a member's title, `lang` a member's script,
   * RSSHub's patterns the entry. Archive page N holds the stories ranked (N-1)×size+1 … N×size
   * from the oldest; stories merge and grow, so no page is ever marked complete (fh:archive).
   */
  private async storyFeed(ref: Extract<DocumentRef, { kind: 'feed' }>, origin: string, query: string): Promise<{ view: FeedView; expires?: number }> {
    const filter = parseFeedFilter(query, { paged: ref.page !== undefined });
    const total = await this.store.storyCount();
    const linked = filterQuery(filter, false, false);
    const pageUrl = (page: number): string => `${origin}${feedPath(STORIES_KEY, ref.format, page)}${linked}`;
    const describe = (id: string): SourceInfo => (id === STORIES_SOURCE
      ? { id, name: '多家媒体', title: 'feedrelay 跨媒体报道', url: `${origin}/`, language: 'zh-Hans' }
      : this.sources.describe(id));
    const spec = itemFilterSpec(filter);
    const predicate = spec && articlePredicate(spec);
    const key = filter.q === undefined ? undefined : searchKey(filter.q);
    const keep = (story: Story, item: FeedItem): boolean =>
      (key === undefined || story.members.some((m) => searchKey(m.title).includes(key)))
      && (filter.lang === undefined || story.members.some((m) => m.language === filter.lang))
      && (predicate === undefined || predicate(item as Article, describe(STORIES_SOURCE)));
    let items: FeedItem[] = [];
    let pages: PageLinks = {};
    let expires: number | undefined;
    if (ref.page === undefined) {
      const limit = filter.limit ?? DEFAULT_LIMIT;
      const since = filter.time === undefined ? undefined : (this.options.wallClock ?? Date.now)() - filter.time * 1000;
      scanning: for (let offset = 0; offset < FILTER_SCAN_BUDGET && items.length < limit; offset += FILTER_SCAN_PAGE) {
        const page = await this.store.storyList(FILTER_SCAN_PAGE, offset);
        for (const story of page) {
          const item = storyItem(story, describe);
          // Latest first: once one is older than the window, so is every one after it.
          if (since !== undefined && item.published < since) break scanning;
          if (keep(story, item) && items.length < limit) items.push(item);
        }
        if (page.length < FILTER_SCAN_PAGE) break;
      }
      if (since !== undefined && items.length > 0) expires = Math.min(...items.map((a) => a.published)) + filter.time! * 1000 + 1;
      if (total > 0) pages = { prevArchive: pageUrl(newestPage(total)) };
    } else {
      pages = archivePageLinks(ref.page, total, `${origin}${feedPath(STORIES_KEY, ref.format)}${linked}`, pageUrl);
      const upTo = Math.min(ref.page * ARCHIVE_PAGE_SIZE, total);
      const stories = await this.store.storyList(upTo - (ref.page - 1) * ARCHIVE_PAGE_SIZE, total - upTo);
      items = stories.map((story) => ({ story, item: storyItem(story, describe) })).filter(({ story, item }) => keep(story, item)).map(({ item }) => item);
    }
    items = items.map((a) => plausibleArticle(a, this.now));
    const view: FeedView = {
      key: `${STORIES_KEY}${filterQuery(filter, false, true)}`,
      title: `feedrelay：多家媒体报道的同一事件${filterLabel(filter)}`,
      description: `${this.sources.definitions.map((d) => d.title).join('、')}中两家以上报道的同一事件，每条列出各家的报道`,
      homeUrl: `${origin}/`,
      selfUrl: `${origin}${feedPath(STORIES_KEY, ref.format, ref.page)}${selfQuery(query)}`,
      ...(this.options.hub ? { hub: this.options.hub(origin) } : {}),
      language: 'zh',
      updated: lastChange(items),
      items,
      source: describe,
      ttlMinutes: this.options.ttlMinutes,
      pages,
      archive: false,
    };
    return { view: filter.opencc ? await this.converted(view, filter.opencc) : view, expires };
  }

  /** Stops following the store's changes, and the conversion worker if this publisher started it. */
  close(): void {
    this.unsubscribe();
    void this.ownConverter?.close();
  }

  /** One feed stream as the index page and OPML list it; with `opencc`, its converted variant. */
  private listing(key: string, origin: string, opencc?: ConversionName): FeedListing {
    const def = key === MERGED_KEY ? undefined : this.sources.get(key);
    const variant = opencc ? `?opencc=${opencc}` : '';
    const urls = {
      rss: `${origin}${feedPath(key, 'rss')}${variant}`,
      atom: `${origin}${feedPath(key, 'atom')}${variant}`,
      json: `${origin}${feedPath(key, 'json')}${variant}`,
    };
    const language = (plain: string): string => (opencc ? convertedLanguage(opencc, plain) : plain);
    if (!def) {
      return {
        key,
        title: MERGED_TITLE,
        description: `${this.sources.definitions.map((d) => d.title).join('、')}全文转载，由 feedrelay 重新发布`,
        homeUrl: `${origin}/`,
        language: language('zh'),
        urls,
      };
    }
    return {
      key,
      title: `${def.title} (${def.name})`,
      description: `${def.title}全文转载，由 feedrelay 重新发布`,
      homeUrl: def.url,
      language: language(def.language),
      urls,
    };
  }

  private listings(origin: string, opencc?: ConversionName): FeedListing[] {
    return this.keys().map((key) => this.listing(key, origin, opencc));
  }

  private async renderRef(ref: DocumentRef, origin: string, query: string, options: DocumentOptions): Promise<RenderedDocument | undefined> {
    if (ref.kind === 'feed') {
      const { view, expires } = await this.feed(ref, origin, query);
      const body = Buffer.from(FORMATS[ref.format].render(view), 'utf8');
      // WebSub §4: discovery in the headers too, for formats and clients that never parse the body.
      const links: Record<string, string> = view.hub ? { Link: `<${view.hub}>; rel="hub", <${view.selfUrl}>; rel="self"` } : {};
      return new RenderedDocument(body, FORMATS[ref.format].contentType, view.updated > PLAUSIBLE_FROM ? view.updated : 0, links, expires);
    }
    if (ref.kind === 'article') return this.renderArticle(ref.id, origin);
    if (ref.kind === 'opml') return this.renderOpmlDocument(origin, parsePageConversion(query));
    return this.renderIndex(origin, options.static ? {} : parseIndexFilter(query, (id) => this.sources.get(id) !== undefined), options);
  }

  /** OPML of every feed; with `opencc`, of every feed's converted variant, its titles converted too. */
  private async renderOpmlDocument(origin: string, opencc: ConversionName | undefined): Promise<RenderedDocument> {
    let feeds = this.listings(origin, opencc);
    let title = MERGED_TITLE;
    if (opencc) {
      const batch = new TextBatch();
      const pending = feeds.map((f) => ({ f, title: batch.put(f.title), description: batch.put(f.description) }));
      const converted = batch.put(title);
      await batch.run(opencc, this.convertTexts);
      feeds = pending.map(({ f, ...c }) => ({ ...f, title: c.title(), description: c.description() }));
      title = converted();
    }
    // The list names feeds, not articles: it changes when a definition in feeds/ does.
    const modified = Math.max(PLAUSIBLE_FROM, ...this.sources.definitions.map((d) => d.modified ?? 0));
    return new RenderedDocument(Buffer.from(renderOpml({ title, feeds }), 'utf8'), OPML_TYPE, Math.min(modified, this.now));
  }

  /**
   * The front page: the newest articles, or those of an outlet, a script or a search
   * (`/?source=voa&lang=zh-Hant&q=台湾`), and every feed. Plain, it offers the Traditional variant
   * (TRADITIONAL_VARIANT) of every feed, of OPML and of itself; converted (`/?opencc=s2tw`), its
   * words are converted, its feeds are the converted ones, and it offers the originals. The static
   * build's copy offers neither filters nor variants: a file host ignores query strings.
   */
  private async renderIndex(origin: string, filter: IndexFilter, options: DocumentOptions): Promise<RenderedDocument> {
    const opencc = filter.opencc;
    const feeds = this.listings(origin, opencc);
    // The page's own words are Simplified; each article's language is its own, converted.
    const language = opencc ? convertedLanguage(opencc, 'zh-Hans') : undefined;
    const feedFilter: FeedFilter = { q: filter.q, lang: filter.lang };
    const narrowed = filter.source !== undefined || filter.q !== undefined || filter.lang !== undefined;
    const selected = storeFilter(filter.source ?? MERGED_KEY, feedFilter);
    const stored = (await this.store.newest(selected, DEFAULT_LIMIT)).map((a) => plausibleArticle(a, this.now));
    const listed = await this.withStories(stored);
    const articles: FeedItem[] = opencc ? listed.map((a) => ({ ...a, language: convertedLanguage(opencc, a.language) })) : listed;
    const matching = narrowed ? await this.store.count(selected) : undefined;
    const total = await this.store.count({});
    // The last change anywhere: an arrival (the newest by arrival) or an edit, which happens to recent arrivals.
    const recent = await this.store.byArrival({}, Math.max(0, total - ARCHIVE_PAGE_SIZE), ARCHIVE_PAGE_SIZE);
    const updated = lastChange([...stored, ...recent.map((a) => plausibleArticle(a, this.now))]);
    const newest = newestPage(total);
    const variant = opencc ? `?opencc=${opencc}` : '';
    const alternate: IndexView['alternate'] = options.static
      ? undefined
      : opencc
        ? { label: '原文', lang: 'zh', pageUrl: `${origin}/${indexQuery({ ...filter, opencc: undefined })}`, feeds: this.listings(origin), opmlUrl: `${origin}${OPML_PATH}` }
        : {
          label: CONVERSIONS[TRADITIONAL_VARIANT].label,
          lang: CONVERSIONS[TRADITIONAL_VARIANT].language,
          pageUrl: `${origin}/${indexQuery({ ...filter, opencc: TRADITIONAL_VARIANT })}`,
          feeds: this.listings(origin, TRADITIONAL_VARIANT),
          opmlUrl: `${origin}${OPML_PATH}?opencc=${TRADITIONAL_VARIANT}`,
        };
    const source = (id: string): { title: string; language: string } => {
      const info = this.sources.describe(id);
      return { title: info.title, language: opencc ? convertedLanguage(opencc, info.language) : info.language };
    };
    // A selection's own feeds keep the page's script.
    const selection = filterQuery({ ...feedFilter, opencc }, false);
    const selectionKey = filter.source ?? MERGED_KEY;
    let body = renderIndexPage({
      title: MERGED_TITLE,
      description: feeds[0]!.description,
      lang: language ?? 'zh-Hans',
      origin,
      articles,
      total: matching ?? total,
      source,
      feeds,
      opmlUrl: `${origin}${OPML_PATH}${variant}`,
      alternate,
      archive: total > 0
        ? {
          pages: pageCount(total),
          urls: {
            rss: `${origin}${feedPath(MERGED_KEY, 'rss', newest)}${variant}`,
            atom: `${origin}${feedPath(MERGED_KEY, 'atom', newest)}${variant}`,
            json: `${origin}${feedPath(MERGED_KEY, 'json', newest)}${variant}`,
          },
        }
        : undefined,
      updated: updated > PLAUSIBLE_FROM ? updated : 0,
      filter,
      filteredFeeds: narrowed
        ? {
          rss: `${origin}${feedPath(selectionKey, 'rss')}${selection}`,
          atom: `${origin}${feedPath(selectionKey, 'atom')}${selection}`,
          json: `${origin}${feedPath(selectionKey, 'json')}${selection}`,
        }
        : undefined,
      static: options.static === true,
    });
    if (opencc) {
      const batch = new TextBatch();
      const page = putPage(batch, body);
      await batch.run(opencc, this.convertTexts);
      body = page();
    }
    return new RenderedDocument(Buffer.from(body, 'utf8'), HTML_TYPE, updated > PLAUSIBLE_FROM ? updated : 0, {
      'Content-Security-Policy': INDEX_CSP,
    });
  }

  /** An article's own page, or undefined when no article has that id. */
  private async renderArticle(id: string, origin: string): Promise<RenderedDocument | undefined> {
    const stored = await this.article(id);
    if (!stored) return undefined;
    const article = plausibleArticle(stored, this.now);
    const body = renderArticlePage({ article, source: this.sources.describe(article.source), origin, siteTitle: MERGED_TITLE });
    const updated = lastChange([article]);
    return new RenderedDocument(Buffer.from(body, 'utf8'), HTML_TYPE, updated > PLAUSIBLE_FROM ? updated : 0, {
      'Content-Security-Policy': ARTICLE_CSP,
    });
  }

  /** Drops every document when the store has changed, and reads the clock for the new version. */
  private invalidate(): void {
    this.generation += 1;
    this.cache.clear();
    this.now = (this.options.clock ?? Date.now)();
  }
}

export { ARCHIVE_PAGE_SIZE };
