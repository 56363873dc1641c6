import type { ArticleDraft } from '../model.js';
import { parseDate, PLAUSIBLE_FROM } from '../shared/date.js';
import { parseHttpUrl } from '../shared/url.js';
import { childElements, NS, textOf, withBase, type XmlElement } from './feedXml.js';

/**
 * One item, whatever its format: what the format readers (rss.ts, rdf.ts, atom.ts) find in it,
 * and the draft it makes or the reason it makes none.
 */

/**
 * Longest title kept, in characters. Headlines run to a few dozen characters (the longest seed's
 * is 40); Google News shows about 110 and feed readers a line or two. Anything far longer is an
 * upstream mistake or an attack, and every feed document repeats the title, so it is cut here
 * with an ellipsis rather than republished a megabyte at a time.
 */
export const MAX_TITLE_CHARS = 500;

export type FeedFormat = 'rss' | 'rdf' | 'atom';

/** An element name: namespace URI and local name. */
export type Name = readonly [ns: string, local: string];

export interface FeedContext {
  /** The URL the feed was finally fetched from: relative links resolve against it. */
  url: string;
  /** Source id from `feeds/`: every draft is that outlet's. */
  source: string;
  /** When we fetched it: each draft's archived time. */
  archived: number;
}

/** A URL as written, with the base it resolves against (its element's xml:base chain). */
export interface Reference {
  href: string;
  base: string;
}

/** What one item says, before we decide whether it is usable. */
export interface ItemFields {
  /** Plain text. */
  title: string;
  link: Reference | undefined;
  html: string;
  published: string | undefined;
  image: Reference | undefined;
}

/** One format: whether a document's root is its own, and what the document holds. */
export interface FeedReader {
  format: FeedFormat;
  accepts(root: XmlElement): boolean;
  /** `base` is the root's xml:base resolved against the feed's URL. */
  read(root: XmlElement, base: string): { title: string; items: ItemFields[] };
}

export function reference(href: string | undefined, el: XmlElement, base: string): Reference | undefined {
  return href === undefined ? undefined : { href, base: withBase(el, base) };
}

/** The first of `names` with text, as a reference against its own xml:base. */
export function textReference(item: XmlElement, names: readonly Name[], base: string): Reference | undefined {
  for (const el of childElements(item, names)) {
    const text = textOf(el);
    if (text !== '') return { href: text, base: withBase(el, base) };
  }
  return undefined;
}

/** The item's own element names: in its namespace, and unnamespaced as sloppy feeds write them. */
export function own(item: XmlElement, local: string): Name[] {
  return item.ns === NS.none ? [[NS.none, local]] : [[item.ns, local], [NS.none, local]];
}

/** Cuts a title to MAX_TITLE_CHARS code points. */
function boundedTitle(title: string): string {
  const chars = [...title];
  if (chars.length <= MAX_TITLE_CHARS) return title;
  return `${chars.slice(0, MAX_TITLE_CHARS).join('').trimEnd()}…`;
}

/** The item's draft, or why it has none. `position` is 1-based. */
export function toDraft(fields: ItemFields, ctx: FeedContext, position: number): ArticleDraft | string {
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
  // An earlier date is an upstream error: the item is dated as one without a date is (its
  // archived time). Dates later than the fetch are clamped by normalisation.
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
