import { describe, expect, it } from 'vitest';
import { decodeFeedBody } from '../../src/fetch/charset.js';
import { FeedParseError } from '../../src/errors.js';
import { parseFeed } from '../../src/parse/feed.js';

/** Issue #13, points 1 and 5: where a feed's bytes start, and which charset they are in. */

const gbk中文 = [0xd6, 0xd0, 0xce, 0xc4];
const CTX = { url: 'https://e.org/rss.xml', source: 'e', archived: Date.UTC(2024, 10, 8) };

function bytes(...parts: (string | number[])[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
}

const RSS_TAIL = '<rss version="2.0"><channel><title>t</title><item><title>';
const RSS_END = '</title><link>https://e.org/a</link></item></channel></rss>';

describe('1. white space before the XML declaration', () => {
  it.each([
    ['blank lines', '\n\n'],
    ['CRLF blank lines', '\r\n\r\n'],
    ['spaces and tabs', '  \t'],
  ])('after %s, the declared GBK is found and the feed parses', (_name, lead) => {
    const body = bytes(lead, '<?xml version="1.0" encoding="gbk"?>', RSS_TAIL, gbk中文, RSS_END);
    const decoded = decodeFeedBody(body, 'text/xml');
    expect(decoded).toMatchObject({ charset: 'gb18030', from: 'xml-declaration' });
    expect(parseFeed(decoded.text, CTX).drafts[0]!.title).toBe('中文');
  });

  it('a UTF-8 byte order mark after blank lines still counts', () => {
    const body = bytes('\n', [0xef, 0xbb, 0xbf], '<?xml version="1.0"?>', RSS_TAIL, [...Buffer.from('中文')], RSS_END);
    const decoded = decodeFeedBody(body, 'text/xml; charset=gbk');
    expect(decoded).toMatchObject({ charset: 'utf-8', from: 'bom' });
    expect(parseFeed(decoded.text, CTX).drafts[0]!.title).toBe('中文');
  });

  it('white space and a BOM before the declaration in decoded text parse', () => {
    expect(parseFeed(`\n \uFEFF\n<?xml version="1.0"?>${RSS_TAIL}x${RSS_END}`, CTX).drafts).toHaveLength(1);
  });

  it('errors count lines from the top of the document as sent', () => {
    const error = (() => {
      try {
        parseFeed('\n\n<?xml version="1.0"?>\n<rss><channel></rss>', CTX);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FeedParseError);
    expect((error as Error).message).toMatch(/at line 4,/);
  });
});

describe('5. UTF-16 without a byte order mark (XML 1.0 Appendix F)', () => {
  const xml = `<?xml version="1.0" encoding="UTF-16"?>${RSS_TAIL}中文${RSS_END}`;

  it.each([
    ['big-endian', Buffer.from(xml, 'utf16le').swap16(), 'utf-16be'],
    ['little-endian', Buffer.from(xml, 'utf16le'), 'utf-16le'],
  ])('%s is recognised by how `<?` is written', (_name, body, charset) => {
    const decoded = decodeFeedBody(body, 'application/xml');
    expect(decoded).toMatchObject({ charset, from: 'utf-16-pattern' });
    expect(parseFeed(decoded.text, CTX).drafts[0]!.title).toBe('中文');
  });

  it('outranks a Content-Type that names an ASCII-compatible charset', () => {
    expect(decodeFeedBody(Buffer.from(xml, 'utf16le').swap16(), 'text/xml; charset=utf-8').charset).toBe('utf-16be');
  });

  it('leaves little-endian white space whole rather than skip half of it', () => {
    const body = Buffer.from(`\n<?xml version="1.0"?>${RSS_TAIL}中文${RSS_END}`, 'utf16le');
    const decoded = decodeFeedBody(body, 'application/xml; charset=utf-16le');
    expect(parseFeed(decoded.text, CTX).drafts[0]!.title).toBe('中文');
  });
});

describe("5. charset in single quotes", () => {
  it.each([
    ['the Content-Type', "text/xml; charset='gbk'", '<?xml version="1.0"?>', 'content-type'],
    ['the XML declaration', 'text/xml', "<?xml version='1.0' encoding='gbk'?>", 'xml-declaration'],
  ])('in %s is honoured', (_name, contentType, declaration, from) => {
    const decoded = decodeFeedBody(bytes(declaration, RSS_TAIL, gbk中文, RSS_END), contentType);
    expect(decoded).toMatchObject({ charset: 'gb18030', from });
    expect(parseFeed(decoded.text, CTX).drafts[0]!.title).toBe('中文');
  });
});
