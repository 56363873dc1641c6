import { decodeHTML } from 'entities';
import sanitize from 'sanitize-html';

/** Plain text, as every stage reads and writes it: parsers' titles, summaries, the sanitiser's text. */

/**
 * Elements dropped with their contents: active content and containers whose text was never meant
 * to be read as the article (form controls, fallback text, raw-text elements of old HTML). The
 * sanitiser's allowlist (normalize/sanitize.ts) drops them; plain and block text skip them too.
 */
export const DROP_WITH_CONTENT = [
  'script', 'style', 'iframe', 'object', 'embed', 'form', 'noscript', 'svg', 'math',
  'template', 'textarea', 'select', 'option', 'button', 'audio', 'video', 'canvas', 'title',
  'applet', 'frameset', 'frame', 'noframes', 'noembed', 'xmp', 'plaintext', 'head',
];

/**
 * Characters no feed or page should carry: C0 and C1 controls other than tab, LF and CR, lone
 * surrogates and the noncharacters U+FFFE/U+FFFF (not XML 1.0 Chars, or invisible garbage).
 * A form feed separates attributes in HTML, so it becomes a space rather than nothing.
 */
const NON_TEXT_CHARS = /[\0-\x08\x0B\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripNonTextChars(s: string): string {
  return s.replace(/\f/g, ' ').replace(NON_TEXT_CHARS, '');
}

/** Plain text as a reader should see it: white space folded, characters no feed may carry removed. */
export function plainText(s: string): string {
  return stripNonTextChars(s).replace(/\s+/g, ' ').trim();
}

const PLAIN_TEXT_OPTIONS: sanitize.IOptions = { allowedTags: [], allowedAttributes: {}, nonTextTags: DROP_WITH_CONTENT };

/** Plain text from HTML-ish input: tags dropped, entities decoded, whitespace collapsed. */
export function toPlainText(input: string): string {
  const text = sanitize(stripNonTextChars(input), PLAIN_TEXT_OPTIONS);
  return stripNonTextChars(decodeHTML(text)).replace(/\s+/g, ' ').trim();
}

/**
 * The text of HTML we wrote (a stored body, already through the sanitiser): tags become spaces,
 * entities are decoded. Quicker than toPlainText, which reads anyone's HTML; for search and filters.
 */
export function storedHtmlText(html: string): string {
  return decodeHTML(html.replace(/<[^>]*>/g, ' '));
}
