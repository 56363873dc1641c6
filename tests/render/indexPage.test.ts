import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { readerTime } from '../../src/render/htmlPage.js';
import type { Store } from '../../src/store/store.js';
import { makeArticle, makePublisher, makeStore } from '../support/articles.js';
import { type RunningServer, startServer } from '../support/servers.js';
import { request } from '../support/http.js';

let store: Store;
let server: RunningServer;
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

/** Every stored article, newest first. */
const all = (): Article[] => [hostile, ...Array.from({ length: 60 }, (_, i) => makeArticle(59 - i))];
const shown = (): Article[] => all().slice(0, 50);

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
      expect(item.querySelector('h3 a')?.getAttribute('href')).toBe(`${server.url}/articles/${article.id}.html`);
      expect(item.querySelector('.outlet')?.textContent).toBe({ voa: '美国之音中文网', rfi: '法国国际广播电台', dw: '德国之声中文网' }[article.source]);
    }
  });

  it('shows each published time in the readers\' zone, UTC+8, named, with the instant in datetime', () => {
    const time = document.querySelector('ol.articles li:nth-child(2) time')!;
    const article = makeArticle(59);
    expect(time.getAttribute('datetime')).toBe(new Date(article.published).toISOString());
    expect(time.textContent).toBe(readerTime(article.published));
  });

  it.each([
    [Date.UTC(2024, 9, 30, 13, 46, 40), '2024年10月30日 21:46 北京时间'],
    [Date.UTC(2024, 11, 31, 16, 0), '2025年1月1日 00:00 北京时间'],
    [Date.UTC(2023, 6, 1, 12, 5), '2023年7月1日 20:05 北京时间'],
  ])('writes %d as %s', (t, shown) => {
    expect(readerTime(t)).toBe(shown);
  });

  it('says when the archive last changed', () => {
    const updated = document.querySelector('header time')!;
    // the newest arrival: the hostile article, archived after every generated one
    expect(updated.getAttribute('datetime')).toBe(new Date(Math.max(hostile.archived, hostile.modified)).toISOString());
    expect(updated.parentElement!.textContent).toMatch(/^更新于 /);
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

describe('index page filters', () => {
  const page = async (query: string): Promise<{ status: number; body: string; doc: Document; etag: string }> => {
    const res = await request(`${server.url}/${query}`);
    const body = res.body.toString();
    return { status: res.status, body, doc: parseHTML(body).document as unknown as Document, etag: String(res.headers.etag) };
  };
  const titles = (doc: Document): string[] => [...doc.querySelectorAll('ol.articles h3 a')].map((a) => a.textContent ?? '');

  it('links each outlet and each script, keeping the other choices, and marks the current one', async () => {
    const chips = [...document.querySelectorAll('nav.filters a')].map((a) => [a.textContent, a.getAttribute('href'), a.hasAttribute('aria-current')]);
    expect(chips).toEqual([
      ['全部', `${server.url}/`, true],
      ['德国之声中文网', `${server.url}/?source=dw`, false],
      ['法国国际广播电台', `${server.url}/?source=rfi`, false],
      ['美国之音中文网', `${server.url}/?source=voa`, false],
      ['全部', `${server.url}/`, true],
      ['简体', `${server.url}/?lang=zh-Hans`, false],
      ['繁體', `${server.url}/?lang=zh-Hant`, false],
    ]);
    const { doc } = await page('?source=voa&q=%E7%BB%8F%E6%B5%8E');
    const hrefs = [...doc.querySelectorAll('nav.filters a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toContain(`${server.url}/?source=voa&lang=zh-Hant&q=%E7%BB%8F%E6%B5%8E`);
    expect(hrefs).toContain(`${server.url}/?q=%E7%BB%8F%E6%B5%8E`);
  });

  it('has a search form that needs no script: GET / with q, keeping the outlet and script chosen', async () => {
    const form = document.querySelector('form[role="search"]')!;
    expect(form.getAttribute('method')).toBe('get');
    expect(form.getAttribute('action')).toBe(`${server.url}/`);
    expect(form.querySelector('input[type="search"]')!.getAttribute('name')).toBe('q');
    const { doc } = await page('?source=rfi&lang=zh-Hans');
    const hidden = [...doc.querySelectorAll('form[role="search"] input[type="hidden"]')].map((i) => [i.getAttribute('name'), i.getAttribute('value')]);
    expect(hidden).toEqual([['source', 'rfi'], ['lang', 'zh-Hans']]);
  });

  it('narrows the list by outlet', async () => {
    const { status, doc } = await page('?source=dw');
    expect(status).toBe(200);
    const expected = all().filter((a) => a.source === 'dw').map((a) => a.title);
    expect(titles(doc)).toEqual(expected.slice(0, 50));
    expect(doc.querySelector('#latest')!.textContent).toBe(`德国之声中文网：${expected.length} 篇`);
  });

  it('narrows the list by script and by keyword, and offers the matching feeds', async () => {
    const { doc } = await page('?lang=zh-Hant&q=%E9%81%B8%E8%88%89');
    expect(titles(doc)).toEqual(all().filter((a) => a.language === 'zh-Hant' && (a.title + a.contentHtml).includes('選舉')).map((a) => a.title));
    const feeds = [...doc.querySelectorAll('#latest + p a[type]')].map((a) => a.getAttribute('href'));
    expect(feeds).toEqual(['feed.xml', 'atom.xml', 'feed.json'].map((f) => `${server.url}/${f}?q=%E9%81%B8%E8%88%89&lang=zh-Hant`));
    const input = doc.querySelector('form[role="search"] input[name="q"]')!;
    expect(input.getAttribute('value')).toBe('選舉');
  });

  it('says so when nothing matches', async () => {
    const { status, doc } = await page('?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E8%AF%8D');
    expect(status).toBe(200);
    expect(doc.querySelectorAll('ol.articles li')).toHaveLength(0);
    expect(doc.querySelector('main')!.textContent).toContain('没有符合条件的文章。');
  });

  it.each([
    ['?source=bbc', 400, 'source: expected an outlet\'s id, got "bbc"'],
    ['?source=voa&source=dw', 400, 'source: given more than once'],
    ['?lang=en', 400, 'lang: expected zh-Hans or zh-Hant, got "en"'],
    ['?q=', 400, 'q: expected a keyword, got an empty value'],
  ])('refuses %s with %i naming the parameter', async (query, status, message) => {
    const res = await request(`${server.url}/${query}`);
    expect(res.status).toBe(status);
    expect(res.body.toString()).toContain(message);
  });

  it('ignores parameters it does not take: the same bytes and ETag as without them', async () => {
    const plain = await page('');
    for (const query of ['?utm_source=newsletter&utm_medium=email', '?fbclid=abc', '?limit=5', '?page=2']) {
      const tracked = await page(query);
      expect(tracked.status).toBe(200);
      expect(tracked.etag).toBe(plain.etag);
    }
  });
});
