import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { blockText, serializeChildren } from '../normalize/html.js';

/**
 * Per-outlet selectors where the outlet's own markup beats Readability's guess, taken from the
 * outlets' article pages (VOA's Pangea CMS `.wsw`, RFI's `.t-content__*`, DW's `.rich-text`).
 * `parts` are joined in order (lead figure, standfirst, body); `drop` is removed inside them.
 * A source with no rule, or whose `body` selector matches nothing, goes to Readability.
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

export interface Extracted {
  html: string;
  /** Plain text of the extract, to compare with the feed's summary. */
  text: string;
  /** og:image, for pages whose lead image sits outside the extracted body. */
  image?: string;
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

/**
 * The article body of a page, or undefined where none can be found. The HTML still goes through
 * the same cleaning and sanitising as any other content (normalizeArticle).
 */
export function extractArticle(pageHtml: string, sourceId: string): Extracted | undefined {
  const { document } = parseHTML(pageHtml);
  const ogImage = document.querySelector('meta[property="og:image"]')?.getAttribute('content') ?? undefined;
  const rule = OUTLET_RULES[sourceId];
  // Readability edits the document it reads, so the selectors go first.
  const html = (rule && bySelectors(document as unknown as Document, rule)) ?? byReadability(document as unknown as Document);
  if (html === undefined) return undefined;
  const { document: fragmentDoc } = parseHTML(`<!doctype html><html><body><div>${html}</div></body></html>`);
  const text = blockText(fragmentDoc.querySelector('div') as unknown as Element);
  if (Array.from(text).length < EXTRACT_MIN_CHARS) return undefined;
  const extracted: Extracted = { html, text };
  if (ogImage) extracted.image = ogImage;
  return extracted;
}
