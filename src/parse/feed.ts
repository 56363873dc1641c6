import { FeedParseError } from '../errors.js';
import type { ArticleDraft } from '../model.js';
import { parseHttpUrl } from '../normalize/canonicalUrl.js';
import { parseDate } from '../normalize/date.js';
import { escapeHtmlText } from '../normalize/html.js';
import { childElements, firstChild, innerHtml, isElement, NS, parseXml, textOf, type XmlElement } from './feedXml.js';

/**
 * Upstream feeds → article drafts. RSS 2.0 (and 0.9x) per the RSS Advisory Board's spec, RSS 1.0
 * (RDF) with its content and Dublin Core modules, and Atom 1.0 (RFC 4287), with Media RSS for
 * images. Where an item says something twice, the fields below are tried in order.
 */
type Name = readonly [ns: string, local: string];

const RSS = {
  title: [[NS.none, 'title'], [NS.dc, 'title']],
  link: [[NS.none, 'link']],
  content: [[NS.content, 'encoded'], [NS.none, 'description']],
  published: [[NS.none, 'pubDate'], [NS.dc, 'date'], [NS.atom, 'published'], [NS.atom, 'updated']],
} satisfies Record<string, readonly Name[]>;

/** RSS 1.0 and 0.90 items live in their own namespace (or none, in sloppy feeds). */
const RDF_ITEM_NAMESPACES = [NS.rss1, NS.rss090, NS.none];

const ATOM = {
  published: [[NS.atom, 'published'], [NS.atom, 'updated']],
} satisfies Record<string, readonly Name[]>;

const IMAGE_FILE = /\.(jpe?g|png|gif|webp|avif)(?:$|[?#])/i;

/**
 * Longest title kept, in characters. Headlines run to a few dozen characters (the longest seed's
 * is 40); Google News shows about 110 and feed readers a line or two. Anything far longer is an
 * upstream mistake or an attack, and every feed document repeats the title, so it is cut here
 * with an ellipsis rather than republished a megabyte at a time.
 */
export const MAX_TITLE_CHARS = 500;

/**
 * Upstream dates before this are errors, and the item is dated as one without a date is (its
 * archived time). The W3C Feed Validation Service calls dates before 1990 implausible, and none
 * of our outlets published on the web before then; year 1 read by `Date.UTC` would even become
 * 1901. Dates later than the fetch are clamped by normalisation.
 */
export const EARLIEST_PUBLISHED = Date.UTC(1990, 0, 1);

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

/** What one item says, before we decide whether it is usable. */
interface ItemFields {
  title: string;
  link: string | undefined;
  html: string;
  published: string | undefined;
  image: string | undefined;
}

function withBase(el: XmlElement, base: string): string {
  const declared = el.attrs['xml:base'];
  if (declared === undefined) return base;
  try {
    return new URL(declared, base).href;
  } catch {
    return base;
  }
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

/** The lead image an item names outside its body: an enclosure, then Media RSS content or thumbnail. */
function upstreamImage(item: XmlElement): string | undefined {
  for (const enclosure of childElements(item, [[NS.none, 'enclosure']])) {
    if (isImage(enclosure.attrs.url, enclosure.attrs.type)) return enclosure.attrs.url;
  }
  for (const link of childElements(item, [[NS.atom, 'link']])) {
    if (link.attrs.rel === 'enclosure' && isImage(link.attrs.href, link.attrs.type)) return link.attrs.href;
  }
  const groups = [item, ...childElements(item, [[NS.media, 'group']])];
  for (const group of groups) {
    for (const media of childElements(group, [[NS.media, 'content']])) {
      if (isImage(media.attrs.url, media.attrs.type, media.attrs.medium)) return media.attrs.url;
    }
  }
  for (const group of groups) {
    const thumbnail = firstChild(group, [[NS.media, 'thumbnail']]);
    if (thumbnail?.attrs.url) return thumbnail.attrs.url;
  }
  return undefined;
}

function rssGuidLink(item: XmlElement): string | undefined {
  const guid = firstChild(item, [[NS.none, 'guid']]);
  if (!guid || guid.attrs.isPermaLink?.toLowerCase() === 'false') return undefined;
  const text = textOf(guid);
  return /^https?:\/\//i.test(text) ? text : undefined;
}

function rssItem(item: XmlElement): ItemFields {
  const itemNs = item.ns;
  const names = (local: string): Name[] => [[itemNs, local]];
  return {
    title: firstText(item, [...names('title'), ...RSS.title]) ?? '',
    link: firstText(item, [...names('link'), ...RSS.link]) ?? item.attrs['rdf:about'] ?? rssGuidLink(item),
    html: firstText(item, [...RSS.content.slice(0, 1), ...names('description'), ...RSS.content.slice(1)]) ?? '',
    published: firstText(item, RSS.published),
    image: upstreamImage(item),
  };
}

/**
 * Atom text constructs (RFC 4287 §3.1) as HTML: `html` as it is, `xhtml` serialised, `text`
 * escaped (in a paragraph for bodies). Out-of-line (`src`) and base64 content give nothing.
 */
function atomHtml(el: XmlElement | undefined, paragraph: boolean): string | undefined {
  if (!el || el.attrs.src !== undefined) return undefined;
  const type = (el.attrs.type ?? 'text').toLowerCase();
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

function atomLink(entry: XmlElement): string | undefined {
  const links = childElements(entry, [[NS.atom, 'link']]).filter((l) => l.attrs.href);
  const alternates = links.filter((l) => (l.attrs.rel ?? 'alternate') === 'alternate');
  const link = alternates.find((l) => (l.attrs.type ?? 'text/html').includes('html')) ?? alternates[0];
  if (link) return link.attrs.href;
  const id = textOf(firstChild(entry, [[NS.atom, 'id']]));
  return /^https?:\/\//i.test(id) ? id : undefined;
}

function atomEntry(entry: XmlElement): ItemFields {
  return {
    // Titles are HTML-ish from here on (normalisation reads them so): text titles come escaped.
    title: atomHtml(firstChild(entry, [[NS.atom, 'title']]), false) ?? '',
    link: atomLink(entry),
    html: atomHtml(firstChild(entry, [[NS.atom, 'content']]), true) || atomHtml(firstChild(entry, [[NS.atom, 'summary']]), true) || '',
    published: firstText(entry, [...ATOM.published, [NS.dc, 'date']]),
    image: upstreamImage(entry),
  };
}

interface Located {
  format: FeedFormat;
  title: string;
  /** Each item with the base its relative URLs resolve against. */
  items: { fields: ItemFields; base: string }[];
}

function locate(root: XmlElement, url: string): Located | undefined {
  const rootBase = withBase(root, url);
  if (root.ns === NS.none && root.local === 'rss') {
    const channel = firstChild(root, [[NS.none, 'channel']]);
    if (!channel) return { format: 'rss', title: '', items: [] };
    const base = withBase(channel, rootBase);
    return {
      format: 'rss',
      title: textOf(firstChild(channel, [[NS.none, 'title']])),
      items: childElements(channel, [[NS.none, 'item']]).map((item) => ({ fields: rssItem(item), base: withBase(item, base) })),
    };
  }
  if (root.ns === NS.rdf && root.local === 'RDF') {
    const channel = root.children.filter(isElement).find((c) => c.local === 'channel' && RDF_ITEM_NAMESPACES.includes(c.ns as never));
    return {
      format: 'rdf',
      title: channel ? textOf(firstChild(channel, [[channel.ns, 'title']])) : '',
      items: childElements(root, RDF_ITEM_NAMESPACES.map((ns) => [ns, 'item'] as const))
        .map((item) => ({ fields: rssItem(item), base: withBase(item, rootBase) })),
    };
  }
  if (root.ns === NS.atom && root.local === 'feed') {
    return {
      format: 'atom',
      title: textOf(firstChild(root, [[NS.atom, 'title']])),
      items: childElements(root, [[NS.atom, 'entry']]).map((entry) => {
        return { fields: atomEntry(entry), base: withBase(entry, rootBase) };
      }),
    };
  }
  return undefined;
}

/** Cuts a title to MAX_TITLE_CHARS code points, not inside a tag or an entity (titles are HTML-ish here). */
function boundedTitle(title: string): string {
  const chars = [...title];
  if (chars.length <= MAX_TITLE_CHARS) return title;
  const cut = chars.slice(0, MAX_TITLE_CHARS).join('').replace(/<[^>]*$/, '').replace(/&#?[A-Za-z0-9]*$/, '');
  return `${cut.trimEnd()}…`;
}

function toDraft(fields: ItemFields, base: string, ctx: FeedContext, position: number): ArticleDraft | string {
  if (fields.link === undefined) return 'no link';
  let url: string;
  try {
    url = parseHttpUrl(fields.link, base).href;
  } catch {
    return `link is not an http(s) URL: ${JSON.stringify(fields.link.slice(0, 120))}`;
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
  if (published !== undefined && published >= EARLIEST_PUBLISHED) draft.published = published;
  if (fields.image !== undefined) {
    try {
      draft.image = parseHttpUrl(fields.image, base).href;
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
  located.items.forEach(({ fields, base }, i) => {
    const draft = toDraft(fields, base, ctx, i + 1);
    if (typeof draft === 'string') parsed.skipped.push({ item: i + 1, reason: draft });
    else parsed.drafts.push(draft);
  });
  return parsed;
}
