import { readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import type { Article } from '../../src/model.js';
import type { StatusDocument } from '../../src/refresh/status.js';
import { createService, type Service } from '../../src/service.js';
import { FULL_TEXT_RETRY } from '../../src/fulltext/fullText.js';
import { manualClock } from '../support/clock.js';
import { fixtureBytes } from '../support/paths.js';
import { type FixtureServer, serveBytes, serveHang, serveStatus, startFixtureServer } from '../support/upstream.js';
import { liveConfig, liveDirs, type LiveDirs, removeLiveDirs } from '../support/live.js';

/** Issue #6: live articles get their page's full text; failures keep the summary and are retried. */

const T0 = Date.UTC(2024, 10, 1, 8, 0, 0);
const page = (name: string): Promise<Buffer> => fixtureBytes('fulltext', name);

let server: FixtureServer;
let dirs: LiveDirs;
let services: Service[];
const clock = manualClock(T0);

interface Item {
  path: string;
  title: string;
  summary: string;
}

const VOA_ITEMS: Item[] = [
  { path: '/voa/ok.html', title: '美国国务院就朝鲜派兵发表声明', summary: '美国国务院表示，朝鲜向俄罗斯派遣军队是一个危险的事态发展。' },
  { path: '/voa/later.html', title: '稍后才能访问的文章', summary: '这篇文章的页面第一次请求时不存在。' },
  { path: '/voa/hung.html', title: '服务器不响应的文章', summary: '这篇文章的页面永远不会完整返回。' },
  { path: '/voa/gbk.html', title: '中国经济数据公布', summary: '第三季度国内生产总值同比增长。' },
];
const RFI_ITEMS: Item[] = [{ path: '/rfi/macron.html', title: '法国总统访问北京', summary: '法国总统马克龙周三抵达北京。' }];
const DW_ITEMS: Item[] = [{ path: '/dw/baerbock.html', title: '德国外长访华', summary: '德国外长贝尔伯克抵达北京。' }];

function rss(items: Item[]): string {
  const entries = items.map((item, i) => `<item><title>${item.title}</title><link>${server.url(item.path)}</link>`
    + `<guid>${server.url(item.path)}</guid><pubDate>Fri, 01 Nov 2024 0${i}:00:00 GMT</pubDate>`
    + `<description>${item.summary}</description></item>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>${server.origin}</link><description>d</description>${entries}</channel></rss>`;
}

async function writeSources(): Promise<void> {
  await mkdir(dirs.feeds, { recursive: true });
  for (const [id, title] of [['voa', '美国之音中文网'], ['rfi', '法国国际广播电台'], ['dw', '德国之声中文网']] as const) {
    // The outlet's site is the fixture server, so its links are this source's after a restart too.
    const definition = { title, url: `${server.origin}/${id}/`, feeds: [server.url(`/${id}.xml`)], language: 'zh-Hans', fullText: true };
    await writeFile(join(dirs.feeds, `${id}.json`), JSON.stringify(definition));
  }
}

async function start(): Promise<Service> {
  const service = await createService(liveConfig(dirs, ['--fetch-timeout', '1', '--page-delay', '0']), silentLog, { now: clock.now, random: () => 0.5 });
  services.push(service);
  await service.refresh({ live: false });
  return service;
}

async function article(service: Service, path: string): Promise<Article> {
  const found = (await service.store.newest({}, 500)).find((a) => a.url === server.url(path));
  if (!found) throw new Error(`no article for ${path}`);
  return found;
}

async function fullText(service: Service, source: string): Promise<StatusDocument['sources'][number]['fullText'] | undefined> {
  return (await service.status()).sources.find((s) => s.id === source)?.fullText;
}

/** Every stored article's id, in arrival order. */
async function arrivals(service: Service): Promise<string[]> {
  return (await service.store.byArrival({}, 0, 500)).map((a) => a.id);
}

function pageRequests(path: string): number {
  return server.requests.filter((r) => r.path === path).length;
}

beforeEach(async () => {
  clock.set(T0);
  server = await startFixtureServer();
  server.route('/voa.xml', serveBytes(rss(VOA_ITEMS)));
  server.route('/rfi.xml', serveBytes(rss(RFI_ITEMS)));
  server.route('/dw.xml', serveBytes(rss(DW_ITEMS)));
  server.route('/voa/ok.html', serveBytes(await page('voa.html'), { 'Content-Type': 'text/html; charset=utf-8' }));
  server.route('/voa/later.html', serveStatus(404));
  server.route('/voa/hung.html', serveHang());
  // Declared only in <meta http-equiv>: the header names no charset.
  server.route('/voa/gbk.html', serveBytes(await page('voa-gbk.html'), { 'Content-Type': 'text/html' }));
  server.route('/rfi/macron.html', serveBytes(await page('rfi.html'), { 'Content-Type': 'text/html; charset=utf-8' }));
  server.route('/dw/baerbock.html', serveBytes(await page('dw.html'), { 'Content-Type': 'text/html; charset=utf-8' }));
  dirs = await liveDirs('fulltext');
  services = [];
  await writeSources();
});
afterEach(async () => {
  for (const service of services) await service.close();
  await server.close();
  await removeLiveDirs(dirs);
});

describe('full text for live articles', () => {
  it('stores the page body, not the feed summary, for each outlet', async () => {
    const service = await start();
    await service.refresh({ live: true });
    expect((await article(service, '/voa/ok.html')).contentHtml).toContain('发言人在例行记者会上说');
    expect((await article(service, '/rfi/macron.html')).contentHtml).toContain('爱丽舍宫表示');
    expect((await article(service, '/dw/baerbock.html')).contentHtml).toContain('中国外交部发言人表示');
    for (const path of ['/voa/ok.html', '/rfi/macron.html', '/dw/baerbock.html']) {
      expect((await article(service, path)).contentHtml).not.toMatch(/首页|相关新闻|相关文章|读者评论|广告/);
    }
  });

  it('keeps the lead image and its caption from the page', async () => {
    const service = await start();
    await service.refresh({ live: true });
    expect((await article(service, '/voa/ok.html')).image).toEqual({
      url: 'https://gdb.voanews.com/lead-0001_w900.jpg',
      caption: '美国国务院发言人在记者会上。（2024年10月31日）',
    });
    expect((await article(service, '/dw/baerbock.html')).contentHtml).toContain('<figcaption>德国外长贝尔伯克在北京。</figcaption>');
  });

  it('decodes a GBK page declared only in <meta charset>', async () => {
    const service = await start();
    await service.refresh({ live: true });
    const html = (await article(service, '/voa/gbk.html')).contentHtml;
    expect(html).toContain('第三季度国内生产总值同比增长百分之四点六');
    expect(html).toContain('镕基、喆、堃等字也能正确显示');
  });

  it('publishes the full text in the merged feeds', async () => {
    const service = await start();
    await service.refresh({ live: true });
    const json = JSON.parse((await service.publisher.render({ key: 'all', format: 'json', origin: 'http://localhost' })).body.toString('utf8')) as {
      items: { url: string; content_html: string }[];
    };
    const item = json.items.find((i) => i.url === server.url('/rfi/macron.html'));
    expect(item?.content_html).toContain('分析人士认为，欧洲正试图在与中国的经济往来和安全关切之间寻找平衡');
  });

  it('stores the summary for a 404 or a hung page and counts them in /status', async () => {
    const service = await start();
    await service.refresh({ live: true });
    expect((await article(service, '/voa/later.html')).contentHtml).toBe('这篇文章的页面第一次请求时不存在。');
    expect((await article(service, '/voa/hung.html')).contentHtml).toBe('这篇文章的页面永远不会完整返回。');
    expect(await fullText(service, 'voa')).toEqual({ succeeded: 2, failed: 2, pending: 2, gaveUp: 0 });
    expect(await fullText(service, 'rfi')).toEqual({ succeeded: 1, failed: 0, pending: 0, gaveUp: 0 });
  });

  it('never fetches a page it has extracted again', async () => {
    const service = await start();
    await service.refresh({ live: true });
    for (let i = 0; i < 3; i += 1) {
      clock.advance(FULL_TEXT_RETRY.maxDelayMs);
      await service.refresh({ live: true });
    }
    expect(pageRequests('/voa/ok.html')).toBe(1);
    expect(pageRequests('/voa/gbk.html')).toBe(1);
    expect(pageRequests('/rfi/macron.html')).toBe(1);
  });

  it('does not retry before the retry time', async () => {
    const service = await start();
    await service.refresh({ live: true });
    clock.advance(FULL_TEXT_RETRY.retryDelayMs - 1);
    await service.refresh({ live: true });
    expect(pageRequests('/voa/later.html')).toBe(1);
  });

  it('retries a failed page on a later refresh and rewrites the article in place', async () => {
    const service = await start();
    await service.refresh({ live: true });
    const before = await article(service, '/voa/later.html');
    const order = await arrivals(service);

    server.route('/voa/later.html', serveBytes(await page('voa.html'), { 'Content-Type': 'text/html; charset=utf-8' }));
    clock.advance(FULL_TEXT_RETRY.retryDelayMs);
    await service.refresh({ live: true });

    const after = await article(service, '/voa/later.html');
    expect(after.id).toBe(before.id);
    expect(after.contentHtml).toContain('发言人在例行记者会上说');
    expect(after.modified).toBe(T0 + FULL_TEXT_RETRY.retryDelayMs);
    expect(after.published).toBe(before.published);
    expect(after.url).toBe(before.url);
    // in place: no new article, the same arrival numbers, and no files in the data folder
    expect(await arrivals(service)).toEqual(order);
    expect(await service.store.count({ q: '发言人在例行记者会上说' })).toBe(2);
    expect((await readdir(dirs.data)).filter((n) => n.endsWith('.txt') || n.endsWith('.tmp'))).toEqual([]);
    expect(await fullText(service, 'voa')).toMatchObject({ succeeded: 3, pending: 1 });
  });

  it('shows the retried article modified in every output, and a restart keeps it', async () => {
    const service = await start();
    await service.refresh({ live: true });
    server.route('/voa/later.html', serveBytes(await page('voa.html'), { 'Content-Type': 'text/html; charset=utf-8' }));
    clock.advance(FULL_TEXT_RETRY.retryDelayMs);
    await service.refresh({ live: true });
    const modified = new Date(T0 + FULL_TEXT_RETRY.retryDelayMs).toISOString();
    const atom = (await service.publisher.render({ key: 'voa', format: 'atom', origin: 'http://localhost' })).body.toString('utf8');
    expect(atom).toContain(`<updated>${modified}</updated>`);
    const json = JSON.parse((await service.publisher.render({ key: 'voa', format: 'json', origin: 'http://localhost' })).body.toString('utf8')) as {
      items: { url: string; date_modified?: string }[];
    };
    expect(json.items.find((i) => i.url === server.url('/voa/later.html'))?.date_modified).toBe(modified);

    await service.close();
    const restarted = await start();
    const reloaded = await article(restarted, '/voa/later.html');
    expect(reloaded.contentHtml).toContain('发言人在例行记者会上说');
    expect(new Date(reloaded.modified).toISOString()).toBe(modified);
    expect(reloaded.source).toBe('voa');
  });

  it('gives up after the allowed attempts and keeps the summary', async () => {
    const service = await start();
    await service.refresh({ live: true });
    for (let i = 1; i < FULL_TEXT_RETRY.maxAttempts + 2; i += 1) {
      clock.advance(FULL_TEXT_RETRY.maxDelayMs);
      await service.refresh({ live: true });
    }
    expect(pageRequests('/voa/hung.html')).toBe(FULL_TEXT_RETRY.maxAttempts);
    expect((await article(service, '/voa/hung.html')).contentHtml).toBe('这篇文章的页面永远不会完整返回。');
    // later.html stays a 404 here, so it is given up on as well.
    expect(await fullText(service, 'voa')).toMatchObject({ pending: 0, gaveUp: 2 });
  }, 30_000);

  it('keeps pending retries across a restart', async () => {
    const service = await start();
    await service.refresh({ live: true });
    await service.close();
    const restarted = await start();
    expect(await fullText(restarted, 'voa')).toEqual({ succeeded: 2, failed: 2, pending: 2, gaveUp: 0 });
    expect((await restarted.store.fullTextState()).pending.map((p) => [p.url, p.attempts, p.nextTry]).sort()).toEqual([
      [server.url('/voa/hung.html'), 1, T0 + FULL_TEXT_RETRY.retryDelayMs],
      [server.url('/voa/later.html'), 1, T0 + FULL_TEXT_RETRY.retryDelayMs],
    ]);
    // and the restarted service retries them when due
    server.route('/voa/later.html', serveBytes(await page('voa.html'), { 'Content-Type': 'text/html; charset=utf-8' }));
    clock.advance(FULL_TEXT_RETRY.retryDelayMs);
    await restarted.refresh({ live: true });
    expect((await article(restarted, '/voa/later.html')).contentHtml).toContain('发言人在例行记者会上说');
  });

  it('stores live articles in the store only, so the next scan reads nothing again', async () => {
    const service = await start();
    await service.refresh({ live: true });
    const count = await service.store.count({});
    const rescan = await service.refresh({ live: false });
    // Only the seed folder is scanned (the data folder of an earlier release is imported once, on the first refresh).
    expect(rescan.archives).toEqual([{ dir: dirs.seeds, result: { added: 0, duplicates: 0, errors: [] } }]);
    expect((await readdir(dirs.data)).filter((n) => n.endsWith('.txt'))).toEqual([]);
    expect(await service.store.count({})).toBe(count);
    expect((await article(service, '/voa/ok.html')).contentHtml).toContain('发言人在例行记者会上说');
  });

  it('sends the feedrelay User-Agent for pages', async () => {
    const service = await start();
    await service.refresh({ live: true });
    const request = server.requests.find((r) => r.path === '/voa/ok.html');
    expect(request?.headers['user-agent']).toMatch(/^feedrelay\//);
    expect(request?.headers.accept).toMatch(/^text\/html/);
  });
});
