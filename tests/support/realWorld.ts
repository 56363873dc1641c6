import { silentLog } from '../../src/log.js';
import { decodeFeedBody } from '../../src/fetch/charset.js';
import type { Article, Language } from '../../src/model.js';
import { normalizeArticle } from '../../src/normalize/article.js';
import { parseFeed } from '../../src/parse/feed.js';
import type { SourceDefinition } from '../../src/sources/definitions.js';
import { fixtureBytes, fixtureText } from './paths.js';

/**
 * Issue #13's fixture pairs: tests/fixtures/realWorld/<name> (a feed as an outlet serves it) and
 * <name>.expected.json (the articles it becomes). The table says how each is served, headers
 * included, so the parser tests and the live refresh over 127.0.0.1 read the same bytes the same way.
 */

/** Every fixture article is archived (fetched) at this instant, in both paths. */
export const FETCHED_AT = Date.UTC(2024, 10, 8, 0, 0, 0);

export interface FeedFixture {
  /** Issue #13's point it shows. */
  point: string;
  file: string;
  /** The source it is defined as; its feed is served at /<file>. */
  source: string;
  /** What the outlet's server sends with it. */
  headers: Record<string, string>;
  language?: Language;
}

export const FEED_FIXTURES: readonly FeedFixture[] = [
  // A WordPress site behind PHP: blank lines before the declaration, which alone names GBK.
  { point: '1. blank lines before the XML declaration', file: 'php-blank-lines.xml', source: 'php', headers: { 'Content-Type': 'text/xml' } },
  { point: '2. RSS titles are text unless they carry markup', file: 'titles.xml', source: 'titles', headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' } },
  { point: '3. xml:base on the link element itself', file: 'xml-base.xml', source: 'xmlbase', headers: { 'Content-Type': 'application/atom+xml' } },
  { point: '4. dates real feeds write', file: 'dates.xml', source: 'dates', headers: { 'Content-Type': 'application/rss+xml; charset=UTF-8' } },
  { point: '5. UTF-16BE without a byte order mark', file: 'utf16be-no-bom.xml', source: 'utf16be', headers: { 'Content-Type': 'application/xml' } },
  // The header names no charset, so only the bytes can tell.
  { point: '5. UTF-16LE without a byte order mark', file: 'utf16le-no-bom.xml', source: 'utf16le', headers: { 'Content-Type': 'application/rss+xml' } },
  { point: "5. charset='gbk' in single quotes", file: 'quoted-charset.xml', source: 'quoted', headers: { 'Content-Type': "text/xml; charset='gbk'" } },
  { point: '6. RSS 2.0 in the Userland namespace', file: 'userland.xml', source: 'userland', headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' } },
  { point: '6. Atom type=""', file: 'atom-empty-type.xml', source: 'emptytype', headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' } },
  // DW's RDF feed: Simplified and Traditional items under one zh-Hans definition, lazy images, an item years old.
  { point: '7. a DW-shaped feed', file: 'dw-mixed.xml', source: 'dw', headers: { 'Content-Type': 'application/rdf+xml; charset=UTF-8' } },
];

/** What one article must be, as tests/fixtures/realWorld/<name>.expected.json writes it. */
export interface ExpectedArticle {
  url: string;
  title: string;
  published: string;
  language: Language;
  image?: string;
  author?: string;
  contentHtml: string;
}

export interface ExpectedFeed {
  charset: string;
  articles: ExpectedArticle[];
}

export async function expectedFeed(file: string): Promise<ExpectedFeed> {
  return JSON.parse(await fixtureText('realWorld', `${file.replace(/\.\w+$/, '')}.expected.json`)) as ExpectedFeed;
}

/** The fields an expected article names, from a stored article. */
export function articleFields(article: Article): ExpectedArticle {
  const fields: ExpectedArticle = {
    url: article.url,
    title: article.title,
    published: new Date(article.published).toISOString(),
    language: article.language,
    contentHtml: article.contentHtml,
  };
  if (article.image) fields.image = article.image.url;
  if (article.author) fields.author = article.author;
  return fields;
}

export function definition(fixture: FeedFixture, feedUrl: string): SourceDefinition {
  return {
    id: fixture.source, name: fixture.source.toUpperCase(), title: fixture.source, url: `https://${fixture.source}.example.org/`,
    feeds: [feedUrl], language: fixture.language ?? 'zh-Hans', fullText: false,
  };
}

/** The parser path: the bytes decoded as served, parsed and normalised as a refresh would. */
export async function parseFixture(fixture: FeedFixture): Promise<{ charset: string; articles: Article[] }> {
  const url = `https://${fixture.source}.example.org/${fixture.file}`;
  const decoded = decodeFeedBody(await fixtureBytes('realWorld', fixture.file), fixture.headers['Content-Type']);
  const feed = parseFeed(decoded.text, { url, source: fixture.source, archived: FETCHED_AT });
  // As a live refresh hands each draft on: its source and the source's script said (src/refresh/liveRefresh.ts).
  const { language } = definition(fixture, url);
  return { charset: decoded.charset, articles: feed.drafts.map((draft) => normalizeArticle({ ...draft, source: fixture.source, language }, silentLog)) };
}

/**
 * DW full text (point 7): a feed whose items link to pages on the same host, and the pages as
 * DW serves them. One page has no `article .rich-text` at all; the other has one holding only a
 * line shorter than the feed's summary. Expected: tests/fixtures/realWorld/dw-fulltext.expected.json,
 * whose URLs are paths on the host that serves the feed.
 */
export const FULLTEXT_FIXTURE = {
  feed: 'dw-fulltext.xml',
  source: 'dw',
  feedHeaders: { 'Content-Type': 'application/rdf+xml; charset=UTF-8' },
  pageHeaders: { 'Content-Type': 'text/html; charset=UTF-8', 'Cache-Control': 'max-age=60' },
  pages: {
    '/zh/德国外长贝尔伯克呼吁中国向俄罗斯施压/a-70800001': 'dw-page-redesign.html',
    '/zh/德国经济研究所下调增长预期/a-70800101': 'dw-page-teaser.html',
  } as Record<string, string>,
} as const;

/** An expected article's URL on the host `origin` (full-text fixtures name paths). */
export function onHost(expected: ExpectedArticle, origin: string): ExpectedArticle {
  return { ...expected, url: new URL(expected.url, origin).href };
}
