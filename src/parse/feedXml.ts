import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FeedParseError } from '../errors.js';
import { escapeHtmlAttribute, escapeHtmlText } from '../shared/html.js';
import { stripNonTextChars } from '../shared/text.js';

/**
 * A namespace-aware element tree for feed documents. Feeds are matched by namespace URI, not
 * prefix: `<dc:date>`, `<d:date xmlns:d=...>` and an unprefixed element in a default namespace
 * are the same thing.
 */
export const NS = {
  none: '',
  atom: 'http://www.w3.org/2005/Atom',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rss1: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  /** RSS 2.0 as Userland's early drafts namespaced it; feedparser reads both. */
  userlandRss2: 'http://backend.userland.com/rss2',
  userlandRss: 'http://backend.userland.com/rss',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  media: 'http://search.yahoo.com/mrss/',
  xhtml: 'http://www.w3.org/1999/xhtml',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** Prefixes some feeds use without declaring them; read as the namespace everyone means. */
const CONVENTIONAL_PREFIXES: Readonly<Record<string, string>> = {
  xml: NS.xml,
  atom: NS.atom,
  rdf: NS.rdf,
  content: NS.content,
  dc: NS.dc,
  dcterms: NS.dcterms,
  media: NS.media,
};

export interface XmlElement {
  ns: string;
  local: string;
  /** Attributes by their name as written (`url`, `rdf:about`, `xml:base`). */
  attrs: Readonly<Record<string, string>>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

type RawNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: true,
  htmlEntities: true,
  cdataPropName: '#cdata',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * Feeds have no use for entity declarations, and refusing them rules out expansion attacks
 * (billion laughs, and the quadratic blow-up of one large entity referenced a million times).
 * fast-xml-parser reads a DOCTYPE wherever it finds one, after comments or inside the root too,
 * and registers an entity exactly where the text says `<!ENTITY`; so any occurrence refuses the
 * document. It never reads external entities or DTDs (SYSTEM and PUBLIC are not fetched).
 */
const ENTITY_DECLARATION = '<!ENTITY';

/**
 * Elements deeper than this make the feed fail with a FeedParseError. Real feeds nest a dozen
 * levels, XHTML content a few dozen; the walkers below recurse, and a hostile document of
 * nothing but open tags would otherwise exhaust the stack. The same bound as the HTML cleaner's
 * (MAX_NESTING_DEPTH in shared/html.ts).
 */
export const MAX_ELEMENT_DEPTH = 512;

/** Why a parse stopped on purpose, not because the document was malformed. */
class TooDeep extends Error {}

function splitName(name: string): [prefix: string, local: string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

/** Text and attribute values lose what XML 1.0 and our archive format cannot carry (NUL, C0/C1 controls, lone surrogates). */
function cleanAttrs(raw: Record<string, unknown>): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) attrs[key] = stripNonTextChars(String(value));
  return attrs;
}

function build(raw: RawNode[], scope: Readonly<Record<string, string>>, out: XmlNode[], depth = 0): void {
  if (depth > MAX_ELEMENT_DEPTH) throw new TooDeep();
  for (const node of raw) {
    if ('#text' in node) {
      out.push(stripNonTextChars(String(node['#text'])));
      continue;
    }
    if ('#cdata' in node) {
      build(node['#cdata'] as RawNode[], scope, out, depth);
      continue;
    }
    const attrs = cleanAttrs((node[':@'] ?? {}) as Record<string, unknown>);
    const name = Object.keys(node).find((k) => k !== ':@');
    if (name === undefined) continue;
    let inner = scope;
    for (const [key, value] of Object.entries(attrs)) {
      if (key === 'xmlns') inner = { ...inner, '': value };
      else if (key.startsWith('xmlns:')) inner = { ...inner, [key.slice(6)]: value };
    }
    const [prefix, local] = splitName(name);
    const ns = inner[prefix] ?? CONVENTIONAL_PREFIXES[prefix] ?? `urn:undeclared:${prefix}`;
    const children: XmlNode[] = [];
    build(node[name] as RawNode[], inner, children, depth + 1);
    out.push({ ns, local, attrs, children });
  }
}

/** Parses a whole document; malformed XML throws FeedParseError naming the feed, line and column. */
export function parseXml(text: string, feed: string): XmlElement {
  // White space (and a BOM) before the XML declaration is an error to XML 1.0 §2.8, but PHP and
  // WordPress sites send blank lines there, and feedparser and rss-parser read such feeds.
  const leading = /^[\s\uFEFF]*/.exec(text)![0];
  const source = text.slice(leading.length);
  if (source.includes(ENTITY_DECLARATION)) throw new FeedParseError(feed, 'DOCTYPE declares entities (<!ENTITY); refused');
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    const line = valid.err.line + countLines(leading);
    throw new FeedParseError(feed, `not well-formed XML at line ${line}, column ${valid.err.col ?? '?'}: ${valid.err.msg}`);
  }
  const nodes: XmlNode[] = [];
  try {
    build(parser.parse(source) as RawNode[], { '': '' }, nodes);
  } catch (err) {
    if (err instanceof TooDeep || err instanceof RangeError) {
      throw new FeedParseError(feed, `elements nested deeper than ${MAX_ELEMENT_DEPTH} levels; refused`);
    }
    // fast-xml-parser's own refusals (a DOCTYPE it cannot read, say) are the document's fault.
    throw new FeedParseError(feed, `not a readable XML document: ${(err as Error).message}`);
  }
  const root = nodes.find((n): n is XmlElement => typeof n !== 'string');
  if (!root) throw new FeedParseError(feed, 'no root element');
  return root;
}

function countLines(s: string): number {
  return s.split('\n').length - 1;
}

export function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== 'string';
}

/** Child elements with one of the given names, in document order. */
export function childElements(el: XmlElement, names: readonly (readonly [ns: string, local: string])[]): XmlElement[] {
  return el.children.filter(isElement).filter((c) => names.some(([ns, local]) => c.ns === ns && c.local === local));
}

export function firstChild(el: XmlElement, names: readonly (readonly [ns: string, local: string])[]): XmlElement | undefined {
  for (const [ns, local] of names) {
    const hit = el.children.find((c): c is XmlElement => isElement(c) && c.ns === ns && c.local === local);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The base URL inside `el` (XML Base): its own xml:base resolved against its parent's. Callers
 * walk down from the document, so every ancestor counts, the innermost last, `el` included.
 */
export function withBase(el: XmlElement, base: string): string {
  const declared = el.attrs['xml:base'];
  if (declared === undefined) return base;
  try {
    return new URL(declared, base).href;
  } catch {
    return base;
  }
}

/** The text of the first of `names` that has any. */
export function firstText(el: XmlElement, names: readonly (readonly [ns: string, local: string])[]): string | undefined {
  for (const name of names) {
    const text = textOf(firstChild(el, [name]));
    if (text !== '') return text;
  }
  return undefined;
}

/** All the text inside an element, CDATA included, trimmed. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  const out: string[] = [];
  const walk = (node: XmlNode): void => {
    if (typeof node === 'string') out.push(node);
    else node.children.forEach(walk);
  };
  el.children.forEach(walk);
  return out.join('').trim();
}

/** HTML void elements (WHATWG HTML §13.1.2): `<br></br>` would read as two line breaks. */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

function serialize(node: XmlNode, out: string[]): void {
  if (typeof node === 'string') {
    out.push(escapeHtmlText(node));
    return;
  }
  out.push('<', node.local);
  for (const [name, value] of Object.entries(node.attrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:') || name.includes(':')) continue;
    out.push(' ', name, '="', escapeHtmlAttribute(value), '"');
  }
  out.push('>');
  if (VOID_ELEMENTS.has(node.local)) return;
  node.children.forEach((c) => serialize(c, out));
  out.push('</', node.local, '>');
}

/** An element's children as HTML, for Atom's `type="xhtml"` (RFC 4287 §3.1.1.3). */
export function innerHtml(el: XmlElement): string {
  const out: string[] = [];
  el.children.forEach((c) => serialize(c, out));
  return out.join('');
}
