import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { parseHTML } from 'linkedom';
import OpenCC from 'opencc-js';
import { configs } from 'opencc-js/preset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestParameterError } from '../../src/errors.js';
import type { Article } from '../../src/model.js';
import { ScriptConverter } from '../../src/render/converterPool.js';
import { putPage, splitHtml, TextBatch } from '../../src/render/convertText.js';
import { converterFor } from '../../src/render/opencc.js';
import type { FeedPublisher } from '../../src/render/publisher.js';
import { CONVERSION_NAMES, CONVERSIONS, convertedLanguage, type ConversionName } from '../../src/render/scripts.js';
import type { Store } from '../../src/store/store.js';
import { ROOT } from '../support/paths.js';
import { seedArticles } from '../support/seeds.js';
import { ORIGIN, publisherOver, storeOf } from '../support/articles.js';

const FIXTURES = join(ROOT, 'tests/fixtures/opencc');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
/** tests/fixtures/opencc: the five seeds' titles as stored, and as each conversion writes them. */
const TITLES = JSON.parse(fixture('titles.input.json')) as Record<string, string>;
const EXPECTED_TITLES = JSON.parse(fixture('titles.expected.json')) as Record<ConversionName, Record<string, string>>;
/** opencc-js's own names for OpenCC's conversions (its README's table). */
const OPENCC_JS: Record<ConversionName, { from: string; to: string }> = {
  s2t: { from: 'cn', to: 't' }, t2s: { from: 't', to: 'cn' }, s2tw: { from: 'cn', to: 'tw' }, tw2s: { from: 'tw', to: 'cn' },
  s2hk: { from: 'cn', to: 'hk' }, hk2s: { from: 'hk', to: 'cn' }, s2twp: { from: 'cn', to: 'twp' }, tw2sp: { from: 'twp', to: 'cn' },
  t2tw: { from: 't', to: 'tw' }, t2hk: { from: 't', to: 'hk' },
};
const inline = (name: ConversionName, texts: string[]): Promise<string[]> => Promise.resolve(texts.map(converterFor(name)));

let seeds: Article[];
beforeAll(async () => {
  seeds = await seedArticles();
});

describe('conversions', () => {
  it('offers the ten conversions RSSHub users know', () => {
    expect([...CONVERSION_NAMES].sort()).toEqual(['hk2s', 's2hk', 's2t', 's2tw', 's2twp', 't2hk', 't2s', 't2tw', 'tw2s', 'tw2sp']);
  });

  it('converts the stored titles of the five seeds as the fixtures say', () => {
    expect(Object.fromEntries(seeds.map((a) => [a.id, a.title]))).toEqual(TITLES);
    for (const name of CONVERSION_NAMES) {
      expect(Object.fromEntries(seeds.map((a) => [a.id, converterFor(name)(a.title)])), name).toEqual(EXPECTED_TITLES[name]);
    }
  });

  it.each(CONVERSION_NAMES)('%s gives what opencc-js\'s own converter gives, on every seed\'s full text', (name) => {
    const theirs = OpenCC.Converter(OPENCC_JS[name]);
    for (const a of seeds) expect(converterFor(name)(a.contentHtml), a.id).toBe(theirs(a.contentHtml));
  });

  it('is built once per name and reused', () => {
    expect(converterFor('s2tw')).toBe(converterFor('s2tw'));
  });

  it('says what language each leaves a text in; t2tw and t2hk leave Simplified text Simplified', () => {
    expect(CONVERSION_NAMES.map((n) => [n, convertedLanguage(n, 'zh-Hant'), convertedLanguage(n, 'zh-Hans')])).toEqual([
      ['s2t', 'zh-Hant', 'zh-Hant'], ['t2s', 'zh-Hans', 'zh-Hans'], ['s2tw', 'zh-TW', 'zh-TW'], ['tw2s', 'zh-Hans', 'zh-Hans'],
      ['s2hk', 'zh-HK', 'zh-HK'], ['hk2s', 'zh-Hans', 'zh-Hans'], ['s2twp', 'zh-TW', 'zh-TW'], ['tw2sp', 'zh-Hans', 'zh-Hans'],
      ['t2tw', 'zh-TW', 'zh-Hans'], ['t2hk', 'zh-HK', 'zh-Hans'],
    ]);
  });

  it('uses dictionaries that can never make or break markup: no entry holds < > & ; " \', none is ASCII alone', () => {
    const entries = new Set<string>();
    for (const config of Object.values(configs as Record<string, { conversionChain: readonly unknown[]; normalizationChain?: readonly unknown[] }>)) {
      for (const dict of [config.conversionChain, config.normalizationChain ?? []].flat(3)) {
        if (typeof dict === 'string') for (const entry of dict.split('|')) entries.add(entry);
      }
    }
    expect(entries.size).toBeGreaterThan(50_000);
    const bad = [...entries].filter((e) => /[<>&;"']/.test(e) || /^[\x00-\x7f]+ /.test(e));
    expect(bad).toEqual([]);
  });
});

describe('text between tags', () => {
  it.each([
    ['plain text', '台湾', ['台湾']],
    ['tags and text', '<p>a<b>b</b></p>', ['', '<p>', 'a', '<b>', 'b', '</b>', '', '</p>', '']],
    ['a > inside a quoted attribute stays in the tag', '<a title="x>台湾">台湾</a>', ['', '<a title="x>台湾">', '台湾', '</a>', '']],
    ['entities are text, and stay as written', 'A&amp;B &lt;p&gt;', ['A&amp;B &lt;p&gt;']],
    ['a comment is not text', '<!-- 台湾 -->台湾', ['', '<!-- 台湾 -->', '台湾']],
    ['a lone < is text', '1 < 2', ['1 < 2']],
  ])('%s', (_what, html, pieces) => {
    expect(splitHtml(html)).toEqual(pieces);
  });

  it.each(['s2tw', 's2hk'] as const)('converts only the text of article HTML with %s: attributes, URLs and entities as they were', async (name) => {
    const batch = new TextBatch();
    const html = batch.putHtml(fixture('content.input.html'));
    await batch.run(name, inline);
    expect(html()).toBe(fixture(`content.${name}.expected.html`));
  });

  it('converts the words of our own page, not its style, URLs or other attributes', async () => {
    const page = '<html lang="zh-Hans"><head><meta name="description" content="美国之音"><style>a{font:"台湾"}</style>'
      + '<link rel="alternate" title="德国之声" href="https://x.example/台湾"></head><body><p>后台</p></body></html>';
    const batch = new TextBatch();
    const out = putPage(batch, page);
    await batch.run('s2tw', inline);
    expect(out()).toBe('<html lang="zh-Hans"><head><meta name="description" content="美國之音"><style>a{font:"台湾"}</style>'
      + '<link rel="alternate" title="德國之聲" href="https://x.example/台湾"></head><body><p>後臺</p></body></html>');
  });

  it('runs in a worker that starts when first asked and can be closed', async () => {
    const converter = new ScriptConverter();
    try {
      expect(await converter.convert('s2tw', ['台湾选举', 'abc', ''])).toEqual(['臺灣選舉', 'abc', '']);
      expect(await converter.convert('t2s', [])).toEqual([]);
    } finally {
      await converter.close();
    }
  });
});

describe('converted documents', () => {
  let store: Store;
  let publisher: FeedPublisher;
  const body = async (path: string, query: string): Promise<string> => (await publisher.document(ORIGIN, path, query))!.body.toString('utf8');
  /** Seed ids newest first, as the merged feed lists them. */
  const newestFirst = (): string[] => [...seeds].sort((a, b) => b.published - a.published).map((a) => a.id);

  beforeAll(async () => {
    store = await storeOf(seeds);
    publisher = await publisherOver(store, { convert: inline });
  });
  afterAll(async () => {
    publisher?.close();
    await store?.close();
  });

  it.each(CONVERSION_NAMES)('RSS with opencc=%s: the fixtures\' titles, and each item\'s language', async (name) => {
    const feed = parseRssFeed(await body('/feed.xml', `opencc=${name}`));
    const ids = newestFirst();
    expect(feed.items?.map((i) => i.title)).toEqual(ids.map((id) => EXPECTED_TITLES[name][id]));
    const language = (id: string): string => convertedLanguage(name, seeds.find((a) => a.id === id)!.language);
    expect(feed.items?.map((i) => i.dc?.languages?.[0])).toEqual(ids.map(language));
  });

  it('Atom: xml:lang on the feed and every entry, converted titles, summaries and content', async () => {
    const xml = await body('/atom.xml', 'opencc=s2tw');
    expect(xml).toMatch(/^<\?xml[^>]*>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom" xml:lang="zh-TW">/);
    expect(xml.match(/<entry xml:lang="([^"]+)">/g)).toEqual(Array(5).fill('<entry xml:lang="zh-TW">'));
    const feed = parseAtomFeed(xml);
    expect(feed.title).toEqual({ type: 'text', value: 'feedrelay: 美國之音、法廣、德國之聲中文新聞' });
    expect(feed.entries?.map((e) => e.title?.value)).toEqual(newestFirst().map((id) => EXPECTED_TITLES.s2tw[id]));
    expect(feed.entries?.map((e) => e.xml?.lang)).toEqual(Array(5).fill('zh-TW'));
    const voa = feed.entries!.find((e) => e.id === 'tag:feedrelay,2024:19ed2a19392a531b')!;
    expect(voa.summary?.value).toMatch(/^在朝鮮派兵介入俄烏戰爭導致衝突嚴重升級之際/);
    const content = voa.content?.value ?? '';
    expect(content).toContain('<figcaption>中國外長王毅與俄羅斯外長拉夫羅夫在俄羅斯喀山的金磚國家峰會上交談。（2024年10月22日）</figcaption>');
    expect(voa.authors?.[0]?.name).toBe('美國之音中文網');
    // URLs as stored, in links and in the body.
    const stored = seeds.find((a) => a.id === '19ed2a19392a531b')!;
    expect(voa.links?.find((l) => l.rel === 'alternate')?.href).toBe(stored.url);
    expect(content.match(/(?:src|href)="[^"]*"/g)).toEqual(stored.contentHtml.match(/(?:src|href)="[^"]*"/g));
  });

  it('JSON Feed: the feed\'s and every item\'s language', async () => {
    const feed = parseJsonFeed(await body('/feed.json', 'opencc=s2hk')) as { language?: string; items: { language?: string; title?: string }[] };
    expect(feed.language).toBe('zh-HK');
    expect(feed.items.map((i) => i.language)).toEqual(Array(5).fill('zh-HK'));
    expect(feed.items.map((i) => i.title)).toEqual(newestFirst().map((id) => EXPECTED_TITLES.s2hk[id]));
  });

  it('t2tw converts the Traditional seed and leaves the others as they are, in text and language', async () => {
    const feed = parseJsonFeed(await body('/feed.json', 'opencc=t2tw')) as { language?: string; items: { id: string; language?: string }[] };
    expect(feed.language).toBe('zh');
    expect(Object.fromEntries(feed.items.map((i) => [i.id.slice(-16), i.language]))).toEqual(
      Object.fromEntries(seeds.map((a) => [a.id, a.language === 'zh-Hant' ? 'zh-TW' : 'zh-Hans'])),
    );
  });

  it('the plain feeds keep each article\'s own language', async () => {
    const rss = parseRssFeed(await body('/feed.xml', ''));
    expect(rss.items?.map((i) => i.dc?.languages?.[0])).toEqual(newestFirst().map((id) => seeds.find((a) => a.id === id)!.language));
  });

  it('converts archive pages and links them with the conversion', async () => {
    const xml = await body('/archive/1/atom.xml', 'opencc=s2tw');
    const feed = parseAtomFeed(xml);
    expect(feed.entries).toHaveLength(5);
    expect(feed.links?.find((l) => l.rel === 'current')?.href).toBe(`${ORIGIN}/atom.xml?opencc=s2tw`);
    expect((await body('/atom.xml', 'opencc=s2tw'))).toContain(`href="${ORIGIN}/archive/1/atom.xml?opencc=s2tw"`);
  });

  it('caches converted documents like any other: the same bytes and ETag until the store changes', async () => {
    const first = await publisher.document(ORIGIN, '/voa/feed.xml', 'opencc=s2t');
    expect(publisher.cached(ORIGIN, '/voa/feed.xml', 'opencc=s2t')).toBe(first);
    expect(await publisher.document(ORIGIN, '/voa/feed.xml', 'opencc=s2t')).toBe(first);
    expect(publisher.cached(ORIGIN, '/voa/feed.xml', 'opencc=s2tw')).toBeUndefined();
  });

  it('the index page in Traditional: its lang, each article\'s lang and title, and feeds that stay converted', async () => {
    const html = await body('/', 'opencc=s2tw');
    const { document } = parseHTML(html);
    expect(document.documentElement.getAttribute('lang')).toBe('zh-TW');
    const items = [...document.querySelectorAll('ol.articles article')];
    expect(items.map((a) => a.getAttribute('lang'))).toEqual(Array(5).fill('zh-TW'));
    expect(items.map((a) => a.querySelector('h3 a')!.textContent)).toEqual(newestFirst().map((id) => EXPECTED_TITLES.s2tw[id]));
    expect(document.querySelector('h2#latest')!.textContent).toBe('最新文章');
    expect(document.querySelector('h2#feeds')!.textContent).toBe('訂閱');
    const discovery = [...document.querySelectorAll('link[rel="alternate"]')].map((l) => l.getAttribute('href'));
    expect(discovery).toHaveLength(12);
    for (const href of discovery) expect(href).toMatch(/\?opencc=s2tw$/);
    const hrefs = [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toContain(`${ORIGIN}/`);
    expect(hrefs).toContain(`${ORIGIN}/opml.xml`);
    expect(hrefs).toContain(`${ORIGIN}/opml.xml?opencc=s2tw`);
  });

  it('the plain index page offers the Traditional variant of every feed, of OPML and of itself', async () => {
    const { document } = parseHTML(await body('/', ''));
    expect(document.documentElement.getAttribute('lang')).toBe('zh-Hans');
    const hrefs = [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href'));
    for (const dir of ['', '/dw', '/rfi', '/voa']) {
      for (const file of ['feed.xml', 'atom.xml', 'feed.json']) expect(hrefs).toContain(`${ORIGIN}${dir}/${file}?opencc=s2tw`);
    }
    expect(hrefs).toContain(`${ORIGIN}/opml.xml?opencc=s2tw`);
    expect(hrefs).toContain(`${ORIGIN}/?opencc=s2tw`);
  });

  it('OPML with opencc lists every feed\'s converted variant, titles and language converted', async () => {
    const opml = parseOpml(await body('/opml.xml', 'opencc=s2tw'));
    const outlines = (opml.body?.outlines ?? []).flatMap((g) => g.outlines ?? []);
    expect(outlines).toHaveLength(12);
    for (const o of outlines) expect(o.xmlUrl).toMatch(/\?opencc=s2tw$/);
    expect(outlines.find((o) => o.xmlUrl === `${ORIGIN}/voa/atom.xml?opencc=s2tw`)).toMatchObject({ title: '美國之音中文網 (VOA)', language: 'zh-TW' });
    expect(opml.head?.title).toBe('feedrelay: 美國之音、法廣、德國之聲中文新聞');
    const plain = parseOpml(await body('/opml.xml', ''));
    for (const o of (plain.body?.outlines ?? []).flatMap((g) => g.outlines ?? [])) expect(o.xmlUrl).not.toContain('opencc');
  });

  it.each([
    ['/feed.xml', 'opencc=s2x'],
    ['/voa/atom.xml', 'opencc=S2TW'],
    ['/archive/1/feed.json', 'opencc='],
    ['/', 'opencc=zh-Hant'],
    ['/opml.xml', 'opencc=tw2t'],
  ])('%s?%s is a 400 naming the parameter and the allowed values', async (path, query) => {
    const err = await publisher.document(ORIGIN, path, query).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestParameterError);
    expect((err as Error).message).toBe(`opencc: expected one of s2t, t2s, s2tw, tw2s, s2hk, hk2s, s2twp, tw2sp, t2tw, t2hk, got ${JSON.stringify(new URLSearchParams(query).get('opencc'))}`);
  });

  it('the index page and OPML keep opencc beside parameters they ignore (issue #12), one cached document each', async () => {
    for (const path of ['/', '/opml.xml']) {
      const converted = await publisher.document(ORIGIN, path, 'opencc=s2tw');
      expect(await publisher.document(ORIGIN, path, 'utm_source=x&opencc=s2tw&fbclid=1'), path).toBe(converted);
      expect(publisher.cached(ORIGIN, path, 'opencc=s2tw&utm_medium=email'), path).toBe(converted);
      expect(converted!.body.toString(), path).toContain('?opencc=s2tw');
    }
  });

  it('a repeated opencc is a 400 too, on feeds and pages', async () => {
    await expect(publisher.document(ORIGIN, '/feed.xml', 'opencc=s2t&opencc=s2t')).rejects.toThrow(/^opencc: given more than once$/);
    await expect(publisher.document(ORIGIN, '/', 'opencc=s2t&opencc=t2s')).rejects.toThrow(/^opencc: given more than once$/);
  });

  it('labels each conversion for people', () => {
    for (const name of CONVERSION_NAMES) expect(CONVERSIONS[name].label).toMatch(/^(繁體|简体)/);
  });
});
