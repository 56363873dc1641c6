import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FeedParseError } from '../../src/errors.js';
import { decodeFeedBody } from '../../src/fetch/charset.js';
import { parseFeed, type FeedContext } from '../../src/parse/feed.js';
import { fixtureBytes, fixturePath } from '../support/paths.js';

const ARCHIVED = Date.UTC(2024, 9, 31, 12);

/** tests/fixtures/live/<name>.xml and <name>.expected.json: what each fixture feed parses to. */
const PAIRS = [
  { name: 'voa', shape: 'RSS 2.0 shaped like VOA\'s', url: 'https://www.voachinese.com/api/zm_yql-vomx-tpeybti', source: 'voa' },
  { name: 'rfi', shape: 'RSS 2.0 shaped like RFI\'s', url: 'https://www.rfi.fr/cn/rss', source: 'rfi' },
  { name: 'dw', shape: 'RSS 1.0 (RDF) shaped like DW\'s', url: 'https://rss.dw.com/rdf/rss-chi-all', source: 'dw' },
  { name: 'atom', shape: 'Atom 1.0', url: 'https://news.example.org/zh/atom.xml', source: 'example' },
  { name: 'gbk', shape: 'GBK, declared gb2312', url: 'https://gbk.example.cn/rss.xml', source: 'gbk', contentType: 'text/xml' },
  { name: 'big5', shape: 'Big5', url: 'https://big5.example.tw/rss.xml', source: 'big5', contentType: 'application/rss+xml;charset=big5' },
];

interface Expected {
  charset: string;
  format: string;
  title: string;
  skipped: unknown[];
  drafts: { url: string; title: string; html: string; image?: string; published?: string }[];
}

describe('parseFeed: fixture pairs', () => {
  it.each(PAIRS)('reads $shape', async ({ name, url, source, contentType }) => {
    const expected = JSON.parse(await readFile(fixturePath('live', `${name}.expected.json`), 'utf8')) as Expected;
    const decoded = decodeFeedBody(await fixtureBytes('live', `${name}.xml`), contentType);
    const parsed = parseFeed(decoded.text, { url, source, archived: ARCHIVED });
    expect(decoded.charset).toBe(expected.charset);
    expect({ format: parsed.format, title: parsed.title, skipped: parsed.skipped }).toEqual({
      format: expected.format, title: expected.title, skipped: expected.skipped,
    });
    expect(parsed.drafts.map(({ origin, archived, source: s, published, ...rest }) => ({
      ...rest,
      ...(published === undefined ? {} : { published: new Date(published).toISOString() }),
    }))).toEqual(expected.drafts);
    for (const [i, draft] of parsed.drafts.entries()) {
      expect(draft).toMatchObject({ source, archived: ARCHIVED, origin: `${url} item ${i + 1}` });
    }
  });
});

const CTX: FeedContext = { url: 'https://feeds.example.org/news/rss.xml', source: 'example', archived: ARCHIVED };

function rss(item: string, namespaces = ''): string {
  return `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"${namespaces}><channel><title>t</title><item>${item}</item></channel></rss>`;
}

function only(xml: string, ctx: FeedContext = CTX): ReturnType<typeof parseFeed>['drafts'][number] {
  const { drafts, skipped } = parseFeed(xml, ctx);
  expect(skipped).toEqual([]);
  expect(drafts).toHaveLength(1);
  return drafts[0]!;
}

describe('parseFeed: dates', () => {
  it.each([
    ['pubDate with a named zone', '<pubDate>Thu, 31 Oct 2024 09:00:00 EDT</pubDate>', '2024-10-31T13:00:00.000Z'],
    ['pubDate with a numeric zone', '<pubDate>Thu, 31 Oct 2024 09:00:00 +0800</pubDate>', '2024-10-31T01:00:00.000Z'],
    ['pubDate without the day name', '<pubDate>31 Oct 2024 09:00 GMT</pubDate>', '2024-10-31T09:00:00.000Z'],
    ['dc:date when there is no pubDate', '<dc:date>2024-10-31T09:00:00+02:00</dc:date>', '2024-10-31T07:00:00.000Z'],
    ['pubDate over dc:date', '<dc:date>2020-01-01T00:00:00Z</dc:date><pubDate>Thu, 31 Oct 2024 09:00:00 GMT</pubDate>', '2024-10-31T09:00:00.000Z'],
  ])('%s', (_name, fields, iso) => {
    const draft = only(rss(`<title>x</title><link>https://e.org/a</link>${fields}`));
    expect(new Date(draft.published!).toISOString()).toBe(iso);
  });

  it('leaves the date unset when it is unreadable, instead of guessing', () => {
    expect(only(rss('<title>x</title><link>https://e.org/a</link><pubDate>yesterday</pubDate>')).published).toBeUndefined();
  });

  it('reads Atom updated when there is no published', () => {
    const xml = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title><link href="https://e.org/a"/><updated>2024-10-31T09:00:00Z</updated></entry></feed>';
    expect(only(xml).published).toBe(Date.UTC(2024, 9, 31, 9));
  });
});

describe('parseFeed: content and title', () => {
  it.each([
    ['content:encoded over description', '<description>short</description><content:encoded>&lt;p&gt;full&lt;/p&gt;</content:encoded>', '<p>full</p>'],
    ['description when there is no content:encoded', '<description><![CDATA[<p>short</p>]]></description>', '<p>short</p>'],
    ['nothing when neither is there', '', ''],
  ])('%s', (_name, fields, html) => {
    expect(only(rss(`<title>x</title><link>https://e.org/a</link>${fields}`)).html).toBe(html);
  });

  it.each([
    ['text', '<title type="text">a &lt;b&gt; &amp; c</title>', 'a <b> & c'],
    ['html', '<title type="html">a &lt;b&gt;bold&lt;/b&gt;</title>', 'a bold'],
    ['xhtml', '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">a <b>bold</b></div></title>', 'a bold'],
  ])('an Atom %s title comes out as plain text', (_type, title, expected) => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><entry>${title}<link href="https://e.org/a"/></entry></feed>`;
    expect(only(xml).title).toBe(expected);
  });

  it('prefers Atom content to summary, and ignores out-of-line content', () => {
    const xml = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title><link href="https://e.org/a"/><summary>the summary</summary><content src="https://e.org/body.html"/></entry></feed>';
    expect(only(xml).html).toBe('<p>the summary</p>');
  });

  it('matches elements by namespace, not by prefix', () => {
    const xml = '<rss version="2.0" xmlns:c="http://purl.org/rss/1.0/modules/content/"><channel><item><title>x</title><link>https://e.org/a</link><c:encoded>&lt;p&gt;body&lt;/p&gt;</c:encoded></item></channel></rss>';
    expect(only(xml).html).toBe('<p>body</p>');
  });
});

describe('parseFeed: links', () => {
  it.each([
    ['a relative link against the feed URL', '<link>/a/1.html</link>', 'https://feeds.example.org/a/1.html'],
    ['a permalink guid when there is no link', '<guid>https://e.org/a/2.html</guid>', 'https://e.org/a/2.html'],
    ['a link with surrounding whitespace', '<link>\n  https://e.org/a/3.html \n</link>', 'https://e.org/a/3.html'],
  ])('%s', (_name, fields, url) => {
    expect(only(rss(`<title>x</title>${fields}`)).url).toBe(url);
  });

  it.each([
    ['no link at all', '<title>x</title>', 'no link'],
    ['a guid that is not a permalink', '<title>x</title><guid isPermaLink="false">https://e.org/a</guid>', 'no link'],
    ['a javascript: link', '<title>x</title><link>javascript:alert(1)</link>', 'link is not an http(s) URL: "javascript:alert(1)"'],
    ['an empty title', '<title> </title><link>https://e.org/a</link>', 'no title'],
  ])('skips an item with %s, saying why', (_name, item, reason) => {
    expect(parseFeed(rss(item), CTX)).toMatchObject({ drafts: [], skipped: [{ item: 1, reason }] });
  });

  it('resolves Atom links against xml:base', () => {
    const xml = '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://e.org/zh/"><entry xml:base="news/"><title>x</title><link rel="alternate" href="1.html"/><link rel="edit" href="/edit/1"/></entry></feed>';
    expect(only(xml).url).toBe('https://e.org/zh/news/1.html');
  });
});

describe('parseFeed: lead image', () => {
  it.each([
    ['an image enclosure', '<enclosure url="https://e.org/1.jpg" type="image/jpeg" length="0"/>', 'https://e.org/1.jpg'],
    ['media:content with medium image', '<media:content url="https://e.org/2.png" medium="image"/>', 'https://e.org/2.png'],
    ['media:content inside media:group', '<media:group><media:content url="https://e.org/3.webp" type="image/webp"/></media:group>', 'https://e.org/3.webp'],
    ['media:thumbnail when nothing better', '<media:thumbnail url="https://e.org/4.jpg"/>', 'https://e.org/4.jpg'],
    ['an image enclosure over media:content', '<media:content url="https://e.org/m.jpg" medium="image"/><enclosure url="https://e.org/e.jpg" type="image/jpeg"/>', 'https://e.org/e.jpg'],
  ])('from %s', (_name, fields, image) => {
    expect(only(rss(`<title>x</title><link>https://e.org/a</link>${fields}`)).image).toBe(image);
  });

  it.each([
    ['an audio enclosure', '<enclosure url="https://e.org/1.mp3" type="audio/mpeg" length="1"/>'],
    ['media:content that is a video', '<media:content url="https://e.org/v.mp4" medium="video"/>'],
  ])('not from %s', (_name, fields) => {
    expect(only(rss(`<title>x</title><link>https://e.org/a</link>${fields}`)).image).toBeUndefined();
  });
});

describe('parseFeed: documents that are not feeds', () => {
  it.each([
    ['malformed XML', '<rss version="2.0"><channel><item><title>x</title></channel></rss>', /not well-formed XML at line 1/],
    ['a bare ampersand', '<rss version="2.0"><channel><title>a & b</title></channel></rss>', /not well-formed XML/],
    ['an HTML page', '<html><body><p>hello</p></body></html>', /not RSS 2.0, RSS 1.0 or Atom: the root element is <html>/],
    ['an empty body', '', /not well-formed XML/],
    ['entity declarations', '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0"><channel/></rss>', /DOCTYPE declares entities/],
  ])('%s throws FeedParseError naming the feed', (_name, xml, message) => {
    let error: unknown;
    try {
      parseFeed(xml, CTX);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FeedParseError);
    expect((error as FeedParseError).message).toMatch(message);
    expect((error as FeedParseError).message.startsWith(`${CTX.url}: `)).toBe(true);
  });

  it('reads a feed with no items as an empty feed', () => {
    expect(parseFeed('<rss version="2.0"><channel><title>t</title></channel></rss>', CTX)).toMatchObject({ format: 'rss', drafts: [], skipped: [] });
  });
});
