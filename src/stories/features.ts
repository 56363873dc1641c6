import type { Article } from '../model.js';
import { comparisonForm } from '../shared/script.js';
import { storedHtmlText } from '../shared/text.js';
import { WORD_WEIGHTS } from './wordWeights.js';

/**
 * What an article says, as weighted words: the input of story grouping (issue #15).
 *
 * The title and the opening of the text are folded to Simplified characters (so VOA's and DW's
 * scripts compare), cut into words by ICU's dictionary segmenter (Intl.Segmenter, built into
 * Node), and each word weighs its inverse document frequency in general Chinese (jieba's table,
 * wordWeights.ts): 摩洛哥 8.5, 拜登 12.1, 美国 4.2, 表示 3.9. A run of single characters the
 * dictionary does not know (李|尚|福, a transliterated name) is one word, weighing UNLISTED_WEIGHT.
 * Title words weigh TITLE_FACTOR more: a title names its event in a dozen characters.
 *
 * Measured on the labelled archive (tests/fixtures/real-archive, BENCHMARKS.md): with 500
 * characters of opening, same-event pairs score 0.17–0.29 (one bridged pair 0.13) and
 * same-week pairs of different events at most 0.10.
 */

/** Characters of body text read after the title. */
export const OPENING_CHARS = 500;
/** Title words count this much more than the opening's. */
export const TITLE_FACTOR = 1.5;
/** A word jieba's table does not list (rarer than its cut at 10), or a name ICU cut into characters. */
export const UNLISTED_WEIGHT = 11;
/** A number of two or more characters (6.8, 2900, g20's 20 is a word of its own): shared figures tie reports together, but years and dates recur. */
export const NUMBER_WEIGHT = 6;
/** How many of an article's heaviest words are indexed to find its candidates (story_terms). */
export const KEY_TERMS = 12;

/**
 * Outlets' datelines that open every article of theirs, in the folded, NFKC form: DW writes
 * `（德國之聲中文網）` or `（德国之声中文网）`. Left in, every pair of DW articles would share it.
 */
const BOILERPLATE = ['(德国之声中文网)'];

export interface StoryFeatures {
  /** Word → weight; a word's weight is its IDF, times TITLE_FACTOR where the title has it. */
  weights: Map<string, number>;
  /** The KEY_TERMS heaviest words, ties by word: what the candidate index holds. */
  keys: string[];
}

let table: Map<string, number> | undefined;

function weightOf(word: string): number {
  if (!table) {
    table = new Map();
    for (const line of WORD_WEIGHTS.split('\n')) {
      const space = line.indexOf(' ');
      table.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
  }
  return table.get(word) ?? UNLISTED_WEIGHT;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /^\p{Script=Han}+$/u;
const NUMBER = /\d/;
const LATIN_WORD = /^[a-z]{3,}$/;

/** Words of a folded text with their weights (each word once). */
function words(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let run = '';
  const flush = (): void => {
    if ([...run].length >= 2) out.set(run, UNLISTED_WEIGHT);
    run = '';
  };
  for (const piece of segmenter.segment(text)) {
    const word = piece.segment;
    if (!piece.isWordLike) {
      flush();
      continue;
    }
    const han = HAN.test(word);
    if (han && [...word].length === 1) {
      run += word;
      continue;
    }
    flush();
    if (han || LATIN_WORD.test(word)) out.set(word, weightOf(word));
    else if (NUMBER.test(word) && word.length >= 2) out.set(word, NUMBER_WEIGHT);
  }
  flush();
  return out;
}

function folded(text: string): string {
  let out = comparisonForm(text);
  for (const phrase of BOILERPLATE) out = out.replaceAll(phrase, ' ');
  return out;
}

/** The opening of an article's text, whitespace collapsed. */
export function opening(contentHtml: string): string {
  return storedHtmlText(contentHtml).replace(/\s+/g, ' ').trim().slice(0, OPENING_CHARS);
}

export function storyFeatures(article: Pick<Article, 'title' | 'contentHtml'>): StoryFeatures {
  const weights = words(folded(opening(article.contentHtml)));
  for (const [word, weight] of words(folded(article.title))) weights.set(word, weight * TITLE_FACTOR);
  // Rounded as stored, so a new article and a stored one are compared by the same numbers.
  for (const [word, weight] of weights) weights.set(word, Number(weight.toFixed(2)));
  const keys = [...weights]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, KEY_TERMS)
    .map(([word]) => word);
  return { weights, keys };
}

/** The weights as stored: `word weight` lines, sorted, weights to 0.01. */
export function encodeWeights(weights: ReadonlyMap<string, number>): string {
  return [...weights].map(([w, v]) => `${w} ${v.toFixed(2)}`).sort().join('\n');
}

export function decodeWeights(text: string): Map<string, number> {
  const out = new Map<string, number>();
  if (text === '') return out;
  for (const line of text.split('\n')) {
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}
