/**
 * Converted (`?opencc=`) and filtered (RSSHub's parameters) documents pass the validators the
 * plain ones pass (tests/render/validity.test.ts): xmllint and jing where installed (required in
 * CI), a well-formedness check and feedsmith everywhere. The archive holds the five seeds, a
 * generated archive and the hostile articles of tests/support/articles.ts.
 */
import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedPublisher } from '../../src/render/publisher.js';
import type { Store } from '../../src/store/store.js';
import { seedArticles } from '../support/seeds.js';
import { makeArticle, nastyArticles, ORIGIN, publisherOver, storeOf } from '../support/articles.js';
import { writeTemp } from '../support/tempDir.js';
import { ATOM_RNC, hasJing, hasXmllint, runTool } from '../support/validators.js';

const QUERIES = [
  'opencc=s2tw', 'opencc=t2s', 'opencc=s2hk', 'opencc=s2twp',
  'filter=%E9%80%89%E4%B8%BE%7C%E6%A0%87%E9%A2%98', 'filterout=%E7%AC%AC&filter_case_sensitive=false',
  'filter_author=VOA%7C%E7%BE%8E%E5%9B%BD&opencc=s2t', 'filter_category=DW&filter_time=31622400',
];
const PATHS = ['/feed.xml', '/atom.xml', '/feed.json', '/voa/atom.xml', '/archive/1/feed.xml', '/archive/1/atom.xml', '/archive/2/feed.json'];

let store: Store;
let publisher: FeedPublisher;
const documents = new Map<string, string>();

beforeAll(async () => {
  const generated = Array.from({ length: 60 }, (_, i) => makeArticle(i));
  store = await storeOf([...(await seedArticles()), ...generated, ...nastyArticles()]);
  publisher = await publisherOver(store);
  for (const path of PATHS) {
    for (const query of QUERIES) {
      if (path.includes('/archive/') && query.includes('filter_time')) continue;
      documents.set(`${path}?${query}`, (await publisher.document(ORIGIN, path, query))!.body.toString('utf8'));
    }
  }
  for (const query of ['opencc=s2tw', 'opencc=t2hk']) {
    documents.set(`/?${query}`, (await publisher.document(ORIGIN, '/', query))!.body.toString('utf8'));
    documents.set(`/opml.xml?${query}`, (await publisher.document(ORIGIN, '/opml.xml', query))!.body.toString('utf8'));
  }
}, 60_000);
afterAll(async () => {
  publisher?.close();
  await store?.close();
});

const kind = (key: string): 'rss' | 'atom' | 'json' | 'opml' | 'html' => {
  const path = key.split('?')[0]!;
  if (path.endsWith('/feed.xml')) return 'rss';
  if (path.endsWith('/atom.xml')) return 'atom';
  if (path.endsWith('.json')) return 'json';
  return path === '/opml.xml' ? 'opml' : 'html';
};
const byKind = (k: ReturnType<typeof kind>): [string, string][] => [...documents].filter(([key]) => kind(key) === k);

describe('converted and filtered documents', () => {
  it('cover every format, archive pages, OPML and the index page, and are not empty', () => {
    // Archive pages take no filter_time.
    expect(byKind('rss')).toHaveLength(8 + 7);
    expect(byKind('atom')).toHaveLength(8 + 8 + 7);
    expect(byKind('json')).toHaveLength(8 + 7);
    expect(byKind('opml')).toHaveLength(2);
    expect(byKind('html')).toHaveLength(2);
    const items = byKind('atom').map(([, body]) => (body.match(/<entry /g) ?? []).length);
    expect(items.filter((n) => n > 0).length).toBeGreaterThanOrEqual(12);
  });

  it('are well-formed XML (fast-xml-parser)', () => {
    for (const [key, body] of documents) {
      if (kind(key) === 'json' || kind(key) === 'html') continue;
      expect(XMLValidator.validate(body), key).toBe(true);
    }
  });

  it.runIf(hasXmllint())('are well-formed XML (xmllint --noout)', async () => {
    const xml = [...documents].filter(([key]) => kind(key) !== 'json' && kind(key) !== 'html');
    const files = await writeTemp(Object.fromEntries(xml.map(([, body], i) => [`${i}.xml`, body])));
    const result = runTool('xmllint', ['--noout', ...files]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it.runIf(hasJing())('Atom matches the RFC 4287 RELAX NG schema (jing)', async () => {
    const files = await writeTemp(Object.fromEntries(byKind('atom').map(([, body], i) => [`${i}.atom`, body])));
    const result = runTool('jing', ['-c', ATOM_RNC, ...files]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('read back with feedsmith, each item in a language its document names', () => {
    const languages = ['zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK'];
    for (const [key, body] of byKind('rss')) {
      const feed = parseRssFeed(body);
      expect(feed.atom?.links?.find((l) => l.rel === 'self')?.href, key).toBe(`${ORIGIN}${key}`);
      for (const item of feed.items ?? []) expect(languages, key).toContain(item.dc?.languages?.[0]);
    }
    for (const [key, body] of byKind('atom')) {
      const feed = parseAtomFeed(body);
      for (const entry of feed.entries ?? []) expect(languages, key).toContain(entry.xml?.lang);
    }
    for (const [key, body] of byKind('json')) {
      const feed = parseJsonFeed(body) as { feed_url?: string; items: { language?: string; content_html?: string }[] };
      expect(feed.feed_url, key).toBe(`${ORIGIN}${key}`);
      for (const item of feed.items) {
        expect(languages, key).toContain(item.language);
        expect(typeof item.content_html).toBe('string');
      }
    }
    for (const [key, body] of byKind('opml')) expect(parseOpml(body).body?.outlines, key).toHaveLength(3);
  });

  it('convert what the hostile articles say without letting their text become markup', () => {
    const atom = documents.get('/atom.xml?opencc=s2tw')!;
    const entry = parseAtomFeed(atom).entries!.find((e) => e.id === 'tag:feedrelay,2024:00000000000003e8')!;
    expect(entry.title).toEqual({ type: 'html', value: expect.stringContaining('A]]&gt;B &lt;b&gt;&amp;amp;&lt;/b&gt;') });
    expect(entry.title!.value).toMatch(/^標題 /);
    expect(entry.content?.value).toContain('<a href="https://example.org/?a=1&amp;b=2" rel="noopener noreferrer">a&amp;b</a>');
    expect(entry.content?.value).toMatch(/^<p>正文 \]\]&gt; 與 /);
  });
});
