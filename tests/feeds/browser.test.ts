import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { available, makeArticle, makePublisher, makeStore, REPO, startServer, type TestServer } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(REPO, 'test-output');
const hasChromium = available('chromium', existsSync(CHROMIUM), 'apt-get install chromium');

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

describe.runIf(hasChromium)('index page in Chromium', () => {
  let store: Store;
  let server: TestServer;
  let browser: Browser;
  const external: string[] = [];

  beforeAll(async () => {
    store = await makeStore(40);
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

  async function open(viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport, javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    // Anything not ours (the thumbnails' hosts) is answered locally: tests never reach the internet.
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      // A lazy image may still be loading when the context closes; its route then fails harmlessly.
      if (url.startsWith(server.url)) return route.continue().catch(() => undefined);
      external.push(url);
      return route.fulfill({ status: 200, contentType: 'image/png', body: png(16, 9, [70, 110, 160]) }).catch(() => undefined);
    });
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(200);
    return { context, page };
  }

  it('shows the articles and offers every feed for autodiscovery, without JavaScript', async () => {
    const { context, page } = await open({ width: 1280, height: 900 });
    try {
      await expect.poll(() => page.locator('ol.articles article').count()).toBe(40);
      expect(await page.locator('ol.articles article').first().getAttribute('lang')).toBe(makeArticle(39).language);
      expect(await page.locator('ol.articles article h3 a').first().textContent()).toBe(makeArticle(39).title);
      const feeds = await page.locator('link[rel="alternate"]').evaluateAll((links) =>
        links.map((l) => `${l.getAttribute('type')} ${(l as HTMLLinkElement).href}`));
      expect(feeds).toHaveLength(12);
      expect(feeds).toContain(`application/rss+xml ${server.url}/feed.xml`);
      expect(feeds).toContain(`application/atom+xml ${server.url}/voa/atom.xml`);
      expect(feeds).toContain(`application/feed+json ${server.url}/dw/feed.json`);
      const thumbs = page.locator('img.thumb');
      await thumbs.first().scrollIntoViewIfNeeded();
      await expect.poll(() => thumbs.first().evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(16);
      expect(external.every((u) => u.startsWith('https://images.weserv.nl/'))).toBe(true);
      await page.screenshot({ path: join(OUTPUT, 'index.png'), fullPage: false });
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await context.close();
    }
  }, 60_000);

  it('fits a phone screen without sideways scrolling', async () => {
    const { context, page } = await open({ width: 375, height: 740 });
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(OUTPUT, 'index-phone.png') });
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await context.close();
    }
  }, 60_000);
});
