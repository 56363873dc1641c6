import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestParameterError } from '../../src/errors.js';
import { filterQuery, parseFeedFilter } from '../../src/render/feedQuery.js';
import type { Store } from '../../src/store/store.js';
import { makeArticle, storeOf } from '../support/articles.js';

describe('feed query parameters', () => {
  const good: [string, object][] = [
    ['', {}],
    ['limit=1', { limit: 1 }],
    ['limit=500', { limit: 500 }],
    ['q=%E7%BB%8F%E6%B5%8E', { q: '经济' }],
    ['q=+%20trump%20', { q: 'trump' }],
    ['q=%EF%BC%A1%EF%BC%A2', { q: 'AB' }], // fullwidth letters fold (NFKC)
    ['lang=zh-Hant', { lang: 'zh-Hant' }],
    ['lang=ZH-hans', { lang: 'zh-Hans' }],
    ['limit=3&q=a&lang=zh-Hans', { limit: 3, q: 'a', lang: 'zh-Hans' }],
  ];
  it.each(good)('accepts %j', (query, expected) => {
    expect(parseFeedFilter(query, { paged: false })).toEqual(expected);
  });

  const bad: [string, RegExp][] = [
    ['limit=0', /^limit: expected a whole number from 1 to 500, got "0"$/],
    ['limit=501', /^limit: .*got "501"$/],
    ['limit=-1', /^limit: /],
    ['limit=1.5', /^limit: /],
    ['limit=', /^limit: /],
    ['limit=abc', /^limit: /],
    ['limit=1e2', /^limit: /],
    ['q=', /^q: expected a keyword/],
    ['q=%20%20', /^q: expected a keyword/],
    [`q=${'x'.repeat(201)}`, /^q: expected at most 200 characters, got 201$/],
    ['lang=en', /^lang: expected zh-Hans or zh-Hant, got "en"$/],
    ['lang=zh', /^lang: /],
    ['limit=1&limit=2', /^limit: given more than once$/],
  ];
  it.each(bad)('rejects %j, naming the parameter', (query, message) => {
    let error: unknown;
    try {
      parseFeedFilter(query, { paged: false });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RequestParameterError);
    expect((error as Error).message).toMatch(message);
  });

  it.each(['page=2', 'utm_source=newsletter&utm_medium=email', 'fbclid=x&fbclid=y', '%E2%9C%93=1&&='])('ignores parameters it does not take: %s', (query) => {
    expect(parseFeedFilter(query, { paged: false })).toEqual({});
    expect(parseFeedFilter(`${query}&lang=zh-Hant`, { paged: false })).toEqual({ lang: 'zh-Hant' });
  });

  it('rejects limit on an archive page, whose size is fixed', () => {
    expect(() => parseFeedFilter('limit=5', { paged: true })).toThrow(/^limit: archive pages have a fixed size/);
  });

  it('writes the narrowing parameters canonically for links between pages', () => {
    expect(filterQuery({ lang: 'zh-Hant', q: '经 济', limit: 5 }, false)).toBe('?q=%E7%BB%8F+%E6%B5%8E&lang=zh-Hant');
    expect(filterQuery({ limit: 5 }, true)).toBe('?limit=5');
    expect(filterQuery({}, true)).toBe('');
  });
});

describe('keyword and language matching (the store answers q and lang)', () => {
  const article = makeArticle(1, {
    title: 'Trump 与经济',
    contentHtml: '<p>关于 <a href="https://example.org/img">贸易&amp;关税</a> 的报道</p>',
  });
  // Another article, in the other script, that none of the keywords below is in.
  const other = makeArticle(4, { title: '天气', summary: '天气', contentHtml: '<p>晴</p>' });
  let store: Store;
  beforeAll(async () => {
    store = await storeOf([article, other]);
  });
  afterAll(() => store?.close());

  const found = async (filter: Parameters<Store['newest']>[0]): Promise<string[]> => (await store.newest(filter, 10)).map((a) => a.id);

  const cases: [string, boolean][] = [
    ['trump', true],
    ['TRUMP', true],
    ['经济', true],
    ['贸易&关税', true],
    ['关税', true],
    ['href', false],
    ['example.org', false],
    ['amp', false],
    ['台湾', false],
  ];
  it.each(cases)('q=%j matches: %s', async (q, expected) => {
    expect(await found({ q })).toEqual(expected ? [article.id] : []);
    expect(await store.count({ q })).toBe(expected ? 1 : 0);
  });

  it('matches the language exactly', async () => {
    expect(article.language).not.toBe(other.language);
    expect(await found({ language: article.language })).toEqual([article.id]);
    expect(await found({ language: other.language })).toEqual([other.id]);
    expect(await found({ language: article.language, q: '天气' })).toEqual([]);
  });
});
