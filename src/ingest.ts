import type { Log } from './log.js';
import type { Article, SourcedDraft } from './model.js';
import { normalizeArticle } from './normalize/article.js';
import { canonicalUrl, urlHash } from './normalize/canonicalUrl.js';
import type { FileMark, Store } from './store/store.js';

/**
 * The one way in (Miniflux's processor is the model): every source's drafts, the seed folder's,
 * the parse workers', the live feeds' and the full-text stage's, become stored articles here.
 * It is the only caller of normalisation; dedupe is the store's unique constraints, inside the
 * transaction that stores, so no two writers ever store one article twice.
 */

export type IngestResult = { result: 'added'; article: Article; arrival: number } | { result: 'duplicate' };

/** Normalises a draft whose caller set its source and language; throws a FeedrelayError naming its origin. */
export function prepareArticle(draft: SourcedDraft, log: Log): Article {
  return normalizeArticle(draft, log);
}

/**
 * No stored time is later than the storing process's clock: an archive file dated in the future
 * is a typing error. Clamping here, once, means a published document depends on the store alone,
 * never on the clock of the replica that renders it (issue #11).
 */
function notAfter(article: Article, now: number): Article {
  if (article.archived <= now && article.published <= now && article.modified <= now) return article;
  return { ...article, archived: Math.min(article.archived, now), published: Math.min(article.published, now), modified: Math.min(article.modified, now) };
}

export class Ingest {
  constructor(
    private readonly store: Store,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {}

  /** Archive files of `folder` already imported, so a rescan reads only new or changed ones. */
  importedFiles(folder: string): Promise<Map<string, FileMark>> {
    return this.store.importedFiles(folder);
  }

  markImported(folder: string, files: readonly (FileMark & { name: string })[]): Promise<void> {
    return this.store.markImported(folder, files);
  }

  /** Whether a draft's article is stored already, so that fetching its page or cleaning it would be wasted. */
  async isStored(draft: { url: string; id?: string }): Promise<boolean> {
    const canonical = canonicalUrl(draft.url);
    return (await this.store.find(canonical, draft.id ?? urlHash(canonical))) !== undefined;
  }

  /** Normalises a draft for storePrepared; throws a FeedrelayError for one that cannot become an article. */
  prepare(draft: SourcedDraft): Article {
    return prepareArticle(draft, this.log);
  }

  /** Normalises and stores one draft. Throws a FeedrelayError for a draft that cannot become an article. */
  async ingest(draft: SourcedDraft): Promise<IngestResult> {
    if (await this.isStored(draft)) return { result: 'duplicate' };
    const [stored] = await this.storePrepared([this.prepare(draft)]);
    return stored!;
  }

  /**
   * Stores articles already normalised (by prepareArticle, in a worker thread), in the order
   * given, in one transaction: a first load of thousands of files commits in batches.
   */
  async storePrepared(articles: readonly Article[]): Promise<IngestResult[]> {
    const now = this.now();
    const stored = articles.map((a) => notAfter(a, now));
    const results = await this.store.insertMany(stored);
    return results.map((r, i) => (r.result === 'added' ? { result: 'added', article: stored[i]!, arrival: r.arrival } : r));
  }

  /**
   * Replaces a stored article's body with its page's full text, fetched later: normalised like
   * any draft, the same id, URL and arrival, `modified` as its new modified time.
   */
  async rewrite(article: Article, html: string, modified: number): Promise<Article> {
    const draft: SourcedDraft = {
      origin: article.id,
      url: article.url,
      title: article.title,
      html,
      archived: article.archived,
      published: article.published,
      modified: Math.max(modified, article.modified),
      source: article.source,
      language: article.language,
    };
    if (article.image) draft.image = article.image.url;
    if (article.author !== undefined) draft.author = article.author;
    const updated = notAfter({ ...this.prepare(draft), id: article.id }, this.now());
    const content = { contentHtml: updated.contentHtml, summary: updated.summary, modified: updated.modified, language: updated.language };
    await this.store.updateContent(article.id, updated.image ? { ...content, image: updated.image } : content);
    return updated;
  }
}
