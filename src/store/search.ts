import type { Article } from '../model.js';
import { comparisonForm } from '../shared/script.js';
import { storedHtmlText } from '../shared/text.js';

/**
 * Keyword search from an index, the same in every engine (issue #10). `q` matches a
 * case-insensitive substring of an article's title or body text. SQLite's FTS5 trigram tokenizer
 * matches nothing under three characters and PostgreSQL's pg_trgm ignores CJK under a C locale,
 * yet most Chinese words are two characters; so the tokens are made here, in three fields:
 *
 * - `grams`: every CJK character, and every one- and two-character substring of other words;
 * - `cjk`: each run of CJK characters as its overlapping pairs, in order (`台湾选举` → 台湾 湾选
 *   选举), then a separator;
 * - `latin`: each run of other letters and digits as its overlapping triples, then a separator.
 *
 * A query that is one run asks for one gram, or for its pairs (triples) as a phrase: consecutive
 * positions, which the text has exactly where it holds those characters in a row. So such a query
 * is answered by the index alone, with no false positives and no misses. A query of several runs
 * (`第7篇`, `trump and`) asks for each run and checks each candidate's text.
 *
 * Both the text and the keyword are folded to Simplified characters (comparisonForm, OpenCC's
 * character table), so `臺灣` finds `台湾` and the reverse (issue #14). Changing what these two
 * functions return changes what the index holds: bump SEARCH_TEXT_VERSION, and every engine
 * rebuilds its index at the next start.
 */

/** The version of searchText's output; an engine whose index was built by another rebuilds it. */
export const SEARCH_TEXT_VERSION = 2;

/** Characters indexed one by one and in adjacent pairs: Han, kana and Hangul have no spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;

/**
 * Title and body as lower-cased NFKC plain text in Simplified characters: a keyword must not
 * match markup (`img`, `href`), and matches either script.
 */
export function searchText(article: Pick<Article, 'title' | 'contentHtml'>): string {
  const body = storedHtmlText(article.contentHtml);
  return comparisonForm(`${article.title}\n${body}`);
}

/** A keyword as it is matched: NFKC, lower-cased, trimmed, folded (what searchText does to the text). */
export function searchKey(q: string): string {
  return comparisonForm(q).trim();
}

type Run = { cjk: boolean; chars: string[] };

/** Maximal runs of CJK characters and of other letters and digits; anything else separates them. */
function runs(text: string): Run[] {
  const out: Run[] = [];
  let current: Run | undefined;
  for (const ch of text) {
    if (!WORD.test(ch)) {
      current = undefined;
      continue;
    }
    const cjk = CJK.test(ch);
    if (!current || current.cjk !== cjk) {
      current = { cjk, chars: [] };
      out.push(current);
    }
    current.chars.push(ch);
  }
  return out;
}

/** Between runs in the `cjk` and `latin` fields: not a pair nor a triple, so no phrase spans it. */
const SEPARATOR = 'x';

/** The overlapping `size`-character pieces of a run; a shorter run has none. */
function pieces(chars: readonly string[], size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= chars.length; i += 1) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** What the index holds for one article: three space-separated token lists. */
export interface IndexEntry {
  grams: string;
  cjk: string;
  latin: string;
}

export function indexEntry(text: string): IndexEntry {
  const grams = new Set<string>();
  const cjk: string[] = [];
  const latin: string[] = [];
  for (const run of runs(text)) {
    if (run.cjk) {
      for (const ch of run.chars) grams.add(ch);
      cjk.push(...pieces(run.chars, 2), SEPARATOR);
    } else {
      for (const piece of [...pieces(run.chars, 1), ...pieces(run.chars, 2)]) grams.add(piece);
      latin.push(...pieces(run.chars, 3), SEPARATOR);
    }
  }
  return { grams: [...grams].join(' '), cjk: cjk.join(' '), latin: latin.join(' ') };
}

/** What one run of a query asks of the index: a field and the tokens that must stand there in a row. */
export interface RunQuery {
  field: keyof IndexEntry;
  /** One token (a gram), or a phrase of pairs or triples in order. */
  tokens: string[];
}

/** What a keyword asks of the index. */
export interface SearchPlan {
  /** Every one must match; empty means the index cannot narrow (a query of punctuation alone). */
  runs: RunQuery[];
  /** Whether the index alone decides a match; otherwise each candidate's text is checked. */
  exact: boolean;
  /** The substring a match contains. */
  key: string;
}

function runQuery(run: Run): RunQuery {
  const size = run.cjk ? 2 : 3;
  if (run.chars.length < size) return { field: 'grams', tokens: [run.chars.join('')] };
  return { field: run.cjk ? 'cjk' : 'latin', tokens: pieces(run.chars, size) };
}

export function searchPlan(q: string): SearchPlan {
  const key = searchKey(q);
  const parts = runs(key);
  const only = parts.length === 1 ? parts[0]! : undefined;
  const exact = only !== undefined && Array.from(key).length === only.chars.length;
  return { runs: parts.map(runQuery), exact, key };
}
