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
