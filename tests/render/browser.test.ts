import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import type { Store } from '../../src/store/store.js';
import { canRun, CHECKS } from '../support/checks.js';
import { ROOT } from '../support/paths.js';
import { makeArticle, makePublisher, storeOf } from '../support/articles.js';
import { type RunningServer, startServer } from '../support/servers.js';

/**
 * The index page and an article page as readers see them: Chromium with a CJK font, at desktop
 * and phone sizes, no JavaScript. Screenshots are kept in test-output/ for a person to look at.
 */

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(ROOT, 'test-output');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 740 };
/** Apple HIG and WCAG 2.5.5: a tap target of at least 44 by 44 CSS pixels. */
const TAP = 44;

// Without a CJK font the page would be measured and photographed in boxes of tofu.
const ready = canRun(CHECKS.chromium) && canRun(CHECKS.cjkFont);

/** A solid-colour PNG, so thumbnails show without the test touching the internet. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PHOTO = png(320, 180, [70, 110, 160]);
/** Every fifth article's image is gone upstream (404). */
const broken = (i: number): boolean => i % 5 === 0;

function article(i: number): Article {
  const base = makeArticle(i);
  const image = { url: `https://images.weserv.nl/?url=example.org/${broken(i) ? 'gone' : 'photo'}-${i}.jpg`, caption: '头图说明' };
  return makeArticle(i, {
    image,
    summary: `${base.title}：这是一段较长的摘要，用来看看三行截断与中文排版在桌面和手机上的样子。`,
    contentHtml: `<p>${base.title}的正文第一段，讲述事件经过。</p><figure><img src="https://images.weserv.nl/?url=example.org/inline-${i}.jpg" /><figcaption>文内图片说明</figcaption></figure><p>第二段：各方回应与背景。</p>`,
  });
}

describe.runIf(ready)('index page in Chromium', () => {
  let store: Store;
  let server: RunningServer;
  let browser: Browser;
  const external: string[] = [];

  beforeAll(async () => {
    store = await storeOf(Array.from({ length: 40 }, (_, i) => article(i)));
    server = await startServer(makePublisher(store));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await mkdir(OUTPUT, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  async function open(viewport: { width: number; height: number }, path = '/') {
    const context = await browser.newContext({ viewport, javaScriptEnabled: false, locale: 'zh-CN', isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
    const page = await context.newPage();
    // Anything not ours (the thumbnails' hosts) is answered locally: tests never reach the internet.
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      // A lazy image may still be loading when the context closes; its route then fails harmlessly.
      if (url.startsWith(server.url)) return route.continue().catch(() => undefined);
      external.push(url);
      if (url.includes('gone-')) return route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' }).catch(() => undefined);
      return route.fulfill({ status: 200, contentType: 'image/png', body: PHOTO }).catch(() => undefined);
    });
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status()).toBe(200);
    return { context, page };
  }

  async function close(page: Page): Promise<void> {
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.context().close();
  }

  /** Scrolls through the page so every lazy image is asked for and settles. */
  async function loadAllImages(page: Page): Promise<void> {
    const thumbs = page.locator('img.thumb');
    for (let i = 0; i < await thumbs.count(); i += 1) await thumbs.nth(i).scrollIntoViewIfNeeded();
    await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).complete)), { timeout: 10_000 }).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
  }

  it('shows the articles and offers every feed for autodiscovery, without JavaScript', async () => {
    const { page } = await open(DESKTOP);
    try {
      await expect.poll(() => page.locator('ol.articles article').count()).toBe(40);
      expect(await page.locator('ol.articles article').first().getAttribute('lang')).toBe(article(39).language);
      expect(await page.locator('ol.articles article h3 a').first().textContent()).toBe(article(39).title);
      const feeds = await page.locator('link[rel="alternate"]').evaluateAll((links) =>
        links.map((l) => `${l.getAttribute('type')} ${(l as HTMLLinkElement).href}`));
      expect(feeds).toHaveLength(12);
      expect(feeds).toContain(`application/rss+xml ${server.url}/feed.xml`);
      expect(feeds).toContain(`application/atom+xml ${server.url}/voa/atom.xml`);
      expect(feeds).toContain(`application/feed+json ${server.url}/dw/feed.json`);
      await loadAllImages(page);
      expect(external.every((u) => u.startsWith('https://images.weserv.nl/'))).toBe(true);
      await page.screenshot({ path: join(OUTPUT, 'index-desktop.png') });
      await page.screenshot({ path: join(OUTPUT, 'index-desktop-full.png'), fullPage: true });
    } finally {
      await close(page);
    }
  }, 60_000);

  it.each([['desktop', DESKTOP], ['phone', PHONE]] as const)('leaves no box where a thumbnail failed to load (%s)', async (_name, viewport) => {
    const { page } = await open(viewport);
    try {
      await loadAllImages(page);
      const boxes = await page.locator('img.thumb').evaluateAll((imgs) => imgs.map((img) => {
        const r = img.getBoundingClientRect();
        return { src: (img as HTMLImageElement).src, loaded: (img as HTMLImageElement).naturalWidth > 0, width: r.width, height: r.height };
      }));
      expect(boxes).toHaveLength(40);
      const max = viewport === PHONE ? 88 : 120;
      for (const box of boxes) {
        if (box.src.includes('gone-')) expect(box, box.src).toMatchObject({ loaded: false, width: 0, height: 0 });
        else expect(box, box.src).toMatchObject({ loaded: true, width: max, height: max * 9 / 16 });
      }
    } finally {
      await close(page);
    }
  }, 60_000);

  it('shows times in Beijing time, named so, with the instant kept in datetime', async () => {
    const { page } = await open(DESKTOP);
    try {
      const first = page.locator('ol.articles time').first();
      expect(await first.getAttribute('datetime')).toBe(new Date(article(39).published).toISOString());
      // 2024-01-02T15:00Z is 23:00 in UTC+8
      expect(await first.textContent()).toBe('2024年1月2日 23:00 北京时间');
      expect(await page.locator('header time').textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 北京时间$/);
    } finally {
      await close(page);
    }
  }, 60_000);

  it('fits a phone screen: no sideways scrolling, no date broken across lines, tap targets of 44 px', async () => {
    const { page } = await open(PHONE);
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const lines = await page.locator('time').evaluateAll((times) => times.map((t) => {
        const range = document.createRange();
        range.selectNodeContents(t);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }));
      expect(lines.length).toBeGreaterThan(40);
      expect(lines.every((n) => n === 1)).toBe(true);
      const targets = await page.locator('ul.feeds a, a.tap, nav.filters a, form.search input, form.search button').evaluateAll((els) =>
        els.map((el) => ({ text: el.textContent || el.getAttribute('name'), ...(({ width, height }) => ({ width, height }))(el.getBoundingClientRect()) })));
      expect(targets.length).toBeGreaterThan(25);
      for (const t of targets) {
        expect(t.height, String(t.text)).toBeGreaterThanOrEqual(TAP);
        expect(t.width, String(t.text)).toBeGreaterThanOrEqual(TAP);
      }
      await loadAllImages(page);
      await page.screenshot({ path: join(OUTPUT, 'index-phone.png') });
      await page.screenshot({ path: join(OUTPUT, 'index-phone-full.png'), fullPage: true });
      await page.locator('section[aria-labelledby="feeds"]').screenshot({ path: join(OUTPUT, 'index-phone-feeds.png') });
      // articles 35 and 30 have images that failed: no frame where they would be
      await page.locator('ol.articles li').nth(4).screenshot({ path: join(OUTPUT, 'index-phone-failed-thumbnail.png') });
    } finally {
      await close(page);
    }
  }, 60_000);

  it('filters by outlet and by script through links, and searches through a form, all without script', async () => {
    const { page } = await open(PHONE);
    try {
      await page.getByRole('link', { name: '美国之音中文网' }).first().click();
      await page.waitForURL(`${server.url}/?source=voa`);
      const outlets = await page.locator('ol.articles .outlet').allTextContents();
      expect(outlets.length).toBe(14);
      expect(new Set(outlets)).toEqual(new Set(['美国之音中文网']));
      await page.getByRole('link', { name: '繁體' }).click();
      await page.waitForURL(`${server.url}/?source=voa&lang=zh-Hant`);
      // VOA's are every third article, Traditional every fourth: 0, 12, 24, 36
      expect(await page.locator('ol.articles h3 a').allTextContents()).toEqual([36, 24, 12, 0].map((i) => article(i).title));
      await page.getByRole('searchbox').fill('第24篇');
      await page.getByRole('button', { name: '搜索' }).click();
      await page.waitForURL(/\?source=voa&lang=zh-Hant&q=/);
      expect(await page.locator('ol.articles h3 a').allTextContents()).toEqual([article(24).title]);
      expect(await page.locator('#latest').textContent()).toBe('美国之音中文网 · 繁體 · 「第24篇」：1 篇');
      await page.screenshot({ path: join(OUTPUT, 'index-phone-search.png'), fullPage: true });
    } finally {
      await close(page);
    }
  }, 60_000);

  it.each([['desktop', DESKTOP], ['phone', PHONE]] as const)('opens each title on a page of ours with the full text (%s)', async (name, viewport) => {
    const { page } = await open(viewport);
    try {
      const target = article(33);
      await page.getByRole('link', { name: target.title }).click();
      await page.waitForURL(`${server.url}/articles/${target.id}.html`);
      expect(await page.locator('h1').textContent()).toBe(target.title);
      expect(await page.locator('.meta .outlet').textContent()).toBe('美国之音中文网');
      expect(await page.locator('.body p').first().textContent()).toBe(`${target.title}的正文第一段，讲述事件经过。`);
      expect(await page.locator('a.original').getAttribute('href')).toBe(target.url);
      await expect.poll(() => page.locator('img').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).complete))).toBe(true);
      // every image, the lead one too, within the text column
      const column = await page.locator('.body').evaluate((el) => el.getBoundingClientRect().right);
      const rights = await page.locator('main img').evaluateAll((imgs) => imgs.map((img) => img.getBoundingClientRect().right));
      expect(rights).toHaveLength(2);
      for (const right of rights) expect(right).toBeLessThanOrEqual(column + 0.5);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(OUTPUT, `article-${name}.png`), fullPage: true });
    } finally {
      await close(page);
    }
  }, 60_000);
});
