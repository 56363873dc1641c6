import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/parse/feed.js';

/** Issue #13, points 3, 4 and 6: xml:base, dcterms dates, Userland's RSS namespace, Atom type="". */

const CTX = { url: 'https://feeds.example.org/zh/atom.xml', source: 'e', archived: Date.UTC(2024, 10, 8) };

function atomEntry(entry: string, feedAttrs = ''): ReturnType<typeof parseFeed> {
  return parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"${feedAttrs}><title>t</title><entry>${entry}</entry></feed>`, CTX);
}

describe('3. xml:base, every ancestor\'s and the element\'s own, innermost last', () => {
  it.each([
    ['on the link itself', '', '', '<link xml:base="http://example.org/base/" href="rel"/>', 'http://example.org/base/rel'],
    ['relative, on the link, against the entry\'s', '', ' xml:base="2024/"', '<link xml:base="sub/" href="a.html"/>', 'https://feeds.example.org/zh/2024/sub/a.html'],
    ['on the feed, entry and link', ' xml:base="https://news.example.org/zh/"', ' xml:base="2024/"', '<link xml:base="../media/" href="a.html"/>', 'https://news.example.org/zh/media/a.html'],
    ['an absolute href ignores every base', ' xml:base="https://news.example.org/"', '', '<link xml:base="sub/" href="https://other.example.org/a"/>', 'https://other.example.org/a'],
    ['none: the feed\'s own URL', '', '', '<link href="a.html"/>', 'https://feeds.example.org/zh/a.html'],
  ])('%s', (_name, feedAttrs, entryAttrs, link, url) => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"${feedAttrs}><title>t</title><entry${entryAttrs}><title>x</title>${link}</entry></feed>`;
    expect(parseFeed(xml, CTX).drafts[0]!.url).toBe(url);
  });

  it('applies to an RSS link and enclosure too', () => {
    const xml = '<rss version="2.0"><channel xml:base="https://news.example.org/"><item><title>x</title>'
      + '<link xml:base="zh/">a.html</link><enclosure xml:base="/img/" url="p.jpg" type="image/jpeg" length="0"/></item></channel></rss>';
    expect(parseFeed(xml, CTX).drafts[0]).toMatchObject({ url: 'https://news.example.org/zh/a.html', image: 'https://news.example.org/img/p.jpg' });
  });
});

describe('4. Dublin Core Terms dates are fallbacks', () => {
  const rss = (fields: string): number | undefined => parseFeed(
    `<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel><item><title>x</title><link>https://e.org/a</link>${fields}</item></channel></rss>`,
    CTX,
  ).drafts[0]!.published;

  it.each([
    ['dcterms:issued alone', '<dcterms:issued>2024-11-07T10:00:00Z</dcterms:issued>', Date.UTC(2024, 10, 7, 10)],
    ['dcterms:modified alone', '<dcterms:modified>2024-11-07T11:00:00Z</dcterms:modified>', Date.UTC(2024, 10, 7, 11)],
    ['issued before modified', '<dcterms:modified>2024-11-07T11:00:00Z</dcterms:modified><dcterms:issued>2024-11-07T10:00:00Z</dcterms:issued>', Date.UTC(2024, 10, 7, 10)],
    ['pubDate before either', '<dcterms:issued>2024-11-07T10:00:00Z</dcterms:issued><pubDate>Thu, 07 Nov 2024 09:00:00 GMT</pubDate>', Date.UTC(2024, 10, 7, 9)],
  ])('%s', (_name, fields, published) => {
    expect(rss(fields)).toBe(published);
  });

  it('in Atom, after published and updated', () => {
    const entry = (dates: string): number | undefined =>
      atomEntry(`<title>x</title><link href="https://e.org/a"/>${dates}`, ' xmlns:dcterms="http://purl.org/dc/terms/"').drafts[0]!.published;
    expect(entry('<dcterms:issued>2024-11-07T10:00:00Z</dcterms:issued>')).toBe(Date.UTC(2024, 10, 7, 10));
    expect(entry('<dcterms:issued>2024-11-07T10:00:00Z</dcterms:issued><updated>2024-11-07T12:00:00Z</updated>')).toBe(Date.UTC(2024, 10, 7, 12));
  });
});

describe('6. RSS 2.0 in a Userland namespace', () => {
  it.each(['http://backend.userland.com/rss2', 'http://backend.userland.com/rss'])('%s reads like plain RSS 2.0', (ns) => {
    const xml = `<rss version="2.0" xmlns="${ns}"><channel><title>频道</title><item><title>标题</title><link>https://e.org/a</link>`
      + '<pubDate>Thu, 07 Nov 2024 10:00:00 GMT</pubDate><description>正文</description></item></channel></rss>';
    expect(parseFeed(xml, CTX)).toMatchObject({
      format: 'rss', title: '频道', skipped: [],
      drafts: [{ url: 'https://e.org/a', title: '标题', html: '正文', published: Date.UTC(2024, 10, 7, 10) }],
    });
  });

  it('an rss root in some other namespace is still not a feed', () => {
    expect(() => parseFeed('<rss xmlns="urn:x:other"><channel/></rss>', CTX)).toThrow(/root element is <rss> in urn:x:other/);
  });
});

describe('6. Atom text constructs with type=""', () => {
  it.each([
    ['a title', '<title type="">标题 &lt;分析&gt;</title><link href="https://e.org/a"/>', { title: '标题 <分析>' }],
    ['content', '<title>x</title><link href="https://e.org/a"/><content type="">正文 &amp; 更多</content>', { html: '<p>正文 &amp; 更多</p>' }],
    ['a type of white space', '<title type=" ">标题</title><link href="https://e.org/a"/>', { title: '标题' }],
  ])('%s reads as text', (_name, entry, fields) => {
    const feed = atomEntry(entry);
    expect(feed.skipped).toEqual([]);
    expect(feed.drafts[0]).toMatchObject(fields);
  });
});
