import type { Article } from '../model.js';

export type AddResult = 'added' | 'duplicate';

type Order = (a: Article, b: Article) => number;

function byId(a: Article, b: Article): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Feeds list newest published first; ties by id, so the same store always lists the same order. */
export const newestFirst: Order = (a, b) => b.published - a.published || byId(a, b);

/** RFC 5005 archive pages count arrivals: oldest archived first, ties by id. */
export const oldestArrivalFirst: Order = (a, b) => a.archived - b.archived || byId(a, b);

/** Where `article` goes in `list`, sorted by `order`: the first index whose item sorts after it. */
function insertionPoint(list: readonly Article[], article: Article, order: Order): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(list[mid]!, article) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One ordering of the store. A bulk load leaves it unsorted and sorts once when first read;
 * after that, each added article is put in its place, so a refresh that brings a few articles
 * costs a few binary searches, not a sort of 100,000 (issue #7: re-rendering a feed must not
 * grow with the archive).
 */
class SortedView {
  private items: Article[] | undefined;
  /** The array has been handed out: the next change copies it first, so a caller's list never changes under it. */
  private shared = false;

  constructor(private readonly order: Order) {}

  get(all: () => Iterable<Article>): readonly Article[] {
    this.items ??= Array.from(all()).sort(this.order);
    this.shared = true;
    return this.items;
  }

  insert(article: Article): void {
    const items = this.writable();
    if (items) items.splice(insertionPoint(items, article, this.order), 0, article);
  }

  /** Swaps in a new version of an article whose sort keys did not change. */
  swap(old: Article, article: Article): void {
    const items = this.writable();
    if (!items) return;
    const at = insertionPoint(items, old, this.order) - 1;
    if (items[at] === old && this.order(old, article) === 0) items[at] = article;
    else this.items = undefined;
  }

  private writable(): Article[] | undefined {
    if (this.items && this.shared) {
      this.items = this.items.slice();
      this.shared = false;
    }
    return this.items;
  }
}

/**
 * Every article, once. Dedupe is keyed on the canonical URL and the first one stored wins; an
 * id already taken by another URL is refused too, since ids never change once published.
 */
export class ArticleStore {
  private readonly byCanonical = new Map<string, Article>();
  private readonly byId = new Map<string, Article>();
  private readonly newest = new SortedView(newestFirst);
  private readonly arrivals = new SortedView(oldestArrivalFirst);
  private changes = 0;

  /** Bumped on every change; renderers key their caches on it. */
  get version(): number {
    return this.changes;
  }

  get size(): number {
    return this.byId.size;
  }

  hasUrl(canonicalUrl: string): boolean {
    return this.byCanonical.has(canonicalUrl);
  }

  getById(id: string): Article | undefined {
    return this.byId.get(id);
  }

  add(article: Article): AddResult {
    if (this.byCanonical.has(article.canonicalUrl) || this.byId.has(article.id)) return 'duplicate';
    this.byCanonical.set(article.canonicalUrl, article);
    this.byId.set(article.id, article);
    this.newest.insert(article);
    this.arrivals.insert(article);
    this.changes += 1;
    return 'added';
  }

  /** Replaces an article's content (a later full-text fetch); its id and URL stay. */
  replace(article: Article): void {
    const old = this.byId.get(article.id);
    if (!old || old.canonicalUrl !== article.canonicalUrl) throw new Error(`store: no article ${article.id} to replace`);
    this.byId.set(article.id, article);
    this.byCanonical.set(article.canonicalUrl, article);
    this.newest.swap(old, article);
    this.arrivals.swap(old, article);
    this.changes += 1;
  }

  /** All articles, newest published first, ties by id. */
  list(): readonly Article[] {
    return this.newest.get(() => this.byId.values());
  }

  /** All articles in arrival order, oldest first: what RFC 5005 archive pages are cut from. */
  arrivalOrder(): readonly Article[] {
    return this.arrivals.get(() => this.byId.values());
  }
}
