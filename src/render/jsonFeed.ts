import type { Article } from '../model.js';
import { formatRfc3339 } from '../normalize/date.js';
import { articleGuid, type FeedView } from './feedView.js';
import { stripNonXmlChars } from './xml.js';

function item(article: Article, view: FeedView): Record<string, unknown> {
  const source = view.source(article.source);
  return {
    id: articleGuid(article.id),
    url: article.url,
    title: article.title,
    content_html: article.contentHtml,
    summary: article.summary || undefined,
    image: article.image?.url,
    date_published: formatRfc3339(article.published),
    date_modified: formatRfc3339(Math.max(article.modified, article.published)),
    language: article.language,
    authors: [{ name: source.title, url: source.url }],
    tags: [source.name],
  };
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1). */
export function renderJsonFeed(view: FeedView): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: view.title,
    home_page_url: view.homeUrl,
    feed_url: view.selfUrl,
    description: view.description,
    next_url: view.pages?.next ?? view.pages?.prevArchive,
    language: view.language,
    authors: [{ name: 'feedrelay' }],
    items: view.items.map((a) => item(a, view)),
  };
  // Control characters are legal escaped in JSON but no reader wants them; drop them as XML does.
  return `${JSON.stringify(feed, (_key, value: unknown) => (typeof value === 'string' ? stripNonXmlChars(value) : value), 2)}\n`;
}
