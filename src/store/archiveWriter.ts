import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SeedParseError } from '../errors.js';
import type { Article, ArticleDraft } from '../model.js';
import { normalizeArticle, type NormalizeContext } from '../normalize/article.js';
import { canonicalUrl, urlHash } from '../normalize/canonicalUrl.js';
import { formatRfc3339 } from '../normalize/date.js';
import { escapeHtmlAttribute } from '../normalize/html.js';
import { formatSeedFile, parseSeedFile, parseSeedFileName, seedFileName } from '../parse/seedFile.js';
import { removeStaleTemps, writeFileAtomic } from './atomicFile.js';
import type { ArticleStore } from './store.js';

export interface ArchiveWriterContext extends NormalizeContext {
  store: ArticleStore;
  /**
   * Hands a written file to the folder's catalog, which gives back the article with its body on
   * disk: the next scan then skips the file, and the store does not hold every fetched body.
   */
  adopt?: (name: string, article: Article) => Promise<Article>;
}

export type ArchiveResult = { result: 'added'; article: Article; file: string } | { result: 'duplicate' };

/**
 * The seed-format text a fetched draft is archived as. Its date line carries the upstream's
 * date (ISO 8601, which parseDate reads back to the millisecond), and an upstream image that the
 * body lacks goes into the body, since the format has no other place for it.
 */
export function archiveText(draft: ArticleDraft): string {
  const html = draft.image && !/<img\b/i.test(draft.html)
    ? `<img src="${escapeHtmlAttribute(draft.image)}">${draft.html}`
    : draft.html;
  return formatSeedFile({
    archived: draft.archived,
    ...(draft.modified !== undefined ? { modified: draft.modified } : {}),
    title: draft.title,
    url: draft.url,
    dateLine: formatRfc3339(draft.published ?? draft.archived),
    html,
  });
}

/**
 * Stores fetched articles once each: in the store, and as `NNN_<id>.txt` in the data folder,
 * numbered in storing order and written atomically. The article is made from the file's own
 * bytes, read back with parseSeedFile, so what is published now is exactly what a restart
 * loads from the folder. Calls are serialised: a dedupe check and its write never interleave
 * with another's.
 */
export class ArchiveWriter {
  private nextSequence = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly ctx: ArchiveWriterContext,
  ) {}

  /**
   * Gets the folder ready for a refresh: creates it, removes the temporary files of a writer
   * that was killed, and continues the numbering after the highest file there (another process
   * may have written since). Returns the temporary files removed.
   */
  async prepare(): Promise<string[]> {
    await mkdir(this.dir, { recursive: true });
    const removed = await removeStaleTemps(this.dir);
    let max = -1;
    for (const name of await readdir(this.dir)) max = Math.max(max, parseSeedFileName(name)?.sequence ?? -1);
    this.nextSequence = Math.max(this.nextSequence, max + 1);
    return removed;
  }

  /**
   * Adds a draft unless its canonical URL (or id) is already stored. Throws a FeedrelayError for
   * a draft that cannot become an article, and the file system's error when the write fails:
   * nothing is added to the store unless its file is on disk.
   */
  add(draft: ArticleDraft): Promise<ArchiveResult> {
    const run = this.queue.then(() => this.addNow(draft));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Whether a draft's article is stored already, so fetching its page would be wasted. */
  isStored(draft: ArticleDraft): boolean {
    const canonical = canonicalUrl(draft.url);
    return this.ctx.store.hasUrl(canonical) || this.ctx.store.getById(urlHash(canonical)) !== undefined;
  }

  /**
   * Replaces a stored article's body (its page's full text, fetched later): the same file,
   * rewritten atomically, the same id, and `modified` as its new modified time.
   */
  rewrite(article: Article, html: string, modified: number): Promise<Article> {
    const run = this.queue.then(() => this.rewriteNow(article, html, modified));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async rewriteNow(article: Article, html: string, modified: number): Promise<Article> {
    const name = (await readdir(this.dir)).find((n) => parseSeedFileName(n)?.id === article.id);
    if (!name) throw new SeedParseError(article.id, `no file in ${this.dir} holds article ${article.id}`);
    const draft: ArticleDraft = {
      origin: name, url: article.url, title: article.title, html, archived: article.archived,
      published: article.published, modified: Math.max(modified, article.modified),
    };
    if (article.image) draft.image = article.image.url;
    const bytes = Buffer.from(archiveText(draft), 'utf8');
    const updated = normalizeArticle({ ...parseSeedFile(name, bytes), source: article.source }, this.ctx);
    await writeFileAtomic(join(this.dir, name), bytes);
    const stored = this.ctx.adopt ? await this.ctx.adopt(name, updated) : updated;
    this.ctx.store.replace(stored);
    return stored;
  }

  private async addNow(draft: ArticleDraft): Promise<ArchiveResult> {
    const { store } = this.ctx;
    const canonical = canonicalUrl(draft.url);
    const id = urlHash(canonical);
    if (store.hasUrl(canonical) || store.getById(id)) return { result: 'duplicate' };
    const name = seedFileName(this.nextSequence, id);
    const bytes = Buffer.from(archiveText(draft), 'utf8');
    const readBack = parseSeedFile(name, bytes);
    if (readBack.url !== draft.url || readBack.title !== draft.title.replace(/\s+/g, ' ').trim()) {
      throw new SeedParseError(draft.origin, 'its title or URL does not survive the archive format');
    }
    const article = normalizeArticle({ ...readBack, origin: draft.origin, source: draft.source ?? this.ctx.sources.sourceIdFor(draft.url) }, this.ctx);
    await writeFileAtomic(join(this.dir, name), bytes);
    this.nextSequence += 1;
    const stored = this.ctx.adopt ? await this.ctx.adopt(name, article) : article;
    store.add(stored);
    return { result: 'added', article: stored, file: name };
  }
}
