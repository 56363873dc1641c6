import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestParameterError } from '../../src/errors.js';
import type { Article } from '../../src/model.js';
import { parseFeedFilter } from '../../src/render/feedQuery.js';
import { MAX_PATTERN_LENGTH } from '../../src/render/filters.js';
import { FILTER_SCAN_BUDGET, type FeedPublisher } from '../../src/render/publisher.js';
import type { SqliteStore } from '../../src/store/sqlite.js';
import { ORIGIN, publisherOver, storeOf } from '../support/articles.js';

const T0 = Date.UTC(2024, 5, 1);
const HOUR = 3_600_000;
const HOSTS: Record<string, string> = { voa: 'https://www.voachinese.com/a/', rfi: 'https://www.rfi.fr/cn/', dw: 'https://www.dw.com/zh/' };

/** Article `n`, published n hours after T0, so the newest first are 5, 4, 3, 2, 1. */
function article(n: number, source: string, title: string, contentHtml: string, author?: string): Article {
  const url = `${HOSTS[source]}filters-${n}.html`;
  return {
    id: n.toString(16).padStart(16, '0'), url, canonicalUrl: url, title, contentHtml, summary: title,
    published: T0 + n * HOUR, archived: T0 + n * HOUR, modified: T0 + n * HOUR,
    source, language: /[臺灣選舉進黨勝]/.test(title) ? 'zh-Hant' : 'zh-Hans',
    ...(author ? { author } : {}),
  };
}

/** Authors as published: the outlet (美国之音中文网, 法国国际广播电台, 德国之声中文网), then a byline. Categories: VOA, RFI, DW. */
const ARTICLES = [
  article(1, 'voa', 'Trump 与台湾选举', '<p>关于<b>选举</b>的报道 <a href="https://example.org/img">link</a></p>', 'Alice'),
  article(2, 'rfi', '乌克兰战争', '<p>俄军进攻。</p>'),
  article(3, 'dw', '臺灣選舉結果', '<p>民進黨勝選。</p>', 'Bob'),
  article(4, 'voa', 'trump tariffs', '<p>Economy news &amp; more.</p>'),
  article(5, 'dw', '天气预报', '<p>晴天，有广告。</p>'),
];
/** The wall clock the tests set: an hour after the newest article (the publisher's `clock`, the date ceiling, is 2030). */
let now = T0 + 6 * HOUR;

let store: SqliteStore;
let publisher: FeedPublisher;
/** Article numbers a feed lists, in order. */
const listed = async (query: string, path = '/feed.json'): Promise<number[]> => {
  const doc = await publisher.document(ORIGIN, path, query);
  const feed = JSON.parse(doc!.body.toString('utf8')) as { items: { id: string }[] };
  return feed.items.map((i) => Number.parseInt(i.id.slice(-16), 16));
};

beforeAll(async () => {
  store = await storeOf(ARTICLES);
  publisher = await publisherOver(store, { wallClock: () => now });
});
afterAll(async () => {
  publisher?.close();
  await store?.close();
});

describe('RSSHub filter parameters', () => {
  const enc = encodeURIComponent;
  it.each([
    ['(none)', '', [5, 4, 3, 2, 1]],
    ['filter: the title', `filter=${enc('台湾')}`, [3, 1]],
    ['filter: either script, both ways', `filter=${enc('臺灣')}`, [3, 1]],
    ['filter: the description (the text, not the markup)', `filter=${enc('广告')}`, [5]],
    ['filter: never markup or URLs', 'filter=img', []],
    ['filter: the author (outlet)', `filter=${enc('美国之音')}`, [4, 1]],
    ['filter: the author (byline)', 'filter=Alice', [1]],
    ['filter: a category', 'filter=RFI', [2]],
    ['filter: a regular expression', `filter=${enc('^(天气|乌克兰)')}`, [5, 2]],
    ['filter: case-sensitive by default', 'filter=trump', [4]],
    ['filter_case_sensitive=false', 'filter=trump&filter_case_sensitive=false', [4, 1]],
    ['filter_case_sensitive=true', 'filter=TRUMP&filter_case_sensitive=true', []],
    ['filter_title', `filter_title=${enc('选举')}`, [3, 1]],
    ['filter_description', `filter_description=${enc('选举')}`, [1]],
    ['filter_author', `filter_author=${enc('德国之声')}`, [5, 3]],
    ['filter_category', 'filter_category=^DW$', [5, 3]],
    ['filter_title and filter_description: both must match', `filter_title=${enc('选举')}&filter_description=${enc('民进党')}`, [3]],
    ['filter_author and filter_category: both must match', 'filter_author=Bob&filter_category=DW', [3]],
    ['filter_* are ignored when filter is given', `filter=${enc('台湾')}&filter_title=${enc('天气')}`, [3, 1]],
    ['filterout: the title', `filterout=${enc('台湾')}`, [5, 4, 2]],
    ['filterout: the description', `filterout=${enc('广告')}`, [4, 3, 2, 1]],
    ['filterout: not the author or categories', 'filterout=VOA|Alice', [5, 4, 3, 2, 1]],
    ['filterout_title', `filterout_title=${enc('乌克兰')}`, [5, 4, 3, 1]],
    ['filterout_description', 'filterout_description=Economy', [5, 3, 2, 1]],
    ['filterout_title replaces filterout for the title only', `filterout=${enc('俄军')}&filterout_title=${enc('天气')}`, [4, 3, 1]],
    ['filterout_description replaces filterout for the description only', `filterout=${enc('天气')}&filterout_description=${enc('民进党')}`, [4, 2, 1]],
    ['filterout_author', 'filterout_author=Bob', [5, 4, 2, 1]],
    ['filterout_category', 'filterout_category=VOA|RFI', [5, 3]],
    ['filterout with filter_case_sensitive=false', 'filterout=TRUMP&filter_case_sensitive=false', [5, 3, 2]],
    ['filter and filterout together', `filter=${enc('选举')}&filterout_author=Bob`, [1]],
    ['filter_time: published in the last N seconds', `filter_time=${2 * 3600}`, [5, 4]],
    ['filter_time with a pattern', `filter_time=${4 * 3600}&filter=DW`, [5, 3]],
    ['limit applies after the filters', `filter=${enc('台湾|天气')}&limit=1`, [5]],
    ['with lang and q', `filter=${enc('选举')}&lang=zh-Hans`, [1]],
    ['with opencc: filters see the stored text', `filter=${enc('台湾')}&opencc=s2tw`, [3, 1]],
  ])('%s', async (_what, query, expected) => {
    expect(await listed(query)).toEqual(expected);
  });

  it('filters the items of an archive page, which links its neighbours with the same filters', async () => {
    expect(await listed(`filter=${encodeURIComponent('台湾')}`, '/archive/1/feed.json')).toEqual([3, 1]);
    const atom = (await publisher.document(ORIGIN, '/archive/1/atom.xml', 'filter=DW&filter_case_sensitive=false'))!.body.toString('utf8');
    expect(atom).toContain(`<link rel="current" type="application/atom+xml" href="${ORIGIN}/atom.xml?filter=DW&amp;filter_case_sensitive=false"/>`);
  });

  it('links the subscription document\'s history without filter_time or limit', async () => {
    const rss = (await publisher.document(ORIGIN, '/feed.xml', 'filter=DW&filter_time=3600&limit=3'))!.body.toString('utf8');
    expect(rss).toContain(`<atom:link rel="prev-archive" href="${ORIGIN}/archive/1/feed.xml?filter=DW"/>`);
    expect(rss).toContain(`<atom:link href="${ORIGIN}/feed.xml?filter=DW&amp;filter_time=3600&amp;limit=3" rel="self"`);
  });

  it('caches a filtered document like any other', async () => {
    const doc = await publisher.document(ORIGIN, '/voa/atom.xml', 'filterout=trump');
    expect(publisher.cached(ORIGIN, '/voa/atom.xml', 'filterout=trump')).toBe(doc);
  });

  it('lets a filter_time document expire when its oldest item leaves the window', async () => {
    const query = `filter_time=${2 * 3600}&filter=DW`;
    expect(await listed(query)).toEqual([5]);
    expect(publisher.cached(ORIGIN, '/feed.json', query)).toBeDefined();
    now += HOUR; // article 5 is now just two hours old: still in
    expect(publisher.cached(ORIGIN, '/feed.json', query)).toBeDefined();
    now += 1; // and now it is out
    expect(publisher.cached(ORIGIN, '/feed.json', query)).toBeUndefined();
    expect(await listed(query)).toEqual([]);
    now -= HOUR + 1;
  });
});

describe('bad filter parameters', () => {
  const long = 'a'.repeat(MAX_PATTERN_LENGTH + 1);
  it.each([
    ['filter=(', /^filter: not a regular expression RE2 accepts: /],
    ['filter_title=a%5C1', /^filter_title: not a regular expression RE2 accepts: /], // \1: RE2 has no backreferences
    ['filterout=(%3F%3C%3Da)b', /^filterout: not a regular expression RE2 accepts: /], // (?<=a)b: no lookbehind
    ['filter_description=', /^filter_description: expected a regular expression \(RE2 syntax\), got an empty value$/],
    [`filterout_author=${long}`, new RegExp(`^filterout_author: expected a pattern of at most ${MAX_PATTERN_LENGTH} characters, got ${MAX_PATTERN_LENGTH + 1}$`)],
    ['filter_category=%5B', /^filter_category: /],
    ['filterout_title=*', /^filterout_title: /],
    ['filterout_description=a%7B2%2C1%7D', /^filterout_description: /],
    ['filterout_category=(', /^filterout_category: /],
    ['filter_author=)', /^filter_author: /],
    ['filter_case_sensitive=no', /^filter_case_sensitive: expected true or false, got "no"$/],
    ['filter_time=0', /^filter_time: expected a whole number of seconds from 1 to 31622400, got "0"$/],
    ['filter_time=-60', /^filter_time: /],
    ['filter_time=1.5', /^filter_time: /],
    ['filter_time=600abc', /^filter_time: /],
    ['filter_time=99999999', /^filter_time: /],
    ['filter=a&filter=b', /^filter: given more than once$/],
  ])('%s', async (query, message) => {
    const err = await publisher.document(ORIGIN, '/feed.xml', query).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestParameterError);
    expect((err as Error).message).toMatch(message);
  });

  it('filter_time on an archive page: its items never change, so no', () => {
    expect(() => parseFeedFilter('filter_time=60', { paged: true })).toThrow(/^filter_time: archive pages keep every article they hold/);
  });

  it('a pattern that backtracking engines take exponential time on answers at once', async () => {
    // RE2 accepts it and runs in linear time; no text here ends in "a".
    expect(await listed(`filter=${encodeURIComponent('(a+)+$')}`)).toEqual([]);
  });
});

describe('scan budget', () => {
  let big: SqliteStore;
  let bigPublisher: FeedPublisher;
  beforeAll(async () => {
    // The only match is the oldest article, beyond the budget from the newest.
    const many = Array.from({ length: FILTER_SCAN_BUDGET + 50 }, (_, i) => article(i + 1, 'voa', i === 0 ? '罕见' : `第${i + 1}篇`, '<p>正文</p>'));
    big = await storeOf(many);
    bigPublisher = await publisherOver(big);
  });
  afterAll(async () => {
    bigPublisher?.close();
    await big?.close();
  });

  it(`reads at most ${FILTER_SCAN_BUDGET} candidates, newest first, and serves what it found`, async () => {
    const json = async (query: string): Promise<string[]> =>
      (JSON.parse((await bigPublisher.document(ORIGIN, '/feed.json', query))!.body.toString('utf8')) as { items: { title: string }[] }).items.map((i) => i.title);
    expect(await json(`filter=${encodeURIComponent('罕见')}`)).toEqual([]);
    expect(await json(`filter=${encodeURIComponent('^第(2050|2049|51)篇$')}`)).toEqual(['第2050篇', '第2049篇', '第51篇']);
    // q is answered by the index, so it reaches every article.
    expect(await json(`q=${encodeURIComponent('罕见')}`)).toEqual(['罕见']);
  });
});
