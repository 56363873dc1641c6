import { plainText, toPlainText } from './text.js';

/**
 * Titles are plain text from the parsers on. Upstreams say which kind they send only in Atom
 * (`type`); an RSS title or a seed's `[title](url)` line may be either, and reading plain text
 * as HTML loses what looks like a tag: `x<y` becomes `x`, `Why <blink> is dead` loses a word.
 * So a title is plain text unless it plausibly carries markup, as feedparser decides
 * (feedparser/mixin.py, `lookslikehtml`): it must hold a closing tag or an entity reference,
 * every tag must be an ordinary HTML element, and every named entity a real one.
 */

/**
 * Elements a title read as HTML may hold: feedparser's acceptable_elements (_HTMLSanitizer), and
 * the active ones it refuses (script, style, iframe ...), so that leaked code is read as markup
 * and dropped by toPlainText rather than shown. Obsolete tags no HTML parser still honours
 * (`blink`, `marquee`) are not markup: a title naming them is about them.
 */
export const TITLE_MARKUP_ELEMENTS = new Set([
  'a', 'abbr', 'acronym', 'address', 'area', 'article', 'aside', 'audio', 'b', 'bdi', 'bdo', 'big', 'blockquote',
  'br', 'button', 'canvas', 'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'data', 'datalist', 'dd', 'del',
  'details', 'dfn', 'dialog', 'dir', 'div', 'dl', 'dt', 'em', 'embed', 'fieldset', 'figcaption', 'figure', 'font',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'iframe', 'img', 'input', 'ins', 'kbd',
  'label', 'legend', 'li', 'main', 'map', 'mark', 'menu', 'meter', 'nav', 'noscript', 'object', 'ol', 'optgroup',
  'option', 'output', 'p', 'picture', 'pre', 'progress', 'q', 's', 'samp', 'script', 'section', 'select', 'small',
  'source', 'span', 'strike', 'strong', 'style', 'sub', 'summary', 'sup', 'svg', 'table', 'tbody', 'td', 'template',
  'textarea', 'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'video', 'wbr',
]);

const CLOSING_TAG = /<\/\w+\s*>/;
const ENTITY_REFERENCE = /&#?\w+;/;
const TAG_NAME = /<\/?([A-Za-z][\w-]*)/g;
const NAMED_ENTITY = /&([A-Za-z]\w*);/g;

function isKnownEntity(name: string): boolean {
  const reference = `&${name};`;
  return toPlainText(reference) !== reference;
}

/** Whether text read from an upstream plausibly is HTML rather than plain text. */
export function looksLikeHtml(s: string): boolean {
  if (!CLOSING_TAG.test(s) && !ENTITY_REFERENCE.test(s)) return false;
  for (const [, tag] of s.matchAll(TAG_NAME)) if (!TITLE_MARKUP_ELEMENTS.has(tag!.toLowerCase())) return false;
  for (const [, name] of s.matchAll(NAMED_ENTITY)) if (!isKnownEntity(name!)) return false;
  return true;
}

/**
 * A title as plain text: `text` is taken as it is, `html` has its markup read, and `guess`
 * (RSS, seed files) decides by looksLikeHtml.
 */
export function titleText(raw: string, kind: 'text' | 'html' | 'guess'): string {
  const html = kind === 'html' || (kind === 'guess' && looksLikeHtml(raw));
  return html ? toPlainText(raw) : plainText(raw);
}
