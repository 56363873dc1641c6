import { RE2JS } from 're2js';
import { RequestParameterError } from '../errors.js';
import type { Article } from '../model.js';
import { foldScript, mayFold } from '../shared/script.js';
import { storedHtmlText } from '../shared/text.js';
import type { SourceInfo } from '../sources/registry.js';

/**
 * RSSHub's content filters (issue #14), with the semantics of its code
 * (lib/middleware/parameter.ts in DIYgod/RSSHub), which its documentation
 * (docs.rsshub.app/guide/parameters) describes in part:
 *
 * - `filter` keeps an item whose title, description, author or any category matches;
 * - `filter_title`, `filter_description`, `filter_author`, `filter_category` keep an item only
 *   if every one given matches (a category: any of them); all four are ignored when `filter` is
 *   given;
 * - `filterout` drops an item whose title or description matches; `filterout_title` and
 *   `filterout_description` replace it for their field; `filterout_author` drops an item whose
 *   author matches, `filterout_category` one with any matching category (`filterout` alone
 *   looks at neither author nor categories);
 * - `filter_case_sensitive=false` makes every pattern case-insensitive (the default is `true`);
 * - `filter_time=N` keeps items published in the last N seconds;
 * - all of this before `limit`.
 *
 * Patterns are RE2 syntax (re2js, linear time, as RSSHub's default engine), searched anywhere in
 * the text (RE2 `find`). Where we differ, on purpose, is listed in README ("Filters").
 * Both the patterns and the text are folded to Simplified characters first (foldScript), so a
 * pattern matches either script, as `q` does.
 */

/** The patterns, by parameter name, in the order RSSHub documents them. */
export const PATTERN_PARAMETERS = [
  'filter', 'filter_title', 'filter_description', 'filter_author', 'filter_category',
  'filterout', 'filterout_title', 'filterout_description', 'filterout_author', 'filterout_category',
] as const;
export type PatternParameter = (typeof PATTERN_PARAMETERS)[number];

/** Long enough for any list of keywords a reader writes; RE2's work grows with the pattern's size. */
export const MAX_PATTERN_LENGTH = 256;
/** A year: a window longer than that is every article, and a larger number is a mistake. */
export const MAX_FILTER_TIME_SECONDS = 366 * 24 * 3600;

export interface ItemFilterSpec {
  patterns: Partial<Record<PatternParameter, string>>;
  /** RSSHub's default: true. */
  caseSensitive: boolean;
}

function fail(name: string, reason: string): never {
  throw new RequestParameterError(`${name}: ${reason}`);
}

/** A pattern as a request gives it, checked: not empty, not too long, and valid RE2 syntax. */
export function parsePattern(name: PatternParameter, value: string): string {
  if (value === '') fail(name, 'expected a regular expression (RE2 syntax), got an empty value');
  const length = [...value].length;
  if (length > MAX_PATTERN_LENGTH) fail(name, `expected a pattern of at most ${MAX_PATTERN_LENGTH} characters, got ${length}`);
  try {
    RE2JS.compile(value);
  } catch (err) {
    fail(name, `not a regular expression RE2 accepts: ${(err as Error).message}`);
  }
  return value;
}

/** `true` or `false`, as RSSHub documents it; RSSHub itself reads anything but `false` as true. */
export function parseCaseSensitive(value: string): boolean {
  const v = value.toLowerCase();
  if (v !== 'true' && v !== 'false') fail('filter_case_sensitive', `expected true or false, got ${JSON.stringify(value)}`);
  return v === 'true';
}

const SECONDS = /^\d{1,9}$/;

export function parseFilterTime(value: string): number {
  const n = Number(value);
  if (!SECONDS.test(value) || n < 1 || n > MAX_FILTER_TIME_SECONDS) {
    fail('filter_time', `expected a whole number of seconds from 1 to ${MAX_FILTER_TIME_SECONDS}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** The text of an item as the filters see it: what a reader sees, not markup. */
export interface FilterFields {
  title: string;
  description: string;
  author: string;
  categories: string[];
}

/**
 * What we publish of an article, as RSSHub's item fields: the description is the full text
 * without markup (RSSHub matches the HTML source, tags and all), the author the outlet as our
 * feeds name it with the article's byline after it where there is one (RSSHub joins authors
 * with a space), and the categories the outlet's name, as RSS `category` and JSON Feed `tags`.
 */
export function filterFields(article: Article, source: SourceInfo, fold = true): FilterFields {
  const description = storedHtmlText(article.contentHtml);
  const f = fold ? foldScript : (s: string): string => s;
  return {
    title: f(article.title),
    description: f(description),
    author: f([source.title, article.author].filter(Boolean).join(' ')),
    categories: [f(source.name)],
  };
}

type Test = (text: string) => boolean;

function compile(pattern: string, caseSensitive: boolean): Test {
  const flags = caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE;
  let re: RE2JS;
  try {
    re = RE2JS.compile(foldScript(pattern), flags);
  } catch {
    // Folding can reorder a character range (`[乾-亂]` folds to `[干-乱]`); the pattern as
    // written was valid, so it is used as written.
    re = RE2JS.compile(pattern, flags);
  }
  return (text) => re.test(text);
}

/** Whether an item passes, as RSSHub decides it (`filter_time` is the publisher's: it needs the clock). */
export type ItemPredicate = (fields: FilterFields) => boolean;

/**
 * Whether an article passes `spec`, or undefined when it has no pattern. The text is folded only
 * when a pattern holds a character folding can change: a pattern of Latin letters, digits and
 * punctuation matches folded and unfolded text alike, and folding is most of the cost.
 */
export function articlePredicate(spec: ItemFilterSpec): ((article: Article, source: SourceInfo) => boolean) | undefined {
  const test = itemPredicate(spec);
  if (!test) return undefined;
  const fold = Object.values(spec.patterns).some((p) => p !== undefined && mayFold(p));
  return (article, source) => test(filterFields(article, source, fold));
}

/** The predicate of a filter spec, every pattern compiled once; undefined when it has no pattern. */
export function itemPredicate(spec: ItemFilterSpec): ItemPredicate | undefined {
  const re: Partial<Record<PatternParameter, Test>> = {};
  for (const name of PATTERN_PARAMETERS) {
    const pattern = spec.patterns[name];
    if (pattern !== undefined) re[name] = compile(pattern, spec.caseSensitive);
  }
  if (Object.keys(re).length === 0) return undefined;
  const anyOf = (test: Test | undefined, texts: readonly string[]): boolean => test !== undefined && texts.some(test);
  const outTitle = re.filterout_title ?? re.filterout;
  const outDescription = re.filterout_description ?? re.filterout;
  return (f) => {
    if (re.filter) {
      if (!(re.filter(f.title) || re.filter(f.description) || re.filter(f.author) || f.categories.some(re.filter))) return false;
    } else {
      if (re.filter_title && !re.filter_title(f.title)) return false;
      if (re.filter_description && !re.filter_description(f.description)) return false;
      if (re.filter_author && !re.filter_author(f.author)) return false;
      if (re.filter_category && !f.categories.some(re.filter_category)) return false;
    }
    if (outTitle && outTitle(f.title)) return false;
    if (outDescription && outDescription(f.description)) return false;
    if (re.filterout_author && re.filterout_author(f.author)) return false;
    if (anyOf(re.filterout_category, f.categories)) return false;
    return true;
  };
}
