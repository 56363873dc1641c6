import type { Article } from '../model.js';
import { PLAUSIBLE_FROM } from '../shared/date.js';

export { PLAUSIBLE_FROM };

/**
 * The instants a published feed may state: from PLAUSIBLE_FROM (1990, shared/date.ts) to the
 * last a four-digit year can write. The W3C Feed Validation Service also warns of dates more
 * than ten minutes in the future (validators.py, implausible_822 / implausible_8601), and
 * `toISOString` writes six-digit years past 9999, which no RFC 3339 or RFC 822 reader takes.
 * Stored times outside the range are upstream errors; the feeds state the nearest plausible
 * instant rather than drop the article.
 */
export const LATEST_WRITABLE = Date.UTC(9999, 11, 31, 23, 59, 59);

/** `t` moved into [1990, `now`]; `now` itself is bounded by what a four-digit year can write. */
export function plausibleTime(t: number, now: number): number {
  const ceiling = Math.min(Math.max(now, PLAUSIBLE_FROM), LATEST_WRITABLE);
  if (!Number.isFinite(t)) return PLAUSIBLE_FROM;
  return Math.min(Math.max(t, PLAUSIBLE_FROM), ceiling);
}

/** The article (or feed entry) itself when its times are plausible, else a copy with them clamped. */
export function plausibleArticle<T extends Pick<Article, 'published' | 'modified' | 'archived'>>(article: T, now: number): T {
  const published = plausibleTime(article.published, now);
  const modified = plausibleTime(article.modified, now);
  const archived = plausibleTime(article.archived, now);
  if (published === article.published && modified === article.modified && archived === article.archived) return article;
  return { ...article, published, modified, archived };
}

/** When an entry last changed in a way a reader should see: its edit or its publication. */
export function entryUpdated(article: Pick<Article, 'modified' | 'published'>): number {
  return Math.max(article.modified, article.published);
}
