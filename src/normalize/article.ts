import { SeedParseError } from '../errors.js';
import type { Log } from '../log.js';
import type { Article, ArticleDraft, SourcedDraft } from '../model.js';
import { canonicalUrl, urlHash } from './canonicalUrl.js';
import { cleanArticleHtml } from './clean.js';
import { parseDate } from './date.js';
import { escapeHtmlAttribute } from './html.js';
import { detectLanguage } from './language.js';
import { sanitizeHtml, toPlainText } from './sanitize.js';
import { summarize } from './summary.js';

function publishedTime(draft: ArticleDraft, dateLine: string | undefined, log: Log): number {
  const stated = draft.published ?? (dateLine !== undefined ? parseDate(dateLine) : undefined);
  if (stated === undefined) {
    log.warn({ origin: draft.origin, dateLine }, 'no readable published date; using the archived time');
    return draft.archived;
  }
  // An article cannot have been published after we archived it; later dates are upstream clock or typing errors.
  return Math.min(stated, draft.archived);
}

/** Cleans, sanitises and identifies a draft. Only src/ingest.ts calls it: the one way in. */
export function normalizeArticle(draft: SourcedDraft, log: Log): Article {
  const canonical = canonicalUrl(draft.url);
  const title = toPlainText(draft.title);
  if (title === '') throw new SeedParseError(draft.origin, 'the title is empty');
  // An upstream image outside the body still belongs in it, so a stored copy keeps it.
  const html = draft.image && !/<img\b/i.test(draft.html)
    ? `<img src="${escapeHtmlAttribute(draft.image)}">${draft.html}`
    : draft.html;
  const cleaned = cleanArticleHtml(html, draft.url);
  const article: Article = {
    id: draft.id ?? urlHash(canonical),
    url: draft.url,
    canonicalUrl: canonical,
    title,
    published: publishedTime(draft, cleaned.dateLine, log),
    archived: draft.archived,
    modified: draft.modified ?? draft.archived,
    source: draft.source,
    language: detectLanguage(`${title} ${cleaned.text}`, draft.language),
    summary: summarize(cleaned.text),
    contentHtml: sanitizeHtml(cleaned.html),
  };
  if (cleaned.image) article.image = cleaned.image;
  if (draft.author !== undefined) article.author = draft.author;
  return article;
}
