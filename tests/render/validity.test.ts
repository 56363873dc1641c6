import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestNotFoundError } from '../../src/errors.js';
import type { Article } from '../../src/model.js';
import type { FeedPublisher } from '../../src/render/publisher.js';
import { PLAUSIBLE_FROM } from '../../src/render/time.js';
import { stripNonXmlChars } from '../../src/render/xml.js';
import type { Store } from '../../src/store/store.js';
import { makePublisher, makeStore, nastyArticles, NOW, textlessArticle } from '../support/articles.js';
import { writeTemp } from '../support/tempDir.js';
import { ATOM_RNC, hasJing, hasXmllint, runTool } from '../support/validators.js';

const ORIGIN = 'https://feeds.example.org';
/** Filtered and limited variants, beside every path the site publishes. */
const QUERIES = ['limit=500', 'lang=zh-Hant', 'q=%E6%A0%87%E9%A2%98', 'lang=zh-hans&q=%E7%BB%8F%E6%B5%8E&limit=3'];

let store: Store;
let publisher: FeedPublisher;
let articles: Map<string, Article>;
const documents = new Map<string, string>();

beforeAll(async () => {
  store = await makeStore(120);
  for (const a of [...nastyArticles(), textlessArticle()]) expect(await store.insert(a), a.id).toMatchObject({ result: 'added' });
  // As stored: what the documents must carry.
  articles = new Map((await store.newest({}, 500)).map((a) => [a.id, a]));
  expect(articles.size).toBe(120 + nastyArticles().length + 1);
  // As `serve` publishes them: announcing the built-in WebSub hub.
  publisher = makePublisher(store, { hub: (origin) => `${origin}/websub` });
  for (const path of await publisher.paths()) documents.set(path, (await publisher.document(ORIGIN, path, ''))!.body.toString('utf8'));
  for (const path of ['/feed.xml', '/atom.xml', '/feed.json', '/voa/atom.xml', '/archive/2/feed.xml', '/archive/2/atom.xml', '/archive/3/feed.json']) {
    for (const q of QUERIES) {
      if (path.includes('/archive/') && q.includes('limit')) continue;
      try {
        documents.set(`${path}?${q}`, (await publisher.document(ORIGIN, path, q))!.body.toString('utf8'));
      } catch (err) {
        if (!(err instanceof RequestNotFoundError)) throw err; // fewer pages in a narrow filter
      }
    }
  }
});
afterAll(async () => {
  publisher?.close();
  await store?.close();
});

const kind = (path: string): 'rss' | 'atom' | 'json' | 'opml' | 'html' => {
  const file = path.split('?')[0]!;
  if (file.endsWith('/feed.xml')) return 'rss';
  if (file.endsWith('/atom.xml')) return 'atom';
  if (file.endsWith('.json')) return 'json';
  return file === '/opml.xml' ? 'opml' : 'html';
};
const byKind = (k: ReturnType<typeof kind>): [string, string][] => [...documents].filter(([path]) => kind(path) === k);
/** Documents whose entries are articles: /stories/ entries are stories (tests/render/stories.test.ts reads those back). */
const articleFeeds = (k: ReturnType<typeof kind>): [string, string][] => byKind(k).filter(([path]) => !path.startsWith('/stories/'));
/** Characters XML 1.0 forbids, the non-characters the store holds, and lone surrogates. */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

describe('every document', () => {
  it('covers each format, the archive pages and the filtered variants', () => {
    // 4 subscription documents, 3 + 1 + 1 + 1 archive pages, and the filtered variants.
    expect(byKind('rss').length).toBeGreaterThan(12);
    expect(byKind('atom').length).toBeGreaterThan(12);
    expect(byKind('json').length).toBeGreaterThan(12);
    expect(byKind('opml')).toHaveLength(1);
    // the index page and the pages of the 50 articles it lists
    expect(byKind('html')).toHaveLength(51);
  });

  it('holds no character XML forbids', () => {
    for (const [path, body] of documents) expect(FORBIDDEN.test(body), path).toBe(false);
  });

  it('states every date with a four-digit year between 1990 and now', () => {
    const iso = /\d{4,}-\d{2}-\d{2}T[\d:.]+Z|[+-]\d{6}-\d{2}-\d{2}T/g;
    const rfc822 = /(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} -?\d+ \d{2}:\d{2}:\d{2} GMT/g;
    let seen = 0;
    for (const [path, body] of documents) {
      for (const date of [...body.matchAll(iso), ...body.matchAll(rfc822)].map((m) => m[0])) {
        seen += 1;
        expect(date, path).toMatch(/^(\d{4}-|\w{3}, \d{2} \w{3} \d{4} )/);
        const t = Date.parse(date);
        expect(t >= PLAUSIBLE_FROM && t <= NOW, `${path}: ${date}`).toBe(true);
      }
    }
    expect(seen).toBeGreaterThan(1000);
  });
});

describe('XML documents', () => {
  it('are well-formed (fast-xml-parser)', () => {
    for (const [path, body] of documents) {
      if (kind(path) === 'json' || kind(path) === 'html') continue;
      expect(XMLValidator.validate(body), path).toBe(true);
    }
  });

  it.runIf(hasXmllint())('are well-formed (xmllint --noout)', async () => {
    const xml = [...documents].filter(([path]) => kind(path) !== 'json' && kind(path) !== 'html');
    const files = await writeTemp(Object.fromEntries(xml.map(([path, body], i) => [`${i}.xml`, body])));
    const result = runTool('xmllint', ['--noout', ...files]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('Atom', () => {
  it.runIf(hasJing())('matches the RFC 4287 RELAX NG schema (jing)', async () => {
    const atom = byKind('atom');
    const files = await writeTemp(Object.fromEntries(atom.map(([, body], i) => [`${i}.atom`, body])));
    const result = runTool('jing', ['-c', ATOM_RNC, ...files]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('gives an entry without text its title as summary, not a blank content (the W3C validator warns of either)', () => {
    const body = documents.get('/atom.xml?limit=500')!;
    const entry = body.slice(body.indexOf(`<id>tag:feedrelay,2024:${(1005).toString(16).padStart(16, '0')}</id>`));
    expect(entry.slice(0, entry.indexOf('</entry>'))).not.toMatch(/<content/);
    expect(entry.slice(0, entry.indexOf('</entry>'))).toContain(`<summary type="text">${articles.get((1005).toString(16).padStart(16, '0'))!.title}</summary>`);
    expect(body).not.toMatch(/<content type="html"><\/content>/);
  });

  it('reads back with feedsmith: ids, titles, links, languages and dates', () => {
    for (const [path, body] of articleFeeds('atom')) {
      const feed = parseAtomFeed(body);
      expect(feed.id, path).toMatch(/^tag:feedrelay,2024:feed:/);
      expect(feed.links?.find((l) => l.rel === 'self')?.href, path).toBe(`${ORIGIN}${path}`);
      for (const entry of feed.entries ?? []) {
        const article = articles.get(entry.id!.replace('tag:feedrelay,2024:', ''))!;
        expect(article, path).toBeDefined();
        const title = stripNonXmlChars(article.title);
        // Text with < or & is declared as HTML and escaped; anything else is plain text.
        const html = /[<&]/.test(title);
        expect(entry.title, path).toEqual(html
          ? { type: 'html', value: title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') }
          : { type: 'text', value: title });
        expect(entry.links?.find((l) => l.rel === 'alternate')?.href).toBe(new URL(article.url).href);
        expect(entry.xml?.lang).toBe(article.language);
        expect(Date.parse(entry.published!)).toBeGreaterThanOrEqual(PLAUSIBLE_FROM);
      }
    }
  });
});

describe('RSS', () => {
  it('reads back with feedsmith: guids, titles, links, dates and enclosures', () => {
    for (const [path, body] of articleFeeds('rss')) {
      const feed = parseRssFeed(body);
      expect(feed.atom?.links?.find((l) => l.rel === 'self')?.href, path).toBe(`${ORIGIN}${path}`);
      for (const item of feed.items ?? []) {
        const article = articles.get(item.guid!.value!.replace('tag:feedrelay,2024:', ''))!;
        expect(article, path).toBeDefined();
        const title = stripNonXmlChars(article.title);
        // Plain text, unless it would read as a closing tag: then HTML-escaped (xml.ts).
        expect(item.title, path).toBe(/<\/\w+>/.test(title) ? title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : title);
        expect(item.link).toBe(new URL(article.url).href);
        expect(item.description, path).toBeTruthy();
        if (article.image) expect(item.enclosures?.[0]?.url).toBe(new URL(article.image.url).href);
        expect(Number.isNaN(Date.parse(item.pubDate!))).toBe(false);
      }
    }
  });
});

describe('JSON Feed 1.1', () => {
  const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

  it('has the fields the spec requires, with valid values', () => {
    for (const [path, body] of byKind('json')) {
      const feed = JSON.parse(body) as Record<string, unknown> & { items: Record<string, unknown>[] };
      expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
      expect(typeof feed.title).toBe('string');
      expect(feed.feed_url, path).toBe(`${ORIGIN}${path}`);
      expect(Array.isArray(feed.items)).toBe(true);
      if (feed.next_url !== undefined) expect(() => new URL(feed.next_url as string)).not.toThrow();
      for (const item of feed.items) {
        expect(typeof item.id).toBe('string');
        expect(typeof item.content_html).toBe('string');
        expect(item.date_published).toMatch(RFC3339);
        expect(item.date_modified).toMatch(RFC3339);
        expect(() => new URL(item.url as string)).not.toThrow();
        if (item.image !== undefined) expect(() => new URL(item.image as string)).not.toThrow();
        expect(['zh-Hans', 'zh-Hant']).toContain(item.language);
      }
    }
  });

  it('reads back with feedsmith', () => {
    for (const [path, body] of articleFeeds('json')) {
      const feed = parseJsonFeed(body);
      const article = feed.items?.[0] && articles.get(feed.items[0].id!.replace('tag:feedrelay,2024:', ''));
      if (feed.items?.length) expect(feed.items[0]!.title, path).toBe(stripNonXmlChars(article!.title));
    }
  });
});

describe('OPML', () => {
  it('lists all twelve feeds, each once, grouped by format', () => {
    const opml = parseOpml(documents.get('/opml.xml')!);
    const groups = opml.body?.outlines ?? [];
    expect(groups.map((g) => g.text)).toEqual(['RSS 2.0', 'Atom 1.0', 'JSON Feed 1.1']);
    const urls = groups.flatMap((g) => (g.outlines ?? []).map((o) => o.xmlUrl));
    const expected = ['', '/voa', '/rfi', '/dw'].flatMap((dir) => ['feed.xml', 'atom.xml', 'feed.json'].map((f) => `${ORIGIN}${dir}/${f}`));
    expect(urls.sort()).toEqual(expected.sort());
    for (const outline of groups.flatMap((g) => g.outlines ?? [])) {
      expect(outline.type).toBe('rss');
      expect(outline.text).toBeTruthy();
      expect(outline.htmlUrl).toMatch(/^https:\/\//);
    }
  });
});
