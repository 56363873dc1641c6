import { RequestParameterError } from '../errors.js';
import { LANGUAGES, type Language } from '../model.js';
import {
  parseCaseSensitive, parseFilterTime, parsePattern, PATTERN_PARAMETERS, type ItemFilterSpec, type PatternParameter,
} from './filters.js';
import { CONVERSION_NAMES, isConversionName, type ConversionName } from './scripts.js';

/** Query parameters every feed takes (issues #4 and #14), with their bounds. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
/** Long enough for any headline phrase; longer is a mistake or abuse. */
export const MAX_KEYWORD_LENGTH = 200;

/** What narrows a feed. `limit` only applies to subscription documents; archive pages have a fixed size. */
export interface FeedFilter {
  limit?: number;
  q?: string;
  lang?: Language;
  /** Script conversion of what the feed says (OpenCC's name for it). */
  opencc?: ConversionName;
  /** RSSHub's patterns, by parameter name. */
  patterns?: Partial<Record<PatternParameter, string>>;
  /** `filter_case_sensitive`; absent means RSSHub's default, true. */
  caseSensitive?: boolean;
  /** `filter_time`: only what was published in the last so many seconds. */
  time?: number;
}

interface ParseOptions {
  paged: boolean;
}

interface Parameter {
  /** Reads `value` into `filter`, or throws a RequestParameterError naming the parameter. */
  read(filter: FeedFilter, value: string, options: ParseOptions): void;
  /** The value as a canonical query string writes it back, or undefined when not set. */
  write(filter: FeedFilter): string | undefined;
}

function fail(name: string, reason: string): never {
  throw new RequestParameterError(`${name}: ${reason}`);
}

const DIGITS = /^\d{1,6}$/;

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

function parseConversion(value: string): ConversionName {
  if (!isConversionName(value)) fail('opencc', `expected one of ${CONVERSION_NAMES.join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

function pattern(name: PatternParameter): Parameter {
  return {
    read: (filter, value) => {
      filter.patterns = { ...filter.patterns, [name]: parsePattern(name, value) };
    },
    write: (filter) => filter.patterns?.[name],
  };
}

/**
 * Every parameter, in the order a canonical query string writes them. Policy as data: a new
 * parameter is a row here.
 */
const TABLE: Record<string, Parameter> = {
  limit: {
    read: (filter, value, options) => {
      if (options.paged) fail('limit', 'archive pages have a fixed size; leave limit out');
      filter.limit = parseLimit(value);
    },
    write: (filter) => (filter.limit === undefined ? undefined : String(filter.limit)),
  },
  q: { read: (filter, value) => { filter.q = parseKeyword(value); }, write: (filter) => filter.q },
  lang: { read: (filter, value) => { filter.lang = parseLanguage(value); }, write: (filter) => filter.lang },
  opencc: { read: (filter, value) => { filter.opencc = parseConversion(value); }, write: (filter) => filter.opencc },
  ...Object.fromEntries(PATTERN_PARAMETERS.map((name) => [name, pattern(name)])),
  filter_case_sensitive: {
    read: (filter, value) => { filter.caseSensitive = parseCaseSensitive(value); },
    write: (filter) => (filter.caseSensitive === undefined ? undefined : String(filter.caseSensitive)),
  },
  filter_time: {
    read: (filter, value, options) => {
      // A page of history that shrank as the clock moved would break RFC 5005's promise.
      if (options.paged) fail('filter_time', 'archive pages keep every article they hold; leave filter_time out');
      filter.time = parseFilterTime(value);
    },
    write: (filter) => (filter.time === undefined ? undefined : String(filter.time)),
  },
};

export const PARAMETERS = Object.keys(TABLE);

/**
 * Reads a feed URL's query string (without `?`). Every problem with a parameter feeds take
 * (PARAMETERS) is a RequestParameterError naming it, a repeated one too. Other parameters are
 * ignored (issue #12): readers and link shorteners append `utm_source`, `fbclid` and the like.
 */
export function parseFeedFilter(query: string, options: ParseOptions): FeedFilter {
  const filter: FeedFilter = {};
  if (query === '') return filter;
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(query)) {
    // Only names in the table: not `constructor` or another of Object.prototype's.
    if (!Object.hasOwn(TABLE, name)) continue;
    if (seen.has(name)) fail(name, 'given more than once');
    seen.add(name);
    TABLE[name]!.read(filter, value, options);
  }
  return filter;
}

/**
 * The index page and OPML take `opencc` alone; anything else is left alone, as they always
 * have (they are not feeds, and have nothing to narrow).
 */
export function parsePageConversion(query: string): ConversionName | undefined {
  if (query === '') return undefined;
  const values = new URLSearchParams(query).getAll('opencc');
  if (values.length > 1) fail('opencc', 'given more than once');
  return values.length === 0 ? undefined : parseConversion(values[0]!);
}

/**
 * The filter's parameters as a canonical query string (`?q=…&lang=…`), for links between pages
 * and feed ids. `limit` only with `withLimit`; `filter_time` only with `withTime` (by default
 * with `limit`): both are the subscription document's alone.
 */
export function filterQuery(filter: FeedFilter, withLimit: boolean, withTime = withLimit): string {
  const params = new URLSearchParams();
  for (const [name, parameter] of Object.entries(TABLE)) {
    if ((name === 'limit' && !withLimit) || (name === 'filter_time' && !withTime)) continue;
    const value = parameter.write(filter);
    if (value !== undefined) params.set(name, value);
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

/** The RSSHub filters of a feed filter, when it has any pattern. */
export function itemFilterSpec(filter: FeedFilter): ItemFilterSpec | undefined {
  if (!filter.patterns || Object.keys(filter.patterns).length === 0) return undefined;
  return { patterns: filter.patterns, caseSensitive: filter.caseSensitive ?? true };
}
