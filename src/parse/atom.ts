import { escapeHtmlText } from '../shared/html.js';
import { titleText } from '../shared/title.js';
import { childElements, firstChild, firstText, innerHtml, isElement, NS, textOf, withBase, type XmlElement } from './feedXml.js';
import { reference, type FeedReader, type ItemFields, type Name, type Reference } from './item.js';
import { upstreamImage } from './media.js';

/** Atom 1.0 (RFC 4287), with Dublin Core dates where an entry has no Atom one. */

/** Where an entry says when it was published, in order. */
const PUBLISHED: readonly Name[] = [[NS.atom, 'published'], [NS.atom, 'updated'], [NS.dc, 'date'], [NS.dcterms, 'issued'], [NS.dcterms, 'modified']];

/** A text construct's type; absent or empty is `text`, as feedparser reads `type=""`. */
function constructType(el: XmlElement): string {
  return (el.attrs.type || 'text').trim().toLowerCase() || 'text';
}

/**
 * Atom text constructs (RFC 4287 §3.1) as HTML: `html` as it is, `xhtml` serialised, `text`
 * escaped (in a paragraph for bodies). Out-of-line (`src`) and base64 content give nothing.
 */
function constructHtml(el: XmlElement | undefined, paragraph: boolean): string | undefined {
  if (!el || el.attrs.src !== undefined) return undefined;
  const type = constructType(el);
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

/** An Atom title as plain text (RFC 4287 §3.1): `text` as written, `html` and `xhtml` with their markup read. */
function constructTitle(el: XmlElement | undefined): string {
  if (!el) return '';
  const type = constructType(el);
  if (type === 'html' || type === 'text/html') return titleText(textOf(el), 'html');
  if (type === 'xhtml') return titleText(constructHtml(el, false) ?? '', 'html');
  return titleText(textOf(el), 'text');
}

/** The alternate link, an HTML one first; else an id that is an http(s) URL. */
function entryLink(entry: XmlElement, base: string): Reference | undefined {
  const links = childElements(entry, [[NS.atom, 'link']]).filter((l) => l.attrs.href);
  const alternates = links.filter((l) => (l.attrs.rel ?? 'alternate') === 'alternate');
  const link = alternates.find((l) => (l.attrs.type ?? 'text/html').includes('html')) ?? alternates[0];
  if (link) return reference(link.attrs.href, link, base);
  const id = firstChild(entry, [[NS.atom, 'id']]);
  return id && /^https?:\/\//i.test(textOf(id)) ? { href: textOf(id), base: withBase(id, base) } : undefined;
}

function entry(el: XmlElement, base: string): ItemFields {
  return {
    title: constructTitle(firstChild(el, [[NS.atom, 'title']])),
    link: entryLink(el, base),
    html: constructHtml(firstChild(el, [[NS.atom, 'content']]), true) || constructHtml(firstChild(el, [[NS.atom, 'summary']]), true) || '',
    published: firstText(el, PUBLISHED),
    image: upstreamImage(el, base),
  };
}

export const atom: FeedReader = {
  format: 'atom',
  accepts: (root) => root.ns === NS.atom && root.local === 'feed',
  read: (root, base) => ({
    title: textOf(firstChild(root, [[NS.atom, 'title']])),
    items: childElements(root, [[NS.atom, 'entry']]).map((el) => entry(el, withBase(el, base))),
  }),
};
