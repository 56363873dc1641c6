import { FeedParseError } from '../errors.js';
import type { ArticleDraft } from '../model.js';
import { atom } from './atom.js';
import { parseXml, withBase } from './feedXml.js';
import { toDraft, type FeedContext, type FeedFormat, type FeedReader } from './item.js';
import { rdf } from './rdf.js';
import { rss } from './rss.js';

export type { FeedContext, FeedFormat } from './item.js';

/** Upstream feeds → article drafts: the formats we read, one file each, tried in this order. */
const READERS: readonly FeedReader[] = [rss, rdf, atom];

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

/**
 * Reads an RSS 2.0, RSS 1.0 or Atom document into drafts. A document that is not well-formed or
 * not a feed throws FeedParseError; an unusable item is skipped with its reason.
 */
export function parseFeed(text: string, ctx: FeedContext): ParsedFeed {
  const root = parseXml(text, ctx.url);
  const reader = READERS.find((r) => r.accepts(root));
  if (!reader) {
    throw new FeedParseError(ctx.url, `not RSS 2.0, RSS 1.0 or Atom: the root element is <${root.local}>${root.ns ? ` in ${root.ns}` : ''}`);
  }
  const { title, items } = reader.read(root, withBase(root, ctx.url));
  const parsed: ParsedFeed = { format: reader.format, title, drafts: [], skipped: [] };
  items.forEach((fields, i) => {
    const draft = toDraft(fields, ctx, i + 1);
    if (typeof draft === 'string') parsed.skipped.push({ item: i + 1, reason: draft });
    else parsed.drafts.push(draft);
  });
  return parsed;
}
