import type { Article } from '../model.js';
import type { SourceInfo } from '../sources/registry.js';

/** Tag URIs (RFC 4151) for feed and entry ids: valid everywhere, stable across hosts. */
export const TAG_PREFIX = 'tag:feedrelay,2024:';

export function articleGuid(id: string): string {
  return `${TAG_PREFIX}${id}`;
}

export function feedGuid(key: string): string {
  return `${TAG_PREFIX}feed:${key}`;
}

/** RFC 5005 (Feed Paging and Archiving) history namespace, for `fh:archive`. */
export const HISTORY_NS = 'http://purl.org/syndication/history/1.0';

/** RFC 5005 links between pages of one feed; all absolute URLs. */
export interface PageLinks {
  first?: string;
  last?: string;
  next?: string;
  previous?: string;
  current?: string;
  prevArchive?: string;
  nextArchive?: string;
}

/** The page links of a view as `[rel, href]` pairs, in a fixed order. */
export function pageRelations(view: FeedView): [string, string][] {
  const links = view.pages ?? {};
  const rels: [string, string | undefined][] = [
    ['first', links.first], ['last', links.last], ['next', links.next], ['previous', links.previous],
    ['current', links.current], ['prev-archive', links.prevArchive], ['next-archive', links.nextArchive],
  ];
  return rels.filter((pair): pair is [string, string] => pair[1] !== undefined);
}

/** Another article of an item's story (issue #15), as feeds name it. */
export interface StoryLink {
  id: string;
  url: string;
  title: string;
  source: string;
}

/** An item's story: its id and the other members, oldest first (none when it is alone). */
export interface ItemStory {
  id: string;
  related: StoryLink[];
}

/** Where a story id is a category (Atom `scheme`, RSS `domain`): a tag URI of ours, as ids are. */
export const STORY_SCHEME = `${TAG_PREFIX}story`;

/**
 * An article as a document states it: its language may be a region's (zh-TW) once converted,
 * and it names its story where the store has one.
 */
export type FeedItem = Omit<Article, 'language'> & { language: string; story?: ItemStory };

/** Everything a renderer needs for one feed document; renderers read nothing else. */
export interface FeedView {
  /** Key of this feed in ids: `all`, `voa`, ... */
  key: string;
  title: string;
  description: string;
  homeUrl: string;
  /** The URL this document is served at, for self links. */
  selfUrl: string;
  /** The WebSub hub (W3C WebSub §4) announced for this feed, if any. */
  hub?: string;
  /** The feed-level language, where all its articles share one. */
  language?: string;
  /**
   * The last change to this document: the latest edit, publication or arrival among its items
   * (an article arriving with an older date still changes the feed), or PLAUSIBLE_FROM when empty.
   */
  updated: number;
  items: readonly FeedItem[];
  source: (id: string) => SourceInfo;
  pages?: PageLinks;
  /** A complete RFC 5005 archive page: its entries never change, so it carries `fh:archive`. */
  archive?: boolean;
  /** Minutes a reader may cache the feed (RSS ttl). */
  ttlMinutes?: number;
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif',
};

/** An image's media type from its extension; the proxy's `?url=host/x.jpg` counts too. */
export function imageType(url: string): string {
  const ext = /\.([a-z0-9]{3,4})(?:$|[?&#])/i.exec(url)?.[1]?.toLowerCase()
    ?? /\.([a-z0-9]{3,4})$/i.exec(decodeSafe(url))?.[1]?.toLowerCase();
  return (ext && IMAGE_TYPES[ext]) ?? 'image/jpeg';
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
