import { FeedrelayError, FullTextError } from '../errors.js';
import { decodeHtmlBody } from '../fetch/charset.js';
import { fetchFeed, HTML_ACCEPT, type FetchSettings } from '../fetch/fetcher.js';
import type { Log } from '../log.js';
import type { Article, ArticleDraft } from '../model.js';
import { toPlainText } from '../shared/text.js';
import type { Ingest } from '../ingest.js';
import type { FullTextState } from '../store/fullTextState.js';
import { extractArticle } from './extract.js';
import type { HostLimiter } from './hostLimiter.js';

/**
 * How hard we try for an article's page (issue #6): a failed extraction is retried on later
 * refreshes, first after `retryDelayMs`, then twice as long each time up to `maxDelayMs`,
 * `maxAttempts` times in all; after that the feed's summary stays.
 */
export const FULL_TEXT_RETRY = {
  maxAttempts: 4,
  retryDelayMs: 30 * 60_000,
  maxDelayMs: 12 * 60 * 60_000,
};

export interface FullTextDeps {
  ingest: Ingest;
  state: FullTextState;
  limiter: HostLimiter;
  /** The stored article a pending retry is for. */
  articleById: (id: string) => Promise<Article | undefined>;
  log: Log;
  now: () => number;
  fetch?: FetchSettings;
  retry?: Partial<typeof FULL_TEXT_RETRY>;
}

export interface Enriched<D extends ArticleDraft = ArticleDraft> {
  draft: D;
  /** Why the page's text could not be had; the draft then keeps the feed's own content. */
  failure?: string;
}

/** Fetches article pages for sources that ask for full text, and keeps retrying those that failed. */
export class FullTextStage {
  private readonly retry: typeof FULL_TEXT_RETRY;

  constructor(private readonly deps: FullTextDeps) {
    this.retry = { ...FULL_TEXT_RETRY, ...deps.retry };
  }

  /** The page's article body as HTML, or FullTextError naming the URL and what went wrong. */
  async extract(url: string, source: string, feedText: string): Promise<{ html: string; image?: string }> {
    const res = await this.deps.limiter.run(url, () => fetchFeed({ ...this.deps.fetch, url, accept: HTML_ACCEPT }));
    if (!('body' in res)) throw new FullTextError(url, 'HTTP 304 to an unconditional request');
    const feedChars = Array.from(feedText).length;
    let extracted;
    try {
      extracted = extractArticle(decodeHtmlBody(res.body, res.contentType).text, source, feedChars);
    } catch (err) {
      throw new FullTextError(url, `extraction failed: ${(err as Error).message}`);
    }
    if (!extracted) throw new FullTextError(url, 'no article body found in the page');
    const chars = Array.from(extracted.text).length;
    // A page that says less than the feed did is an error page, a paywall or a bad extraction.
    if (chars < feedChars) {
      throw new FullTextError(url, `the extracted text is shorter than the feed's own summary (${extracted.rule} rule)`);
    }
    // Outlets change their pages: which rule found the body shows when an outlet's rule stops working.
    this.deps.log.info({ url, source, rule: extracted.rule, chars }, 'full text extracted');
    return extracted.image ? { html: extracted.html, image: extracted.image } : { html: extracted.html };
  }

  /** New drafts of a full-text source, each with its page's body where that could be had. */
  enrich<D extends ArticleDraft>(drafts: readonly D[], source: string): Promise<Enriched<D>[]> {
    return Promise.all(drafts.map(async (draft): Promise<Enriched<D>> => {
      try {
        const page = await this.extract(draft.url, source, toPlainText(draft.html));
        return { draft: { ...draft, html: page.html, image: draft.image ?? page.image } };
      } catch (err) {
        if (!(err instanceof FeedrelayError)) throw err;
        return { draft, failure: err.message };
      }
    }));
  }

  /** After a draft is stored: counts it, and queues a retry where it went in with the summary. */
  record(article: Article, failure: string | undefined): void {
    const { state } = this.deps;
    if (failure === undefined) {
      state.increment(article.source, 'succeeded');
      return;
    }
    state.increment(article.source, 'failed');
    this.deps.log.warn({ url: article.url, err: failure }, 'full text not extracted; the feed summary is stored for now');
    this.schedule({ id: article.id, source: article.source, url: article.url, attempts: 1, lastError: failure });
  }

  /** Tries every pending article whose retry time has come; a success rewrites its file. */
  async retryDue(): Promise<void> {
    const { state, ingest, log, now } = this.deps;
    await Promise.all(state.due(now()).map(async (entry) => {
      const article = await this.deps.articleById(entry.id);
      if (!article) {
        state.clearPending(entry.id);
        return;
      }
      try {
        const page = await this.extract(entry.url, entry.source, article.summary);
        await ingest.rewrite(article, page.html, now());
        state.clearPending(entry.id);
        state.increment(entry.source, 'succeeded');
        log.info({ url: entry.url, attempts: entry.attempts + 1 }, 'full text extracted on a retry');
      } catch (err) {
        if (!(err instanceof FeedrelayError)) throw err;
        state.increment(entry.source, 'failed');
        this.schedule({ ...entry, attempts: entry.attempts + 1, lastError: err.message });
      }
    }));
  }

  /** Stores the pending retries and counts, after the articles they speak of are stored. */
  save(): Promise<void> {
    return this.deps.state.save();
  }

  private schedule(entry: { id: string; source: string; url: string; attempts: number; lastError: string }): void {
    const { state, now, log } = this.deps;
    if (entry.attempts >= this.retry.maxAttempts) {
      state.clearPending(entry.id);
      state.increment(entry.source, 'gaveUp');
      log.warn({ url: entry.url, attempts: entry.attempts, err: entry.lastError }, 'full text given up; the feed summary stays');
      return;
    }
    const delay = Math.min(this.retry.retryDelayMs * 2 ** (entry.attempts - 1), this.retry.maxDelayMs);
    state.setPending({ ...entry, nextTry: now() + delay });
  }
}
