import { SeedParseError } from '../errors.js';
import type { Log } from '../log.js';
import type { Article, ArticleDraft, SourcedDraft } from '../model.js';
import { canonicalUrl, urlHash } from './canonicalUrl.js';
import { cleanArticleHtml } from './clean.js';
import { parseDate } from '../shared/date.js';
import { escapeHtmlAttribute } from '../shared/html.js';
import { bodyShowsImage } from '../shared/leadImage.js';
import { detectLanguage } from './language.js';
import { sanitizeHtml } from './sanitize.js';
import { summarize } from './summary.js';
import { plainText } from '../shared/text.js';

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
  const title = plainText(draft.title);
  if (title === '') throw new SeedParseError(draft.origin, 'the title is empty');
  // An upstream image outside the body still belongs in it, so a stored copy keeps it.
  const html = draft.image && !bodyShowsImage(draft.html)
    ? `<img src="${escapeHtmlAttribute(draft.image)}">${draft.html}`
    : draft.html;
  const cleaned = cleanArticleHtml(html, draft.url);
  const published = publishedTime(draft, cleaned.dateLine, log);
  const article: Article = {
    id: draft.id ?? urlHash(canonical),
    url: draft.url,
    canonicalUrl: canonical,
    title,
    published,
    archived: draft.archived,
    // Unchanged since publication unless a later fetch rewrote it: the batch's archived time
    // would give every article stored in one refresh the same Atom `updated`.
    modified: Math.max(draft.modified ?? published, published),
    source: draft.source,
    language: detectLanguage(`${title} ${cleaned.text}`, draft.language),
    summary: summarize(cleaned.text),
    contentHtml: sanitizeHtml(cleaned.html),
  };
  if (cleaned.image) article.image = cleaned.image;
  const author = draft.author ?? cleaned.author;
  if (author !== undefined) article.author = author;
  return article;
}
