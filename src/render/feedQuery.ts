import { RequestParameterError } from '../errors.js';
import { LANGUAGES, type Article, type Language } from '../model.js';

/** Query parameters every feed takes (issue #4), with their bounds. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
/** Long enough for any headline phrase; longer is a mistake or abuse. */
export const MAX_KEYWORD_LENGTH = 200;
export const PARAMETERS = ['limit', 'q', 'lang'] as const;

/** What narrows a feed. `limit` only applies to subscription documents; archive pages have a fixed size. */
export interface FeedFilter {
  limit?: number;
  q?: string;
  lang?: Language;
}

const DIGITS = /^\d{1,6}$/;

function fail(name: string, reason: string): never {
  throw new RequestParameterError(`${name}: ${reason}`);
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!DIGITS.test(value) || n < 1 || n > MAX_LIMIT) fail('limit', `expected a whole number from 1 to ${MAX_LIMIT}, got ${JSON.stringify(value)}`);
  return n;
}

function parseKeyword(value: string): string {
  const q = value.normalize('NFKC').trim();
  if (q === '') fail('q', 'expected a keyword, got an empty value');
  if ([...q].length > MAX_KEYWORD_LENGTH) fail('q', `expected at most ${MAX_KEYWORD_LENGTH} characters, got ${[...q].length}`);
  return q;
}

function parseLanguage(value: string): Language {
  // BCP 47 tags compare case-insensitively (RFC 5646 §2.1.1).
  const lang = LANGUAGES.find((l) => l.toLowerCase() === value.toLowerCase());
  if (!lang) fail('lang', `expected ${LANGUAGES.join(' or ')}, got ${JSON.stringify(value)}`);
  return lang;
}

/**
 * Reads a feed URL's query string (without `?`). Every problem with `limit`, `q` or `lang` is a
 * RequestParameterError naming the parameter, a repeated one too. Other parameters are ignored
 * (issue #12): readers and link shorteners append `utm_source`, `fbclid` and the like.
 */
export function parseFeedFilter(query: string, options: { paged: boolean }): FeedFilter {
  const filter: FeedFilter = {};
  if (query === '') return filter;
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(query)) {
    if (!(PARAMETERS as readonly string[]).includes(name)) continue;
    if (seen.has(name)) fail(name, 'given more than once');
    seen.add(name);
    if (name === 'limit') {
      if (options.paged) fail('limit', 'archive pages have a fixed size; leave limit out');
      filter.limit = parseLimit(value);
    } else if (name === 'q') filter.q = parseKeyword(value);
    else if (name === 'lang') filter.lang = parseLanguage(value);
  }
  return filter;
}

/** The filter's narrowing parameters as a canonical query string (`?q=…&lang=…`), for links between pages. */
export function filterQuery(filter: FeedFilter, withLimit: boolean): string {
  const params = new URLSearchParams();
  if (withLimit && filter.limit !== undefined) params.set('limit', String(filter.limit));
  if (filter.q !== undefined) params.set('q', filter.q);
  if (filter.lang !== undefined) params.set('lang', filter.lang);
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

/**
 * Search texts kept between searches. Bounded: holding all of a 100,000-article archive's text
 * would take more memory than the rest of the process (issue #7: under 512 MB).
 */
const SEARCH_TEXT_ENTRIES = 5_000;
const searchText = new Map<Article, string>();

/** Title and body as lower-cased NFKC plain text: a keyword must not match markup (`img`, `href`). */
function textOf(article: Article): string {
  let text = searchText.get(article);
  if (text === undefined) {
    const body = article.contentHtml
      .replace(/<[^>]*>/g, ' ')
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    text = `${article.title}\n${body}`.normalize('NFKC').toLowerCase();
    searchText.set(article, text);
    if (searchText.size > SEARCH_TEXT_ENTRIES) searchText.delete(searchText.keys().next().value!);
  }
  return text;
}

export function matchesFilter(article: Article, filter: FeedFilter): boolean {
  if (filter.lang && article.language !== filter.lang) return false;
  if (filter.q !== undefined && !textOf(article).includes(filter.q.toLowerCase())) return false;
  return true;
}
