import type { Article } from '../model.js';
import { formatRfc822 } from '../normalize/date.js';
import { articleGuid, pageRelations, imageType, type FeedView } from './feedView.js';
import { element, emptyElement } from './xml.js';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
};

function item(article: Article, view: FeedView): string {
  const source = view.source(article.source);
  return [
    '<item>',
    element('title', article.title),
    element('link', article.url),
    element('guid', articleGuid(article.id), { isPermaLink: 'false' }),
    element('pubDate', formatRfc822(article.published)),
    element('description', article.summary || undefined),
    element('content:encoded', article.contentHtml),
    // RSS 2.0 requires length; the image's size is unknown without fetching it, and 0 says so.
    article.image ? emptyElement('enclosure', { url: article.image.url, length: '0', type: imageType(article.image.url) }) : '',
    element('category', source.name),
    element('dc:creator', source.title),
    source.feedUrl ? element('source', source.title, { url: source.feedUrl }) : '',
    '</item>',
  ].join('');
}

function pageLinks(view: FeedView): string {
  return pageRelations(view)
    .map(([rel, href]) => emptyElement('atom:link', { rel, href }))
    .join('');
}

/** RSS 2.0 with content:encoded, Dublin Core creator and an Atom self link. */
export function renderRss(view: FeedView): string {
  const updated = view.updated > 0 ? element('lastBuildDate', formatRfc822(view.updated)) : '';
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    `<rss version="2.0"${Object.entries(NAMESPACES).map(([k, v]) => ` ${k}="${v}"`).join('')}>`,
    '<channel>',
    element('title', view.title),
    element('link', view.homeUrl),
    element('description', view.description),
    emptyElement('atom:link', { href: view.selfUrl, rel: 'self', type: 'application/rss+xml' }),
    pageLinks(view),
    view.language ? element('language', view.language) : '',
    updated,
    element('generator', 'feedrelay'),
    element('docs', 'https://www.rssboard.org/rss-specification'),
    view.ttlMinutes ? element('ttl', String(view.ttlMinutes)) : '',
    ...view.items.map((a) => `\n${item(a, view)}`),
    '\n</channel>\n</rss>\n',
  ].join('');
}
