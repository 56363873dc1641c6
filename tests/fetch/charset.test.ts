import { describe, expect, it } from 'vitest';
import { decodeFeedBody } from '../../src/fetch/charset.js';
import { fixtureBytes } from '../support/paths.js';

const gbk中文 = [0xd6, 0xd0, 0xce, 0xc4];
const big5中文 = [0xa4, 0xa4, 0xa4, 0xe5];
const utf8中文 = [...Buffer.from('中文')];

function bytes(...parts: (string | number[])[]): Uint8Array {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
}

describe('decodeFeedBody: where the charset comes from', () => {
  it.each([
    ['a UTF-8 BOM, over a Content-Type that says gbk', bytes([0xef, 0xbb, 0xbf], '<a>', utf8中文, '</a>'), 'text/xml; charset=gbk', 'utf-8', 'bom'],
    ['a UTF-16LE BOM', Buffer.from('\ufeff<a>中文</a>', 'utf16le'), undefined, 'utf-16le', 'bom'],
    ['the Content-Type charset, over the XML declaration', bytes('<?xml version="1.0" encoding="utf-8"?><a>', big5中文, '</a>'), 'application/rss+xml; charset=big5', 'big5', 'content-type'],
    ['a quoted Content-Type charset', bytes('<a>', gbk中文, '</a>'), 'text/xml; charset="GBK"', 'gb18030', 'content-type'],
    ['the XML declaration when the Content-Type has no charset', bytes("<?xml version='1.0' encoding='GB2312'?><a>", gbk中文, '</a>'), 'text/xml', 'gb18030', 'xml-declaration'],
    ['UTF-8 when nothing says otherwise', bytes('<a>', utf8中文, '</a>'), undefined, 'utf-8', 'default'],
    ['the next rule when a Content-Type charset is unknown', bytes('<?xml version="1.0" encoding="big5"?><a>', big5中文, '</a>'), 'text/xml; charset=x-unheard-of', 'big5', 'xml-declaration'],
  ] as const)('%s', (_name, body, contentType, charset, from) => {
    const decoded = decodeFeedBody(body, contentType);
    expect(decoded.charset).toBe(charset);
    expect(decoded.from).toBe(from);
    expect(decoded.text).toMatch(/<a>中文<\/a>$/);
    expect(decoded.text.startsWith('\ufeff')).toBe(false);
  });
});

describe('decodeFeedBody: Chinese legacy charsets', () => {
  it.each(['gbk', 'gb2312', 'GB18030', 'x-gbk', 'cp936'])('decodes %s with the GB18030 decoder', (label) => {
    expect(decodeFeedBody(bytes('<a>', gbk中文, '</a>'), `text/xml; charset=${label}`)).toMatchObject({ text: '<a>中文</a>', charset: 'gb18030' });
  });

  it('reads a GBK-only character (镕) in a feed that declares gb2312', async () => {
    const { text, charset } = decodeFeedBody(await fixtureBytes('live', 'gbk.xml'), 'text/xml');
    expect(charset).toBe('gb18030');
    expect(text).toContain('<title>朱镕基回忆录再版 “国务院总理”一章增补</title>');
  });

  it('reads Big5 Traditional Chinese exactly', async () => {
    const { text } = decodeFeedBody(await fixtureBytes('live', 'big5.xml'), 'application/rss+xml; charset=big5');
    expect(text).toContain('<title>颱風康芮登陸臺灣　全臺停班停課</title>');
    expect(text).not.toContain('\ufffd');
  });

  it('replaces bytes invalid in the charset with U+FFFD instead of failing', () => {
    expect(decodeFeedBody(bytes('<a>', [0xff, 0xff], '</a>'), 'text/xml; charset=utf-8').text).toBe('<a>\ufffd\ufffd</a>');
  });
});
