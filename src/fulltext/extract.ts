import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { blockText, serializeChildren } from '../shared/html.js';

/**
 * Per-outlet selectors where the outlet's own markup beats Readability's guess, taken from the
 * outlets' article pages (VOA's Pangea CMS `.wsw`, RFI's `.t-content__*`, DW's `.rich-text`).
 * `parts` are joined in order (lead figure, standfirst, body); `drop` is removed inside them.
 * Outlets redesign their pages without notice (DW's rules are not confirmed against its current
 * pages), so a rule whose body matches nothing, or gives less text than needed (the feed's own
 * summary), is not the last word: Readability tries too, and the longer text wins.
 */
export const OUTLET_RULES: Record<string, { parts: string[]; body: string; drop: string[] }> = {
  voa: {
    parts: ['.cover-media figure', '#article-content .wsw'],
    body: '#article-content .wsw',
    drop: ['.media-block-wrap', '.wsw__embed', '.ad', '.share', 'script', 'style', 'aside'],
  },
  rfi: {
    parts: ['.t-content__main-media figure', '.t-content__chapo', '.t-content__body'],
    body: '.t-content__body',
    drop: ['.o-self-promo', '.m-interstitial', '.m-em-related', '[data-selfpromo-newsletter]', '[data-selfpromo-app]', 'script', 'style', 'aside'],
  },
  dw: {
    parts: ['article header figure', 'article .teaser-text', 'article .rich-text'],
    body: 'article .rich-text',
    drop: ['.advertisement', '.related-content', '.social-bar', 'script', 'style', 'aside'],
  },
};

/** An extract with less text than this is a navigation bar or an error page, not an article. */
export const EXTRACT_MIN_CHARS = 40;

/** Readability's own default is 500; Chinese packs more per character. */
const READABILITY_CHAR_THRESHOLD = 200;

/** Which way the body was found, for the log. */
export type ExtractionRule = 'outlet' | 'readability';

export interface Extracted {
  html: string;
  /** Plain text of the extract, to compare with the feed's summary. */
  text: string;
  /** og:image, for pages whose lead image sits outside the extracted body. */
  image?: string;
  rule: ExtractionRule;
}

function bySelectors(document: Document, rule: (typeof OUTLET_RULES)[string]): string | undefined {
  if (!document.querySelector(rule.body)) return undefined;
  const wrapper = document.createElement('div');
  for (const selector of rule.parts) {
    const part = document.querySelector(selector);
    if (!part) continue;
    const copy = part.cloneNode(true) as Element;
    for (const junk of Array.from(copy.querySelectorAll(rule.drop.join(',')))) junk.remove();
    wrapper.appendChild(copy);
  }
  return serializeChildren(wrapper);
}

function byReadability(document: Document): string | undefined {
  // The default serializer is linkedom's innerHTML, which leaves `&` raw in attribute values.
  const result = new Readability(document, {
    charThreshold: READABILITY_CHAR_THRESHOLD,
    serializer: (node) => serializeChildren(node as Element),
  }).parse();
  return result?.content ?? undefined;
}

function measured(html: string | undefined, rule: ExtractionRule): (Extracted & { chars: number }) | undefined {
  if (html === undefined) return undefined;
  const { document: fragmentDoc } = parseHTML(`<!doctype html><html><body><div>${html}</div></body></html>`);
  const text = blockText(fragmentDoc.querySelector('div') as unknown as Element);
  return { html, text, rule, chars: Array.from(text).length };
}

/**
 * The article body of a page, or undefined where none can be found: the outlet's rule where it
 * gives at least `minChars` characters (and EXTRACT_MIN_CHARS), else Readability's where that
 * gives more, else the longer of the two. The HTML still goes through the same cleaning and
 * sanitising as any other content (normalizeArticle).
 */
export function extractArticle(pageHtml: string, sourceId: string, minChars = 0): Extracted | undefined {
  const { document } = parseHTML(pageHtml);
  const ogImage = document.querySelector('meta[property="og:image"]')?.getAttribute('content') ?? undefined;
  const rule = OUTLET_RULES[sourceId];
  const needed = Math.max(minChars, EXTRACT_MIN_CHARS);
  // Readability edits the document it reads, so the selectors go first.
  const byRule = rule ? measured(bySelectors(document as unknown as Document, rule), 'outlet') : undefined;
  let best = byRule;
  if (!byRule || byRule.chars < needed) {
    // What the outlet's rule calls junk is junk to Readability too (ad slots read as paragraphs).
    if (rule) for (const junk of Array.from(document.querySelectorAll(rule.drop.join(',')))) junk.remove();
    const byGuess = measured(byReadability(document as unknown as Document), 'readability');
    if (byGuess && (!best || byGuess.chars > best.chars)) best = byGuess;
  }
  if (!best || best.chars < EXTRACT_MIN_CHARS) return undefined;
  const { chars: _chars, ...extracted } = best;
  return ogImage ? { ...extracted, image: ogImage } : extracted;
}
