import type { Article } from '../model.js';

/**
 * The instants a published feed may state. The W3C Feed Validation Service warns of an
 * "implausible date" before 1990 or more than ten minutes in the future (validators.py,
 * implausible_822 / implausible_8601), and `toISOString` writes six-digit years past 9999, which
 * no RFC 3339 or RFC 822 reader takes. Stored times outside the range are upstream errors; the
 * feeds state the nearest plausible instant rather than drop the article.
 */
export const PLAUSIBLE_FROM = Date.UTC(1990, 0, 1);
export const LATEST_WRITABLE = Date.UTC(9999, 11, 31, 23, 59, 59);

/** `t` moved into [1990, `now`]; `now` itself is bounded by what a four-digit year can write. */
export function plausibleTime(t: number, now: number): number {
  const ceiling = Math.min(Math.max(now, PLAUSIBLE_FROM), LATEST_WRITABLE);
  if (!Number.isFinite(t)) return PLAUSIBLE_FROM;
  return Math.min(Math.max(t, PLAUSIBLE_FROM), ceiling);
}

/** The article itself when its times are plausible, else a copy with them clamped. */
export function plausibleArticle(article: Article, now: number): Article {
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
