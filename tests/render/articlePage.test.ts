import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderArticlePage } from '../../src/render/articlePage.js';
import { readerTime } from '../../src/render/htmlPage.js';
import type { FeedPublisher } from '../../src/render/publisher.js';
import type { Store } from '../../src/store/store.js';
import { makeArticle, makePublisher, storeOf } from '../support/articles.js';
import { type RunningServer, startServer } from '../support/servers.js';
import { request } from '../support/http.js';

/** `/articles/<id>.html`: the article's cleaned full text on a page of ours (issue #12). */

const withImage = makeArticle(7, {
  image: { url: 'https://images.weserv.nl/?url=example.org/lead.jpg&w=900', caption: '图片说明' },
  contentHtml: '<p>第一段。</p><figure><img src="https://example.org/inline.jpg" /><figcaption>文内图</figcaption></figure><p>第二段。</p>',
});
const imageInBody = makeArticle(10, {
  image: { url: 'https://example.org/lead.jpg' },
  contentHtml: '<figure><img src="https://example.org/lead.jpg" /><figcaption>说明</figcaption></figure><p>正文。</p>',
});

let store: Store;
let publisher: FeedPublisher;
let server: RunningServer;
beforeAll(async () => {
  store = await storeOf([...Array.from({ length: 6 }, (_, i) => makeArticle(i)), withImage, imageInBody]);
  publisher = makePublisher(store);
  server = await startServer(publisher);
});
afterAll(async () => {
  await server?.close();
  publisher?.close();
  await store?.close();
});

const page = async (id: string) => {
  const res = await request(`${server.url}/articles/${id}.html`);
  return { res, doc: parseHTML(res.body.toString()).document as unknown as Document };
};

describe('the article page', () => {
  it('shows the title, outlet, published time in the readers\' zone, the full text and a link to the original', async () => {
    const { res, doc } = await page(withImage.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(doc.documentElement.getAttribute('lang')).toBe(withImage.language);
    expect(doc.querySelector('h1')!.textContent).toBe(withImage.title);
    expect(doc.querySelector('.meta .outlet')!.textContent).toBe('法国国际广播电台');
    const time = doc.querySelector('.meta time')!;
    expect(time.getAttribute('datetime')).toBe(new Date(withImage.published).toISOString());
    expect(time.textContent).toBe(readerTime(withImage.published));
    expect(res.body.toString()).toContain(`<div class="body">${withImage.contentHtml}</div>`);
    const original = doc.querySelector('a.original')!;
    expect(original.getAttribute('href')).toBe(withImage.url);
    expect(original.getAttribute('rel')).toBe('noopener noreferrer');
    expect(doc.querySelector('link[rel="canonical"]')!.getAttribute('href')).toBe(withImage.url);
    expect(doc.querySelector('.crumb a')!.getAttribute('href')).toBe(`${server.url}/`);
  });

  it('shows the lead image with its caption when the text does not already', async () => {
    const { doc } = await page(withImage.id);
    const lead = doc.querySelector('main > figure')!;
    expect(lead.querySelector('img')!.getAttribute('src')).toBe('https://images.weserv.nl/?url=example.org/lead.jpg&w=900');
    expect(lead.querySelector('figcaption')!.textContent).toBe('图片说明');
    const again = await page(imageInBody.id);
    expect(again.doc.querySelector('main > figure')).toBeNull();
    expect(again.doc.querySelectorAll('img')).toHaveLength(1);
  });

  it('is served like every document: strong ETag, Last-Modified, 304, and a policy that runs nothing', async () => {
    const { res } = await page(withImage.id);
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(res.headers['last-modified']).toBe(new Date(withImage.modified - (withImage.modified % 1000)).toUTCString());
    expect(String(res.headers['content-security-policy'])).toMatch(/^default-src 'none'; img-src https: http:; style-src 'sha256-/);
    const again = await request(`${server.url}/articles/${withImage.id}.html`, { headers: { 'If-None-Match': String(res.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body).toHaveLength(0);
  });

  it.each([
    ['an id nobody has', '/articles/ffffffffffffffff.html'],
    ['an id of the wrong shape', '/articles/0000000000000007x.html'],
    ['upper-case hex', `/articles/${imageInBody.id.toUpperCase()}.html`],
    ['no extension', `/articles/${withImage.id}`],
  ])('answers 404 for %s', async (_what, path) => {
    expect((await request(`${server.url}${path}`)).status).toBe(404);
  });

  it('escapes what the article says outside its sanitised body', () => {
    const hostile = makeArticle(3, { title: '</title><script>alert(1)</script>', summary: '"><script>', url: 'https://www.dw.com/zh/a?x="><script>' });
    const html = renderArticlePage({
      article: hostile,
      source: { id: 'dw', name: 'DW', title: '德国之声中文网', url: 'https://www.dw.com/zh/', language: 'zh-Hans' },
      origin: 'https://feeds.example.org',
      siteTitle: 'feedrelay',
    });
    expect(html).not.toMatch(/<script/i);
    const doc = parseHTML(html).document;
    expect(doc.querySelector('h1')!.textContent).toBe(hostile.title);
    expect(doc.querySelector('a.original')!.getAttribute('href')).toBe('https://www.dw.com/zh/a?x=%22%3E%3Cscript%3E');
  });
});
