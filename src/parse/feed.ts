import { FeedParseError } from '../errors.js';
import type { ArticleDraft } from '../model.js';
import { parseHttpUrl } from '../shared/url.js';
import { parseDate, PLAUSIBLE_FROM } from '../shared/date.js';
import { escapeHtmlText } from '../shared/html.js';
import { titleText } from '../shared/title.js';
import { childElements, firstChild, innerHtml, isElement, NS, parseXml, textOf, type XmlElement } from './feedXml.js';

/**
 * Upstream feeds → article drafts. RSS 2.0 (and 0.9x) per the RSS Advisory Board's spec, RSS 1.0
 * (RDF) with its content and Dublin Core modules, and Atom 1.0 (RFC 4287), with Media RSS for
 * images. Where an item says something twice, the fields below are tried in order.
 */
type Name = readonly [ns: string, local: string];

/**
 * Fields from modules, after the item's own elements (which are in the item's namespace: none
 * for RSS 2.0, Userland's for its namespaced RSS 2.0, RSS 1.0's for RDF). Dublin Core Terms'
 * `issued` and `modified` date an item only where nothing else does.
 */
const RSS = {
  title: [[NS.dc, 'title']],
  published: [[NS.dc, 'date'], [NS.atom, 'published'], [NS.atom, 'updated'], [NS.dcterms, 'issued'], [NS.dcterms, 'modified']],
} satisfies Record<string, readonly Name[]>;

/** RSS 2.0's root: unnamespaced, or in a namespace Userland once gave it. */
const RSS2_NAMESPACES: readonly string[] = [NS.none, NS.userlandRss2, NS.userlandRss];

/** RSS 1.0 and 0.90 items live in their own namespace (or none, in sloppy feeds). */
const RDF_ITEM_NAMESPACES = [NS.rss1, NS.rss090, NS.none];

const ATOM = {
  published: [[NS.atom, 'published'], [NS.atom, 'updated'], [NS.dc, 'date'], [NS.dcterms, 'issued'], [NS.dcterms, 'modified']],
} satisfies Record<string, readonly Name[]>;

const IMAGE_FILE = /\.(jpe?g|png|gif|webp|avif)(?:$|[?#])/i;

/**
 * Longest title kept, in characters. Headlines run to a few dozen characters (the longest seed's
 * is 40); Google News shows about 110 and feed readers a line or two. Anything far longer is an
 * upstream mistake or an attack, and every feed document repeats the title, so it is cut here
 * with an ellipsis rather than republished a megabyte at a time.
 */
export const MAX_TITLE_CHARS = 500;

export type FeedFormat = 'rss' | 'rdf' | 'atom';

export interface FeedContext {
  /** The URL the feed was finally fetched from: relative links resolve against it. */
  url: string;
  /** Source id from `feeds/`: every draft is that outlet's. */
  source: string;
  /** When we fetched it: each draft's archived time. */
  archived: number;
}

export interface SkippedItem {
  /** 1-based position in the feed. */
  item: number;
  reason: string;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string;
  drafts: ArticleDraft[];
  skipped: SkippedItem[];
}

/** A URL as written, with the base it resolves against (its element's xml:base chain). */
interface Reference {
  href: string;
  base: string;
}

/** What one item says, before we decide whether it is usable. */
interface ItemFields {
  /** Plain text. */
  title: string;
  link: Reference | undefined;
  html: string;
  published: string | undefined;
  image: Reference | undefined;
}

/**
 * The base URL inside `el` (XML Base): its own xml:base resolved against its parent's. Callers
 * walk down from the document, so every ancestor counts, the innermost last, `el` included.
 */
function withBase(el: XmlElement, base: string): string {
  const declared = el.attrs['xml:base'];
  if (declared === undefined) return base;
  try {
    return new URL(declared, base).href;
  } catch {
    return base;
  }
}

function reference(href: string | undefined, el: XmlElement, base: string): Reference | undefined {
  return href === undefined ? undefined : { href, base: withBase(el, base) };
}

function firstText(el: XmlElement, names: readonly Name[]): string | undefined {
  for (const name of names) {
    const text = textOf(firstChild(el, [name]));
    if (text !== '') return text;
  }
  return undefined;
}

function isImage(url: string | undefined, type: string | undefined, medium?: string): boolean {
  if (!url) return false;
  if (medium) return medium === 'image';
  if (type) return type.toLowerCase().startsWith('image/');
  return IMAGE_FILE.test(url);
}

/** The item's own element names: in its namespace, and unnamespaced as sloppy feeds write them. */
function own(item: XmlElement, local: string): Name[] {
  return item.ns === NS.none ? [[NS.none, local]] : [[item.ns, local], [NS.none, local]];
}

/** The lead image an item names outside its body: an enclosure, then Media RSS content or thumbnail. */
function upstreamImage(item: XmlElement, base: string): Reference | undefined {
  for (const enclosure of childElements(item, own(item, 'enclosure'))) {
    if (isImage(enclosure.attrs.url, enclosure.attrs.type)) return reference(enclosure.attrs.url, enclosure, base);
  }
  for (const link of childElements(item, [[NS.atom, 'link']])) {
    if (link.attrs.rel === 'enclosure' && isImage(link.attrs.href, link.attrs.type)) return reference(link.attrs.href, link, base);
  }
  const groups = [{ el: item, base }, ...childElements(item, [[NS.media, 'group']]).map((g) => ({ el: g, base: withBase(g, base) }))];
  for (const group of groups) {
    for (const media of childElements(group.el, [[NS.media, 'content']])) {
      if (isImage(media.attrs.url, media.attrs.type, media.attrs.medium)) return reference(media.attrs.url, media, group.base);
    }
  }
  for (const group of groups) {
    const thumbnail = firstChild(group.el, [[NS.media, 'thumbnail']]);
    if (thumbnail?.attrs.url) return reference(thumbnail.attrs.url, thumbnail, group.base);
  }
  return undefined;
}

/** The first of `names` with text, as a reference against its own xml:base. */
function textReference(item: XmlElement, names: readonly Name[], base: string): Reference | undefined {
  for (const el of childElements(item, names)) {
    const text = textOf(el);
    if (text !== '') return { href: text, base: withBase(el, base) };
  }
  return undefined;
}

function rssGuidLink(item: XmlElement, base: string): Reference | undefined {
  const guid = firstChild(item, own(item, 'guid'));
  if (!guid || guid.attrs.isPermaLink?.toLowerCase() === 'false') return undefined;
  const text = textOf(guid);
  return /^https?:\/\//i.test(text) ? { href: text, base: withBase(guid, base) } : undefined;
}

function rssItem(item: XmlElement, base: string): ItemFields {
  const about = item.attrs['rdf:about'];
  return {
    title: titleText(firstText(item, [...own(item, 'title'), ...RSS.title]) ?? '', 'guess'),
    link: textReference(item, own(item, 'link'), base) ?? (about ? { href: about, base } : undefined) ?? rssGuidLink(item, base),
    html: firstText(item, [[NS.content, 'encoded'], ...own(item, 'description')]) ?? '',
    published: firstText(item, [...own(item, 'pubDate'), ...RSS.published]),
    image: upstreamImage(item, base),
  };
}

/**
 * Atom text constructs (RFC 4287 §3.1) as HTML: `html` as it is, `xhtml` serialised, `text`
 * escaped (in a paragraph for bodies). Out-of-line (`src`) and base64 content give nothing.
 */
function atomHtml(el: XmlElement | undefined, paragraph: boolean): string | undefined {
  if (!el || el.attrs.src !== undefined) return undefined;
  const type = atomType(el);
  if (type === 'html' || type === 'text/html') return textOf(el);
  if (type === 'xhtml' || type.endsWith('+xml') || type.endsWith('/xml')) {
    const elements = el.children.filter(isElement);
    const wrapper = elements.length === 1 && elements[0]!.local === 'div' ? elements[0]! : el;
    return innerHtml(wrapper).trim();
  }
  if (type === 'text' || type.startsWith('text/')) {
    const text = escapeHtmlText(textOf(el));
    return paragraph && text !== '' ? `<p>${text}</p>` : text;
  }
  return undefined;
}

/** A text construct's type; absent or empty is `text`, as feedparser reads `type=""`. */
function atomType(el: XmlElement): string {
  return (el.attrs.type || 'text').trim().toLowerCase() || 'text';
}

/** An Atom title as plain text (RFC 4287 §3.1): `text` as written, `html` and `xhtml` with their markup read. */
function atomTitle(el: XmlElement | undefined): string {
  if (!el) return '';
  const type = atomType(el);
  if (type === 'html' || type === 'text/html') return titleText(textOf(el), 'html');
  if (type === 'xhtml') return titleText(atomHtml(el, false) ?? '', 'html');
  return titleText(textOf(el), 'text');
}

function atomLink(entry: XmlElement, base: string): Reference | undefined {
  const links = childElements(entry, [[NS.atom, 'link']]).filter((l) => l.attrs.href);
  const alternates = links.filter((l) => (l.attrs.rel ?? 'alternate') === 'alternate');
  const link = alternates.find((l) => (l.attrs.type ?? 'text/html').includes('html')) ?? alternates[0];
  if (link) return reference(link.attrs.href, link, base);
  const id = firstChild(entry, [[NS.atom, 'id']]);
  return id && /^https?:\/\//i.test(textOf(id)) ? { href: textOf(id), base: withBase(id, base) } : undefined;
}

function atomEntry(entry: XmlElement, base: string): ItemFields {
  return {
    title: atomTitle(firstChild(entry, [[NS.atom, 'title']])),
    link: atomLink(entry, base),
    html: atomHtml(firstChild(entry, [[NS.atom, 'content']]), true) || atomHtml(firstChild(entry, [[NS.atom, 'summary']]), true) || '',
    published: firstText(entry, ATOM.published),
    image: upstreamImage(entry, base),
  };
}

interface Located {
  format: FeedFormat;
  title: string;
  items: ItemFields[];
}

function locate(root: XmlElement, url: string): Located | undefined {
  const rootBase = withBase(root, url);
  if (RSS2_NAMESPACES.includes(root.ns) && root.local === 'rss') {
    const channel = firstChild(root, own(root, 'channel'));
    if (!channel) return { format: 'rss', title: '', items: [] };
    const base = withBase(channel, rootBase);
    return {
      format: 'rss',
      title: textOf(firstChild(channel, own(channel, 'title'))),
      items: childElements(channel, own(channel, 'item')).map((item) => rssItem(item, withBase(item, base))),
    };
  }
  if (root.ns === NS.rdf && root.local === 'RDF') {
    const channel = root.children.filter(isElement).find((c) => c.local === 'channel' && RDF_ITEM_NAMESPACES.includes(c.ns as never));
    return {
      format: 'rdf',
      title: channel ? textOf(firstChild(channel, [[channel.ns, 'title']])) : '',
      items: childElements(root, RDF_ITEM_NAMESPACES.map((ns) => [ns, 'item'] as const))
        .map((item) => rssItem(item, withBase(item, rootBase))),
    };
  }
  if (root.ns === NS.atom && root.local === 'feed') {
    return {
      format: 'atom',
      title: textOf(firstChild(root, [[NS.atom, 'title']])),
      items: childElements(root, [[NS.atom, 'entry']]).map((entry) => atomEntry(entry, withBase(entry, rootBase))),
    };
  }
  return undefined;
}

/** Cuts a title to MAX_TITLE_CHARS code points. */
function boundedTitle(title: string): string {
  const chars = [...title];
  if (chars.length <= MAX_TITLE_CHARS) return title;
  return `${chars.slice(0, MAX_TITLE_CHARS).join('').trimEnd()}…`;
}

function toDraft(fields: ItemFields, ctx: FeedContext, position: number): ArticleDraft | string {
  if (fields.link === undefined) return 'no link';
  let url: string;
  try {
    url = parseHttpUrl(fields.link.href, fields.link.base).href;
  } catch {
    return `link is not an http(s) URL: ${JSON.stringify(fields.link.href.slice(0, 120))}`;
  }
  if (fields.title.trim() === '') return 'no title';
  const draft: ArticleDraft = {
    origin: `${ctx.url} item ${position}`,
    url,
    title: boundedTitle(fields.title),
    html: fields.html,
    archived: ctx.archived,
    source: ctx.source,
  };
  const published = fields.published === undefined ? undefined : parseDate(fields.published);
  if (published !== undefined && published >= PLAUSIBLE_FROM) draft.published = published;
  if (fields.image !== undefined) {
    try {
      draft.image = parseHttpUrl(fields.image.href, fields.image.base).href;
    } catch {
      // an unusable image URL is no reason to lose the article
    }
  }
  return draft;
}

/**
 * Reads an RSS 2.0, RSS 1.0 or Atom document into drafts. A document that is not well-formed or
 * not a feed throws FeedParseError; an unusable item is skipped with its reason.
 */
export function parseFeed(text: string, ctx: FeedContext): ParsedFeed {
  const root = parseXml(text, ctx.url);
  const located = locate(root, ctx.url);
  if (!located) {
    throw new FeedParseError(ctx.url, `not RSS 2.0, RSS 1.0 or Atom: the root element is <${root.local}>${root.ns ? ` in ${root.ns}` : ''}`);
  }
  const parsed: ParsedFeed = { format: located.format, title: located.title, drafts: [], skipped: [] };
  located.items.forEach((fields, i) => {
    const draft = toDraft(fields, ctx, i + 1);
    if (typeof draft === 'string') parsed.skipped.push({ item: i + 1, reason: draft });
    else parsed.drafts.push(draft);
  });
  return parsed;
}
