import { formatRfc3339 } from '../shared/date.js';
import { articleGuid, pageRelations, feedGuid, imageType, HISTORY_NS, STORY_SCHEME, type FeedItem, type FeedView } from './feedView.js';
import { entryUpdated } from './time.js';
import { atomTextElement as text, element, emptyElement, serializedUrl, xmlAttr } from './xml.js';

function entry(article: FeedItem, view: FeedView): string {
  const source = view.source(article.source);
  return [
    `<entry xml:lang="${xmlAttr(article.language)}">`,
    element('id', articleGuid(article.id)),
    text('title', article.title),
    element('updated', formatRfc3339(entryUpdated(article))),
    element('published', formatRfc3339(article.published)),
    // The byline where the article names one, then the outlet, which readers showed before.
    article.author ? `<author>${element('name', article.author)}</author>` : '',
    `<author>${element('name', source.title)}${element('uri', serializedUrl(source.url))}</author>`,
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: serializedUrl(article.url) }),
    article.image ? emptyElement('link', { rel: 'enclosure', type: imageType(article.image.url), href: serializedUrl(article.image.url) }) : '',
    emptyElement('category', { term: source.id, label: source.name }),
    // The story (issue #15): its id as a category, each other outlet's report as a related link.
    article.story ? emptyElement('category', { scheme: STORY_SCHEME, term: article.story.id }) : '',
    ...(article.story?.related ?? []).map((r) => emptyElement('link', { rel: 'related', type: 'text/html', href: serializedUrl(r.url), title: r.title })),
    // An entry with no text at all gets its title as summary, as RSS's description does: the W3C
    // validator warns of blank content, and of an entry with neither content nor summary.
    text('summary', article.summary || (article.contentHtml ? undefined : article.title)),
    article.contentHtml ? element('content', article.contentHtml, { type: 'html' }) : '',
    '</entry>',
  ].join('');
}

function pageLinks(view: FeedView): string {
  return pageRelations(view)
    .map(([rel, href]) => emptyElement('link', { rel, type: 'application/atom+xml', href }))
    .join('');
}

/** Atom 1.0 (RFC 4287), each entry carrying its own xml:lang; RFC 5005 paging links and `fh:archive`. */
export function renderAtom(view: FeedView): string {
  const lang = view.language ? ` xml:lang="${xmlAttr(view.language)}"` : '';
  const history = view.archive ? ` xmlns:fh="${HISTORY_NS}"` : '';
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    `<feed xmlns="http://www.w3.org/2005/Atom"${history}${lang}>`,
    element('id', feedGuid(view.key)),
    text('title', view.title),
    text('subtitle', view.description),
    element('updated', formatRfc3339(view.updated)),
    emptyElement('link', { rel: 'self', type: 'application/atom+xml', href: view.selfUrl }),
    view.hub ? emptyElement('link', { rel: 'hub', href: view.hub }) : '',
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: serializedUrl(view.homeUrl) }),
    pageLinks(view),
    // Extension elements must precede the entries (RFC 4287 §4.1.1's grammar).
    view.archive ? '<fh:archive/>' : '',
    element('generator', 'feedrelay'),
    ...view.items.map((a) => `\n${entry(a, view)}`),
    '\n</feed>\n',
  ].join('');
}
