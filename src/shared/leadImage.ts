import { decodeHTMLAttribute } from 'entities';

/**
 * The rule for an image outside the body: an image an article names beside its HTML (an RSS
 * enclosure or Media RSS image, a page's og:image, the stored article's `image`) is shown before
 * the body unless the body already shows it. Normalisation puts an upstream's image into the
 * stored body by it; the article page shows the stored lead image by it.
 *
 * What counts as "already shows it" differs by what is known. Upstream, before cleaning, any
 * image counts: a feed's enclosure is often a resized copy of the body's first picture under
 * another URL (`_w800` beside `_w1080`), and showing both would show it twice. A stored lead
 * image is the first image of its cleaned body, so there only that URL counts: the sanitiser
 * may have dropped it while keeping the others.
 */

/** An `<img>` start tag, however its attributes are written. */
const ANY_IMAGE = /<img\b/i;
/** An image's `src` as our serialiser and the sanitiser write it: double-quoted, `&` as `&amp;`. */
const IMAGE_SRC = /<img\b[^>]*?\ssrc="([^"]*)"/g;

function shownImages(html: string): Set<string> {
  const urls = new Set<string>();
  for (const match of html.matchAll(IMAGE_SRC)) urls.add(decodeHTMLAttribute(match[1]!));
  return urls;
}

/** Whether `html` already shows the image: `url` itself where given, else any image at all. */
export function bodyShowsImage(html: string, url?: string): boolean {
  return url === undefined ? ANY_IMAGE.test(html) : shownImages(html).has(url);
}
