import { formatRfc822 } from '../shared/date.js';
import { articleGuid, pageRelations, imageType, HISTORY_NS, STORY_SCHEME, type FeedItem, type FeedView } from './feedView.js';
import { PLAUSIBLE_FROM } from './time.js';
import { element, emptyElement, rssHtmlTextElement, rssTextElement as text, serializedUrl } from './xml.js';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
};

function item(article: FeedItem, view: FeedView): string {
  const source = view.source(article.source);
  return [
    '<item>',
    text('title', article.title),
    element('link', serializedUrl(article.url)),
    element('guid', articleGuid(article.id), { isPermaLink: 'false' }),
    element('pubDate', formatRfc822(article.published)),
    // The validator wants a description before content:encoded; the title stands in for a missing summary.
    rssHtmlTextElement('description', article.summary || article.title),
    element('content:encoded', article.contentHtml),
    // RSS 2.0 requires length; the image's size is unknown without fetching it, and 0 says so.
    article.image ? emptyElement('enclosure', { url: serializedUrl(article.image.url), length: '0', type: imageType(article.image.url) }) : '',
    text('category', source.name),
    // The story (issue #15) as RSS can say it: a category in our scheme, and each sibling as an
    // Atom related link, the namespace the channel already uses for its self link.
    article.story ? text('category', article.story.id, { domain: STORY_SCHEME }) : '',
    ...(article.story?.related ?? []).map((r) => emptyElement('atom:link', { rel: 'related', type: 'text/html', href: serializedUrl(r.url), title: r.title })),
    // The byline where the article names one, then the outlet (RSS's own `author` wants an email).
    article.author ? text('dc:creator', article.author) : '',
    text('dc:creator', source.title),
    // RSS 2.0 has no language per item; Dublin Core's says what each one is written in.
    element('dc:language', article.language),
    source.feedUrl ? text('source', source.title, { url: serializedUrl(source.feedUrl) }) : '',
    '</item>',
  ].join('');
}

function pageLinks(view: FeedView): string {
  return pageRelations(view)
    .map(([rel, href]) => emptyElement('atom:link', { rel, href }))
    .join('');
}

/**
 * RSS 2.0 with content:encoded, Dublin Core creator, an Atom self link and RFC 5005 paging links
 * (as atom:link elements, the way RSS carries them); a complete archive page is marked `fh:archive`.
 */
export function renderRss(view: FeedView): string {
  const updated = view.updated > PLAUSIBLE_FROM ? element('lastBuildDate', formatRfc822(view.updated)) : '';
  const namespaces = view.archive ? { ...NAMESPACES, 'xmlns:fh': HISTORY_NS } : NAMESPACES;
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    `<rss version="2.0"${Object.entries(namespaces).map(([k, v]) => ` ${k}="${v}"`).join('')}>`,
    '<channel>',
    text('title', view.title),
    element('link', serializedUrl(view.homeUrl)),
    rssHtmlTextElement('description', view.description),
    emptyElement('atom:link', { href: view.selfUrl, rel: 'self', type: 'application/rss+xml' }),
    view.hub ? emptyElement('atom:link', { href: view.hub, rel: 'hub' }) : '',
    pageLinks(view),
    view.archive ? '<fh:archive/>' : '',
    view.language ? element('language', view.language) : '',
    updated,
    element('generator', 'feedrelay'),
    element('docs', 'https://www.rssboard.org/rss-specification'),
    view.ttlMinutes ? element('ttl', String(view.ttlMinutes)) : '',
    ...view.items.map((a) => `\n${item(a, view)}`),
    '\n</channel>\n</rss>\n',
  ].join('');
}
