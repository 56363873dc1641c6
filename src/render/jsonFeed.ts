import { formatRfc3339 } from '../shared/date.js';
import { articleGuid, type FeedItem, type FeedView } from './feedView.js';
import { entryUpdated } from './time.js';
import { serializedUrl, stripNonXmlChars } from './xml.js';

function item(article: FeedItem, view: FeedView): Record<string, unknown> {
  const source = view.source(article.source);
  return {
    id: articleGuid(article.id),
    url: serializedUrl(article.url),
    title: article.title,
    content_html: article.contentHtml,
    summary: article.summary || undefined,
    image: article.image ? serializedUrl(article.image.url) : undefined,
    date_published: formatRfc3339(article.published),
    date_modified: formatRfc3339(entryUpdated(article)),
    language: article.language,
    // The byline where the article names one, then the outlet.
    authors: [...(article.author ? [{ name: article.author }] : []), { name: source.title, url: serializedUrl(source.url) }],
    tags: [source.name],
    // Our extension (JSON Feed 1.1 §"Extensions": a key starting with an underscore): the story
    // and its other members, which readers of one outlet's feed cannot otherwise see.
    _feedrelay: article.story
      ? { story: article.story.id, related: article.story.related.map((r) => ({ id: r.id, url: serializedUrl(r.url), title: r.title, source: r.source })) }
      : undefined,
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
    // JSON Feed 1.1 pagination: next_url leads to older items, as prev-archive does in RFC 5005.
    next_url: view.pages?.next ?? view.pages?.prevArchive,
    language: view.language,
    hubs: view.hub ? [{ type: 'WebSub', url: view.hub }] : undefined,
    authors: [{ name: 'feedrelay' }],
    items: view.items.map((a) => item(a, view)),
  };
  // Control characters are legal escaped in JSON but no reader wants them; drop them as XML does.
  return `${JSON.stringify(feed, (_key, value: unknown) => (typeof value === 'string' ? stripNonXmlChars(value) : value), 2)}\n`;
}
