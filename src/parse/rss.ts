import { titleText } from '../shared/title.js';
import { childElements, firstChild, firstText, NS, textOf, withBase, type XmlElement } from './feedXml.js';
import { own, textReference, type FeedReader, type ItemFields, type Name, type Reference } from './item.js';
import { upstreamImage } from './media.js';

/**
 * RSS 2.0 (and 0.9x) per the RSS Advisory Board's spec (https://www.rssboard.org/rss-specification),
 * with the content and Dublin Core modules. Its items are RSS 1.0's too (rdf.ts).
 */

/** RSS 2.0's root: unnamespaced, or in a namespace Userland once gave it. */
const RSS2_NAMESPACES: readonly string[] = [NS.none, NS.userlandRss2, NS.userlandRss];

/**
 * Fields from modules, after the item's own elements (which are in the item's namespace: none
 * for RSS 2.0, Userland's for its namespaced RSS 2.0, RSS 1.0's for RDF). Dublin Core Terms'
 * `issued` and `modified` date an item only where nothing else does.
 */
const MODULES = {
  title: [[NS.dc, 'title']],
  published: [[NS.dc, 'date'], [NS.atom, 'published'], [NS.atom, 'updated'], [NS.dcterms, 'issued'], [NS.dcterms, 'modified']],
} satisfies Record<string, readonly Name[]>;

function guidLink(item: XmlElement, base: string): Reference | undefined {
  const guid = firstChild(item, own(item, 'guid'));
  if (!guid || guid.attrs.isPermaLink?.toLowerCase() === 'false') return undefined;
  const text = textOf(guid);
  return /^https?:\/\//i.test(text) ? { href: text, base: withBase(guid, base) } : undefined;
}

/** An RSS 2.0 or RSS 1.0 item; where it says something twice, the fields are tried in order. */
export function rssItem(item: XmlElement, base: string): ItemFields {
  const about = item.attrs['rdf:about'];
  return {
    title: titleText(firstText(item, [...own(item, 'title'), ...MODULES.title]) ?? '', 'guess'),
    link: textReference(item, own(item, 'link'), base) ?? (about ? { href: about, base } : undefined) ?? guidLink(item, base),
    html: firstText(item, [[NS.content, 'encoded'], ...own(item, 'description')]) ?? '',
    published: firstText(item, [...own(item, 'pubDate'), ...MODULES.published]),
    image: upstreamImage(item, base),
  };
}

export const rss: FeedReader = {
  format: 'rss',
  accepts: (root) => RSS2_NAMESPACES.includes(root.ns) && root.local === 'rss',
  read(root, rootBase) {
    const channel = firstChild(root, own(root, 'channel'));
    if (!channel) return { title: '', items: [] };
    const base = withBase(channel, rootBase);
    return {
      title: textOf(firstChild(channel, own(channel, 'title'))),
      items: childElements(channel, own(channel, 'item')).map((item) => rssItem(item, withBase(item, base))),
    };
  },
};
