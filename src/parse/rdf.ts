import { childElements, firstChild, isElement, NS, textOf, withBase } from './feedXml.js';
import type { FeedReader } from './item.js';
import { rssItem } from './rss.js';

/**
 * RSS 1.0 (https://web.resource.org/rss/1.0/spec) and Netscape's RSS 0.90: an RDF document whose
 * items stand beside the channel, not in it. An item reads as RSS 2.0's does (rss.ts), its
 * `rdf:about` the link where it has none.
 */

/** RSS 1.0 and 0.90 items live in their own namespace (or none, in sloppy feeds). */
const RDF_ITEM_NAMESPACES: readonly string[] = [NS.rss1, NS.rss090, NS.none];

export const rdf: FeedReader = {
  format: 'rdf',
  accepts: (root) => root.ns === NS.rdf && root.local === 'RDF',
  read(root, base) {
    const channel = root.children.filter(isElement).find((c) => c.local === 'channel' && RDF_ITEM_NAMESPACES.includes(c.ns));
    return {
      title: channel ? textOf(firstChild(channel, [[channel.ns, 'title']])) : '',
      items: childElements(root, RDF_ITEM_NAMESPACES.map((ns) => [ns, 'item'] as const)).map((item) => rssItem(item, withBase(item, base))),
    };
  },
};
