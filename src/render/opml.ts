import { element, emptyElement } from './xml.js';

/** One feed stream (the merged one or an outlet's), as the index page and OPML list it. */
export interface FeedListing {
  key: string;
  title: string;
  description: string;
  homeUrl: string;
  language: string;
  /** Absolute URLs of its three documents. */
  urls: { rss: string; atom: string; json: string };
}

/** OPML groups, one per format, so an import can keep the format it wants and drop the others. */
const GROUPS: readonly { format: keyof FeedListing['urls']; text: string; version?: string }[] = [
  // OPML 2.0 §"subscription lists": version is "RSS2" for RSS 2.0; it names no value for Atom or JSON Feed.
  { format: 'rss', text: 'RSS 2.0', version: 'RSS2' },
  { format: 'atom', text: 'Atom 1.0' },
  { format: 'json', text: 'JSON Feed 1.1' },
];

export interface OpmlView {
  title: string;
  feeds: readonly FeedListing[];
}

/** OPML 2.0 (http://opml.org/spec2.opml) subscription list of every feed we publish. */
export function renderOpml(view: OpmlView): string {
  const outline = (feed: FeedListing, group: (typeof GROUPS)[number]): string => {
    const attrs: Record<string, string> = {
      type: 'rss',
      text: feed.title,
      title: feed.title,
      description: feed.description,
      xmlUrl: feed.urls[group.format],
      htmlUrl: feed.homeUrl,
      language: feed.language,
    };
    if (group.version) attrs.version = group.version;
    return `\n    ${emptyElement('outline', attrs)}`;
  };
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<opml version="2.0">\n',
    '  <head>',
    element('title', view.title),
    // OPML 2.0 allows <docs>, but the W3C validator's OPML rules predate it and warn.
    '</head>\n',
    '  <body>',
    ...GROUPS.map((group) => [
      // A folder: text only, since any other attribute asks for a type (the W3C validator's rule).
      `\n  <outline text="${group.text}">`,
      ...view.feeds.map((feed) => outline(feed, group)),
      '\n  </outline>',
    ].join('')),
    '\n  </body>\n</opml>\n',
  ].join('');
}
