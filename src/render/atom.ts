import type { Article } from '../model.js';
import { formatRfc3339 } from '../normalize/date.js';
import { articleGuid, pageRelations, feedGuid, imageType, type FeedView } from './feedView.js';
import { element, emptyElement, xmlAttr } from './xml.js';

function entry(article: Article, view: FeedView): string {
  const source = view.source(article.source);
  return [
    `<entry xml:lang="${xmlAttr(article.language)}">`,
    element('id', articleGuid(article.id)),
    element('title', article.title, { type: 'text' }),
    element('updated', formatRfc3339(Math.max(article.modified, article.published))),
    element('published', formatRfc3339(article.published)),
    `<author>${element('name', source.title)}${element('uri', source.url)}</author>`,
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: article.url }),
    article.image ? emptyElement('link', { rel: 'enclosure', type: imageType(article.image.url), href: article.image.url }) : '',
    emptyElement('category', { term: source.id, label: source.name }),
    article.summary ? element('summary', article.summary, { type: 'text' }) : '',
    element('content', article.contentHtml, { type: 'html' }),
    '</entry>',
  ].join('');
}

function pageLinks(view: FeedView): string {
  return pageRelations(view)
    .map(([rel, href]) => emptyElement('link', { rel, type: 'application/atom+xml', href }))
    .join('');
}

/** Atom 1.0 (RFC 4287), each entry carrying its own xml:lang. */
export function renderAtom(view: FeedView): string {
  const lang = view.language ? ` xml:lang="${xmlAttr(view.language)}"` : '';
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    `<feed xmlns="http://www.w3.org/2005/Atom"${lang}>`,
    element('id', feedGuid(view.key)),
    element('title', view.title, { type: 'text' }),
    element('subtitle', view.description, { type: 'text' }),
    element('updated', formatRfc3339(view.updated)),
    emptyElement('link', { rel: 'self', type: 'application/atom+xml', href: view.selfUrl }),
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: view.homeUrl }),
    pageLinks(view),
    element('generator', 'feedrelay'),
    ...view.items.map((a) => `\n${entry(a, view)}`),
    '\n</feed>\n',
  ].join('');
}
