/**
 * XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
 * Anything else (C0 controls, lone surrogates, U+FFFE/FFFF) makes a document ill-formed.
 */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripNonXmlChars(s: string): string {
  return s.replace(NOT_XML_CHAR, '');
}

/** Text content: escaped rather than CDATA, so no `]]>` in the input can end a section early. */
export function xmlText(s: string): string {
  return stripNonXmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** `<name attr="v">text</name>`, or nothing when the text is undefined. */
export function element(name: string, content: string | undefined, attrs: Record<string, string> = {}): string {
  if (content === undefined) return '';
  return `<${name}${attributes(attrs)}>${xmlText(content)}</${name}>`;
}

export function emptyElement(name: string, attrs: Record<string, string>): string {
  return `<${name}${attributes(attrs)}/>`;
}

function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${xmlAttr(v)}"`)
    .join('');
}

/** Plain text as HTML: what Atom's type="html" and RSS description expect. */
export function htmlEscaped(s: string): string {
  return stripNonXmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text a feed validator would read as markup or entities: `<` or `&` anywhere. */
const MARKUP_LIKE = /[<&]/;
/** The W3C validator's test for HTML in a text element (validators.py, nonhtml.htmlEndTag_re). */
const CLOSING_TAG = /<\/\w+>/;

/**
 * A plain-text RSS element, written as the RSS Best Practices Profile asks
 * (https://www.rssboard.org/rss-profile#data-types-characterdata): `&`, `<` and `>` as hexadecimal
 * character references, which tell a reader the text is not markup. Text that still reads as a
 * closing tag is leaked markup; it goes HTML-escaped, so readers that render titles as HTML (most
 * do) show it literally and the validator does not take it for undeclared HTML.
 */
export function rssTextElement(name: string, content: string | undefined, attrs: Record<string, string> = {}): string {
  if (content === undefined) return '';
  if (!MARKUP_LIKE.test(content)) return element(name, content, attrs);
  const text = CLOSING_TAG.test(content) ? htmlEscaped(content) : stripNonXmlChars(content);
  const encoded = text.replace(/&/g, '&#x26;').replace(/</g, '&#x3C;').replace(/>/g, '&#x3E;');
  return `<${name}${attributes(attrs)}>${encoded}</${name}>`;
}

/** Plain text in an RSS element whose content is HTML (description, RSS 2.0 §"item"): escaped twice. */
export function rssHtmlTextElement(name: string, content: string): string {
  return element(name, htmlEscaped(content));
}

/**
 * A plain-text Atom construct (RFC 4287 §3.1): type="text" unless it holds `<` or `&`, which the
 * validator takes for undeclared markup; then type="html" with the text HTML-escaped, which says
 * the same thing unambiguously.
 */
export function atomTextElement(name: string, content: string | undefined): string {
  if (content === undefined) return '';
  if (!MARKUP_LIKE.test(content)) return element(name, content, { type: 'text' });
  return element(name, htmlEscaped(content), { type: 'html' });
}

/** A URL as WHATWG serialises it (quotes and spaces percent-encoded); unparsable ones as given. */
export function serializedUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
