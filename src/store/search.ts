import type { Article } from '../model.js';

/**
 * Keyword search from an index, the same in every engine (issue #10). `q` matches a
 * case-insensitive substring of an article's title or body text. SQLite's FTS5 trigram tokenizer
 * matches nothing under three characters and PostgreSQL's pg_trgm ignores CJK under a C locale,
 * yet most Chinese words are two characters; so the tokens are made here:
 *
 * - every CJK character, and every two adjacent ones (`台湾` → 台, 湾, 台湾);
 * - in runs of other letters and digits, every substring of one to three characters.
 *
 * A query of one or two CJK characters, or one to three other characters, is one token whose
 * presence means the substring is there. Anything else asks for all its tokens (a candidate set
 * that cannot miss a match) and each candidate is checked against the stored text, so there are
 * no false positives either.
 */

/** Characters indexed one by one and in adjacent pairs: Han, kana and Hangul have no spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;
/** Substrings of other words are indexed up to this length: three, as trigram indexes do. */
const GRAM = 3;

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };

/** Title and body as lower-cased NFKC plain text: a keyword must not match markup (`img`, `href`). */
export function searchText(article: Pick<Article, 'title' | 'contentHtml'>): string {
  const body = article.contentHtml
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e]!);
  return `${article.title}\n${body}`.normalize('NFKC').toLowerCase();
}

/** A keyword as it is matched: NFKC, lower-cased, trimmed (what searchText does to the text). */
export function searchKey(q: string): string {
  return q.normalize('NFKC').toLowerCase().trim();
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

function runTokens(run: Run, into: Set<string>): void {
  const { chars } = run;
  const longest = run.cjk ? 2 : GRAM;
  for (let i = 0; i < chars.length; i += 1) {
    let token = '';
    for (let n = 0; n < longest && i + n < chars.length; n += 1) {
      token += chars[i + n];
      into.add(token);
    }
  }
}

/** The distinct tokens of a search text, in first-seen order. */
export function indexTokens(text: string): string[] {
  const tokens = new Set<string>();
  for (const run of runs(text)) runTokens(run, tokens);
  return [...tokens];
}

/** What a keyword asks of the index. */
export interface SearchPlan {
  /** Every one must be among an article's tokens; empty means the index cannot narrow (a query of punctuation). */
  tokens: string[];
  /** Whether the tokens alone decide a match; otherwise each candidate's text is checked. */
  exact: boolean;
  /** The substring a match contains. */
  key: string;
}

/** The longest tokens covering a run of the query: one token if it is short, else its overlapping grams. */
function queryRunTokens(run: Run): string[] {
  const size = run.cjk ? 2 : GRAM;
  const { chars } = run;
  if (chars.length <= size) return [chars.join('')];
  const out: string[] = [];
  for (let i = 0; i + size <= chars.length; i += 1) out.push(chars.slice(i, i + size).join(''));
  return out;
}

export function searchPlan(q: string): SearchPlan {
  const key = searchKey(q);
  const parts = runs(key);
  const tokens = [...new Set(parts.flatMap(queryRunTokens))].sort();
  // One run that is one whole token: the text has it as a substring exactly when an article has the token.
  const only = parts.length === 1 ? parts[0]! : undefined;
  const exact = only !== undefined && Array.from(key).length === only.chars.length && only.chars.length <= (only.cjk ? 2 : GRAM);
  return { tokens, exact, key };
}
