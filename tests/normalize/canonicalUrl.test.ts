import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UrlError } from '../../src/errors.js';
import { canonicalUrl, urlHash } from '../../src/normalize/canonicalUrl.js';
import { articleFixture, SEED_FILES } from '../support/seeds.js';

// The seeds' own URLs, as their link lines give them.
const VOA = 'https://www.voachinese.com/a/china-russia-discuss-ukraine-crisis-beijing-reaffirms-strong-ties-20241030/7844510.html';
const RFI = 'https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85/20231016-%E4%BF%84%E7%BD%97%E6%96%AF%E5%A4%96%E9%95%BF%E8%AE%BF%E5%8C%97%E4%BA%AC%E5%92%8C%E5%B9%B3%E5%A3%A4%E4%B8%BA%E4%BF%84%E6%80%BB%E7%BB%9F%E6%99%AE%E4%BA%AC%E9%93%BA%E8%B7%AF';
const DW = 'https://www.dw.com/zh/%E4%B9%A0%E8%BF%91%E5%B9%B3%E4%BC%9A%E8%A7%81%E4%BF%84%E5%A4%96%E9%95%BF%20%E6%99%AE%E4%B9%A0%E4%BC%9A%E5%8D%B3%E5%B0%86%E7%99%BB%E5%9C%BA/a-68778293';

describe('canonicalUrl: variants of a seed URL name the same article', () => {
  it.each([
    ['http instead of https', VOA.replace('https:', 'http:'), VOA],
    ['an upper-case host', VOA.replace('www.voachinese.com', 'WWW.VoaChinese.COM'), VOA],
    ['the default port :443', VOA.replace('.com/', '.com:443/'), VOA],
    ['http with its default port :80', VOA.replace('https:', 'http:').replace('.com/', '.com:80/'), VOA],
    ['a fragment', `${VOA}#comments`, VOA],
    ['utm_* parameters', `${VOA}?utm_source=rss&utm_medium=feed&utm_campaign=voa`, VOA],
    ['upper-case UTM_ parameter names', `${VOA}?UTM_SOURCE=rss`, VOA],
    ["DW's maca", `${DW}?maca=zh-rss-chi-all-1494-xml-mrss`, DW],
    ["RFI's xtor", `${RFI}?xtor=RSS-1`, RFI],
    ['credentials', VOA.replace('https://', 'https://user:pw@'), VOA],
    ['an empty query', `${VOA}?`, VOA],
    ['everything at once', `http://WWW.RFI.FR:443${RFI.slice('https://www.rfi.fr'.length)}?xtor=RSS-1&utm_source=x#top`, RFI],
  ])('%s', (_variant, input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });
});

describe('canonicalUrl: percent-encoding', () => {
  const RFI_CHARS = 'https://www.rfi.fr/cn/国际/20231016-俄罗斯外长访北京和平壤为俄总统普京铺路';
  const DW_CHARS = 'https://www.dw.com/zh/习近平会见俄外长 普习会即将登场/a-68778293';

  it('reads 国 and %E5%9B%BD as the same path', () => {
    expect(canonicalUrl(RFI_CHARS)).toBe(RFI);
  });

  it('reads lower-case %e5%9b%bd as %E5%9B%BD', () => {
    expect(canonicalUrl(RFI.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()))).toBe(RFI);
  });

  it('reads a raw space and %20 as the same path', () => {
    expect(canonicalUrl(DW_CHARS)).toBe(DW);
  });

  it('decodes percent-encoded unreserved characters', () => {
    expect(canonicalUrl('https://www.dw.com/%7Euser/a%2Db%2Ec%5Fd')).toBe('https://www.dw.com/~user/a-b.c_d');
  });

  it('keeps an encoded slash encoded, since it is not a path separator', () => {
    expect(canonicalUrl('https://www.dw.com/a%2Fb')).toBe('https://www.dw.com/a%2Fb');
  });

  it('normalises percent-encoding in the query as in the path', () => {
    expect(canonicalUrl('https://www.dw.com/search?q=国')).toBe('https://www.dw.com/search?q=%E5%9B%BD');
    expect(canonicalUrl('https://www.dw.com/search?q=%e5%9b%bd')).toBe('https://www.dw.com/search?q=%E5%9B%BD');
  });
});

describe('canonicalUrl: the query', () => {
  it('sorts the remaining parameters', () => {
    expect(canonicalUrl('https://www.voachinese.com/a/x.html?page=2&id=5')).toBe('https://www.voachinese.com/a/x.html?id=5&page=2');
  });

  it('keeps parameters that select content', () => {
    expect(canonicalUrl(`${VOA}?page=2&utm_source=rss`)).toBe(`${VOA}?page=2`);
  });

  it('keeps the path as written, case included', () => {
    expect(canonicalUrl(VOA.replace('/a/', '/A/'))).not.toBe(VOA);
  });
});

describe('canonicalUrl: what is not an http(s) URL', () => {
  it.each([
    ['words', 'not a url'],
    ['a relative path', '/a/123.html'],
    ['ftp', 'ftp://www.voachinese.com/a.html'],
    ['javascript:', 'javascript:alert(1)'],
    ['mailto:', 'mailto:news@voanews.com'],
  ])('rejects %s with UrlError', (_case, input) => {
    expect(() => canonicalUrl(input)).toThrow(UrlError);
  });
});

describe('canonicalUrl: properties', () => {
  it('is idempotent', () => {
    fc.assert(fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
      const once = canonicalUrl(url);
      expect(canonicalUrl(once)).toBe(once);
    }));
  });

  it('ignores added utm_ parameters and fragments', () => {
    fc.assert(fc.property(fc.webUrl({ withQueryParameters: true }), fc.stringMatching(/^[a-z0-9]{1,8}$/), (url, value) => {
      const join = url.includes('?') ? '&' : '?';
      expect(canonicalUrl(`${url}${join}utm_source=${value}#frag`)).toBe(canonicalUrl(url));
    }));
  });
});

describe('urlHash', () => {
  it('is the first 16 hex digits of SHA-256 (the FIPS 180-2 "abc" vector)', () => {
    expect(urlHash('abc')).toBe('ba7816bf8f01cfea');
  });

  it('hashes the canonical URL as UTF-8', () => {
    const expected = createHash('sha256').update(Buffer.from(canonicalUrl(RFI), 'utf8')).digest('hex').slice(0, 16);
    expect(urlHash(canonicalUrl(RFI))).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives every variant of a seed URL the same id', () => {
    const variants = [VOA, VOA.replace('https:', 'http:'), `${VOA}?utm_source=rss#x`, VOA.replace('www.', 'WWW.')];
    expect(new Set(variants.map((u) => urlHash(canonicalUrl(u)))).size).toBe(1);
  });

  // Issue #2: the seeds' file-name hashes are not reproducible from their URLs, so a seed keeps
  // its file name's hash as its id. If this ever fails, the ids could be derived after all.
  it.each(SEED_FILES)('does not reproduce the file-name hash of seed %s', async (seed) => {
    const { expected } = await articleFixture(seed);
    expect(urlHash(expected.canonicalUrl)).not.toBe(expected.id);
  });
});
