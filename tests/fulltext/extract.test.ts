import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/fulltext/extract.js';
import { cleanArticleHtml } from '../../src/normalize/clean.js';
import { sanitizeHtml } from '../../src/normalize/sanitize.js';
import { fixturePath } from '../support/paths.js';

const fixture = (name: string): string => readFileSync(fixturePath('fulltext', name), 'utf8');

const PAGES = [
  {
    source: 'voa',
    url: 'https://www.voachinese.com/a/state-dept-north-korea/7845000.html',
    image: 'https://gdb.voanews.com/lead-0001_w900.jpg',
    caption: '美国国务院发言人在记者会上。（2024年10月31日）',
    junk: ['首页', '相关新闻', '朝鲜军队抵达库尔斯克', '广告', '读者评论', '这是读者评论', '关于我们', 'window.analytics'],
  },
  {
    source: 'rfi',
    url: 'https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20231206-macron',
    image: 'https://s.rfi.fr/media/display/lead-rfi/w:1280/p:16x9/macron.jpg',
    caption: '法国总统马克龙抵达北京首都机场。',
    junk: ['订阅我们的新闻简报', '下载法广应用程序', '相关文章', '更多新闻', '法律声明', 'NewsArticle'],
  },
  {
    source: 'dw',
    url: 'https://www.dw.com/zh/a-70000001',
    image: 'https://static.dw.com/image/70000001_303.jpg',
    caption: '德国外长贝尔伯克在北京。',
    junk: ['时政风云', 'Twitter', '广告', '相关内容', '读者评论', 'Deutsche Welle', 'dataLayer', 'font-size'],
  },
] as const;

function extractClean(source: string, url: string): string {
  const extracted = extractArticle(fixture(`${source}.html`), source);
  if (!extracted) throw new Error(`nothing extracted from ${source}.html`);
  return sanitizeHtml(cleanArticleHtml(extracted.html, url).html);
}

describe('extractArticle on pages shaped like each outlet', () => {
  it.each(PAGES)('$source: gives the expected article body', ({ source, url }) => {
    expect(extractClean(source, url)).toBe(fixture(`${source}.expected.html`));
  });

  it.each(PAGES)('$source: keeps the lead image and its caption', ({ source, url, image, caption }) => {
    const html = extractClean(source, url);
    expect(html).toContain(`<img src="${image}"`);
    expect(html).toContain(`<figcaption>${caption}</figcaption>`);
  });

  it.each(PAGES)('$source: strips navigation, scripts, ads, related links and comments', ({ source, url, junk }) => {
    const html = extractClean(source, url);
    for (const text of junk) expect(html).not.toContain(text);
  });

  it('reports the og:image for pages whose lead image is outside the body', () => {
    expect(extractArticle(fixture('voa.html'), 'voa')?.image).toBe('https://gdb.voanews.com/lead-0001_w1200.jpg');
  });

  it('falls back to Readability for a source without selectors', () => {
    const extracted = extractArticle(fixture('dw.html'), 'unknown-outlet');
    expect(extracted?.text).toContain('德国外交部长贝尔伯克周一抵达北京');
    expect(extracted?.text).not.toContain('时政风云');
  });

  it('gives nothing for a page with no article text', () => {
    expect(extractArticle('<!doctype html><html><body><nav><a href="/">首页</a></nav></body></html>', 'voa')).toBeUndefined();
  });
});
