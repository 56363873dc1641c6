import type { Article } from '../model.js';

export type AddResult = 'added' | 'duplicate';

function newestFirst(a: Article, b: Article): number {
  return b.published - a.published || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Every article, once. Dedupe is keyed on the canonical URL and the first one stored wins; an
 * id already taken by another URL is refused too, since ids never change once published.
 */
export class ArticleStore {
  private readonly byCanonical = new Map<string, Article>();
  private readonly byId = new Map<string, Article>();
  private sorted: Article[] | undefined = [];
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
    this.touch();
    return 'added';
  }

  /** Replaces an article's content (a later full-text fetch); its id and URL stay. */
  replace(article: Article): void {
    const old = this.byId.get(article.id);
    if (!old || old.canonicalUrl !== article.canonicalUrl) throw new Error(`store: no article ${article.id} to replace`);
    this.byId.set(article.id, article);
    this.byCanonical.set(article.canonicalUrl, article);
    this.touch();
  }

  /** All articles, newest published first, ties by id: the same store always lists the same order. */
  list(): readonly Article[] {
    this.sorted ??= Array.from(this.byId.values()).sort(newestFirst);
    return this.sorted;
  }

  private touch(): void {
    this.sorted = undefined;
    this.changes += 1;
  }
}
