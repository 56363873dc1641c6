import { childElements, firstChild, NS, withBase, type XmlElement } from './feedXml.js';
import { own, reference, type Reference } from './item.js';

/**
 * The lead image an item names outside its body, in any format: an RSS enclosure, an Atom
 * enclosure link, then Media RSS (https://www.rssboard.org/media-rss) content or thumbnail, on
 * the item or in a `media:group`. Normalisation puts it into the body where the body shows none
 * (shared/leadImage.ts).
 */

/** File endings that name an image where nothing says the type. */
const IMAGE_FILE = /\.(jpe?g|png|gif|webp|avif)(?:$|[?#])/i;

function isImage(url: string | undefined, type: string | undefined, medium?: string): boolean {
  if (!url) return false;
  if (medium) return medium === 'image';
  if (type) return type.toLowerCase().startsWith('image/');
  return IMAGE_FILE.test(url);
}

export function upstreamImage(item: XmlElement, base: string): Reference | undefined {
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
