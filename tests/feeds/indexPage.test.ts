import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import type { Store } from '../../src/store/store.js';
import { friendlyTime } from '../../src/render/indexPage.js';
import { makeArticle, makePublisher, makeStore, request, startServer, type TestServer } from './support.js';

let store: Store;
let server: TestServer;
let html: string;
let headers: Record<string, unknown>;
let document: Document;
const hostile = makeArticle(200, {
  title: '<script>alert("t")</script> & "引号"',
  summary: '<img src=x onerror=alert(1)>',
  url: 'https://www.voachinese.com/a/"><script>alert(2)</script>',
  image: { url: 'https://images.weserv.nl/?url=x.jpg" onerror="alert(3)' },
});

beforeAll(async () => {
  store = await makeStore(60);
  expect(await store.insert(hostile)).toMatchObject({ result: 'added' });
  server = await startServer(makePublisher(store));
  const res = await request(`${server.url}/`);
  html = res.body.toString();
  headers = res.headers;
  document = parseHTML(html).document as unknown as Document;
});
afterAll(async () => {
  await server?.close();
  await store?.close();
});

const shown = (): Article[] => [hostile, ...Array.from({ length: 60 }, (_, i) => makeArticle(59 - i))].slice(0, 50);

describe('index page', () => {
  it('is an HTML5 page in Chinese, sized for phones', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(document.documentElement.getAttribute('lang')).toBe('zh-Hans');
    expect(document.querySelector('meta[charset]')?.getAttribute('charset')).toBe('utf-8');
    expect(document.querySelector('meta[name="viewport"]')?.getAttribute('content')).toBe('width=device-width, initial-scale=1');
  });

  it('lists the latest 50 articles, newest first, each with its language, outlet and link', () => {
    const items = [...document.querySelectorAll('ol.articles article')];
    expect(items).toHaveLength(50);
    for (const [i, item] of items.entries()) {
      const article = shown()[i]!;
      expect(item.getAttribute('lang')).toBe(article.language);
      expect(item.querySelector('h3 a')?.textContent).toBe(article.title);
      expect(item.querySelector('h3 a')?.getAttribute('href')).toBe(new URL(article.url).href);
      expect(item.querySelector('.outlet')?.textContent).toBe({ voa: '美国之音中文网', rfi: '法国国际广播电台', dw: '德国之声中文网' }[article.source]);
    }
  });

  it('shows each published time readably, with a machine-readable datetime', () => {
    const time = document.querySelector('ol.articles li:nth-child(2) time')!;
    const article = makeArticle(59);
    expect(time.getAttribute('datetime')).toBe(new Date(article.published).toISOString());
    expect(time.textContent).toBe(friendlyTime(article.published));
    expect(friendlyTime(Date.UTC(2024, 9, 30, 13, 46, 40))).toBe('2024年10月30日 13:46 UTC');
  });

  it('shows the lead image as a lazy thumbnail where there is one', () => {
    const items = [...document.querySelectorAll('ol.articles article')];
    for (const [i, item] of items.entries()) {
      const img = item.querySelector('img.thumb');
      expect(Boolean(img)).toBe(Boolean(shown()[i]!.image));
      if (img) {
        expect(img.getAttribute('src')).toBe(new URL(shown()[i]!.image!.url).href);
        expect(img.getAttribute('loading')).toBe('lazy');
        expect(img.getAttribute('alt')).toBe('');
      }
    }
  });

  it('has an autodiscovery link for each of the twelve feeds', () => {
    const links = [...document.querySelectorAll('link[rel="alternate"]')].map((l) => [l.getAttribute('type'), l.getAttribute('href')]);
    const expected = ['', '/dw', '/rfi', '/voa'].flatMap((dir) => [
      ['application/rss+xml', `${server.url}${dir}/feed.xml`],
      ['application/atom+xml', `${server.url}${dir}/atom.xml`],
      ['application/feed+json', `${server.url}${dir}/feed.json`],
    ]);
    expect(links).toEqual(expected);
    for (const link of document.querySelectorAll('link[rel="alternate"]')) expect(link.getAttribute('title')).toBeTruthy();
  });

  it('links every feed, OPML and the archive in the page body', () => {
    const hrefs = [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href'));
    for (const dir of ['', '/dw', '/rfi', '/voa']) {
      for (const file of ['feed.xml', 'atom.xml', 'feed.json']) expect(hrefs).toContain(`${server.url}${dir}/${file}`);
    }
    expect(hrefs).toContain(`${server.url}/opml.xml`);
    expect(hrefs).toContain(`${server.url}/archive/2/atom.xml`);
  });

  it('escapes what the articles say: no markup of theirs becomes markup of ours', () => {
    expect(document.querySelectorAll('script')).toHaveLength(0);
    expect(html).not.toMatch(/<script/i);
    for (const el of document.querySelectorAll('*')) {
      expect([...el.attributes].map((a) => a.name).filter((n) => n.startsWith('on'))).toEqual([]);
    }
    const first = document.querySelector('ol.articles article')!;
    expect(first.querySelector('h3 a')!.textContent).toBe(hostile.title);
    expect(first.querySelector('.summary')!.textContent).toBe(hostile.summary);
    expect(first.querySelector('img.thumb')!.getAttribute('src')).toBe('https://images.weserv.nl/?url=x.jpg%22%20onerror=%22alert(3)');
  });

  it('runs no script and allows only its own style (Content-Security-Policy)', () => {
    const csp = String(headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src/);
  });
});
