import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { exportArchive } from '../../src/interchange/exportArchive.js';
import type { Article } from '../../src/model.js';
import { canonicalUrl } from '../../src/normalize/canonicalUrl.js';
import { createService, type Service } from '../../src/service.js';
import { fixtureBytes } from '../support/paths.js';
import { SEED_IDS } from '../support/seeds.js';
import { manualClock } from '../support/clock.js';
import { type FixtureServer, serveBytes, startFixtureServer } from '../support/upstream.js';
import { type Definition, liveConfig, liveDirs, type LiveDirs, outletDefinitions, outletRoutes, removeLiveDirs, writeDefinitions } from '../support/live.js';

/** Live refresh through the whole service: fixture feeds on 127.0.0.1 → the store (SQLite in the data folder). */

const T0 = Date.UTC(2024, 9, 31, 12, 0, 0);

let server: FixtureServer;
let dirs: LiveDirs;
let services: Service[];
const clock = manualClock(T0);

beforeEach(async () => {
  clock.set(T0);
  server = await startFixtureServer({
    ...(await outletRoutes()),
    '/atom.xml': serveBytes(await fixtureBytes('live', 'atom.xml'), { 'Content-Type': 'application/atom+xml' }),
    '/gbk.xml': serveBytes(await fixtureBytes('live', 'gbk.xml'), { 'Content-Type': 'text/xml' }),
    '/big5.xml': serveBytes(await fixtureBytes('live', 'big5.xml'), { 'Content-Type': 'application/rss+xml; charset=big5' }),
  });
  dirs = await liveDirs('refresh');
  services = [];
});
afterEach(async () => {
  for (const service of services) await service.close();
  await server.close();
  await removeLiveDirs(dirs);
});

function allDefinitions(): Definition[] {
  return [
    ...outletDefinitions(server),
    { id: 'example', title: '示例新闻', url: 'https://news.example.org/', feeds: [server.url('/atom.xml')] },
    { id: 'gbk', title: 'GBK 测试', url: 'https://gbk.example.cn/', feeds: [server.url('/gbk.xml')] },
    { id: 'big5', title: 'Big5 測試', url: 'https://big5.example.tw/', feeds: [server.url('/big5.xml')], language: 'zh-Hant' },
  ];
}

async function start(definitions: Definition[] = allDefinitions(), extra: string[] = []): Promise<Service> {
  await writeDefinitions(dirs.feeds, definitions);
  const service = await open(extra);
  await service.refresh({ live: false });
  return service;
}

/** A service on the test's folders, closed after the test. */
async function open(extra: string[] = [], env: Parameters<typeof createService>[2] = { now: clock.now, random: () => 0.5 }): Promise<Service> {
  const service = await createService(liveConfig(dirs, extra), silentLog, env);
  services.push(service);
  return service;
}

/** Everything stored, newest published first. */
function all(service: Service): Promise<Article[]> {
  return service.store.newest({}, 500);
}

async function titles(service: Service, source?: string): Promise<string[]> {
  return (await all(service)).filter((a) => source === undefined || a.source === source).map((a) => a.title);
}

describe('a live refresh', () => {
  it('stores every new article of RSS 2.0 (VOA, RFI), RDF (DW), Atom, GBK and Big5 feeds', async () => {
    const service = await start();
    const report = await service.refresh({ live: true });
    expect(report.live?.ok).toBe(true);
    // sources in id order; VOA, RFI and DW each carry one seed in another spelling
    expect(report.live?.feeds.map((f) => [f.source, f.outcome, f.state.httpStatus, f.state.itemsSeen, f.state.itemsNew])).toEqual([
      ['big5', 'fetched', 200, 2, 2],
      ['dw', 'fetched', 200, 3, 2],
      ['example', 'fetched', 200, 2, 2],
      ['gbk', 'fetched', 200, 2, 2],
      ['rfi', 'fetched', 200, 2, 1],
      ['voa', 'fetched', 200, 3, 2],
    ]);
    expect(await service.store.count({})).toBe(5 + 11);
    expect(await service.store.count({ source: 'gbk' })).toBe(2);
    // Live articles go to the store only: no NNN_<id>.txt is written into the data folder any more.
    expect((await readdir(dirs.data)).filter((n) => n.endsWith('.txt'))).toEqual([]);
  });

  it('gets GBK and Big5 titles exactly', async () => {
    const service = await start();
    await service.refresh({ live: true });
    expect(await titles(service, 'gbk')).toEqual(['朱镕基回忆录再版 “国务院总理”一章增补', '长江流域秋汛 湖北启动四级应急响应']);
    // The feed says 颱風康芮登陸臺灣<U+3000>全臺停班停課 (charset.test.ts reads it so); title normalisation
    // (toPlainText) folds every run of white space, the ideographic space included, into one ASCII space.
    expect(await titles(service, 'big5')).toEqual(['颱風康芮登陸臺灣 全臺停班停課', '立法院三讀通過《財政收支劃分法》修正案']);
    expect((await all(service)).filter((a) => a.source === 'big5').map((a) => a.language)).toEqual(['zh-Hant', 'zh-Hant']);
  });

  it('never stores a seed again when upstream sends its URL in another form', async () => {
    const service = await start();
    const seeds = new Map((await all(service)).map((a) => [a.id, a]));
    expect([...seeds.keys()].sort()).toEqual([...SEED_IDS].sort());
    await service.refresh({ live: true });
    for (const id of SEED_IDS) expect(await service.store.get(id)).toEqual(seeds.get(id));
    const stored = await all(service);
    expect(stored).toHaveLength(5 + 11);
    const canonical = stored.map((a) => a.canonicalUrl);
    expect(new Set(canonical).size).toBe(canonical.length);
    // the three upstream spellings of seeds in the fixtures: http + utm + fragment, raw Unicode + xtor, lower-case %xx + maca
    for (const seed of ['19ed2a19392a531b', '6cbfbc67556956b9', '9eeed609b1b25c46']) {
      expect(stored.filter((a) => a.canonicalUrl === seeds.get(seed)!.canonicalUrl)).toHaveLength(1);
    }
    expect(JSON.stringify(stored)).not.toContain('这一篇已在种子档案中');
  });

  it('archives each fetched article at the clock\'s time, with the upstream\'s date as published and modified', async () => {
    const service = await start();
    await service.refresh({ live: true });
    const article = (await all(service)).find((a) => a.canonicalUrl === canonicalUrl('https://www.voachinese.com/a/taiwan-typhoon-kong-rey-20241031/7845123.html'))!;
    const published = Date.UTC(2024, 9, 31, 2, 5);
    expect(article).toMatchObject({ archived: T0, modified: published, published, source: 'voa' });
    expect(article.contentHtml).toContain('<img src="https://www.voachinese.com/Content/responsive/VOA/img/typhoon.jpg"');
  });

  it('is what a restart loads back from the data folder', async () => {
    const first = await start();
    await first.refresh({ live: true });
    const before = await first.store.byArrival({}, 0, 500);
    expect(before).toHaveLength(5 + 11);
    await first.close();
    const restarted = await open([], {});
    await restarted.refresh({ live: false });
    expect(await restarted.store.byArrival({}, 0, 500)).toEqual(before);
  });

  it('numbers the stored articles 1, 2 ... in storing order, as an export names its files', async () => {
    const service = await start();
    await service.refresh({ live: true });
    const stored = await service.store.byArrival({}, 0, 500);
    // the seeds first (the seed folder is read before any feed), then the 11 fetched articles
    expect(new Set(stored.slice(0, 5).map((a) => a.id))).toEqual(new Set(SEED_IDS));
    expect(stored.slice(5).map((a) => a.archived)).toEqual(Array(11).fill(T0));
    const out = join(dirs.data, '..', 'export');
    await exportArchive(service.store, out);
    expect((await readdir(out)).sort()).toEqual(stored.map((a, i) => `${String(i + 1).padStart(3, '0')}_${a.id}.txt`));
  });
});

describe('conditional GET', () => {
  const ETAG = '"voa-1"';
  const LAST_MODIFIED = 'Thu, 31 Oct 2024 02:00:00 GMT';

  beforeEach(async () => {
    const body = await fixtureBytes('live', 'voa.xml');
    server.route('/voa.xml', (req, res) => {
      if (req.headers['if-none-match'] === ETAG) res.writeHead(304, { ETag: ETAG }).end();
      else res.writeHead(200, { 'Content-Type': 'application/rss+xml', ETag: ETAG, 'Last-Modified': LAST_MODIFIED }).end(body);
    });
  });

  function voaRequests(): Record<string, unknown>[] {
    return server.requests.filter((r) => r.path === '/voa.xml').map((r) => ({
      inm: r.headers['if-none-match'], ims: r.headers['if-modified-since'],
    }));
  }

  it('sends the validators of the last answer on the second refresh', async () => {
    const service = await start(outletDefinitions(server).slice(0, 1));
    await service.refresh({ live: true });
    clock.advance(15 * 60_000);
    await service.refresh({ live: true });
    expect(voaRequests()).toEqual([{ inm: undefined, ims: undefined }, { inm: ETAG, ims: LAST_MODIFIED }]);
  });

  it('changes nothing on a 304', async () => {
    const service = await start(outletDefinitions(server).slice(0, 1));
    await service.refresh({ live: true });
    const version = await service.store.version();
    const stored = await service.store.byArrival({}, 0, 500);
    expect(stored).toHaveLength(5 + 2);
    clock.advance(15 * 60_000);
    const report = await service.refresh({ live: true });
    expect(report.live?.feeds[0]).toMatchObject({ outcome: 'not-modified', state: { httpStatus: 304, itemsSeen: 0, itemsNew: 0, lastSuccess: T0 + 15 * 60_000 } });
    expect(await service.store.version()).toBe(version);
    expect(await service.store.byArrival({}, 0, 500)).toEqual(stored);
  });

  it('keeps the validators across a restart', async () => {
    const first = await start(outletDefinitions(server).slice(0, 1));
    await first.refresh({ live: true });
    expect(await first.store.feedStates()).toEqual([expect.objectContaining({ source: 'voa', url: server.url('/voa.xml'), etag: ETAG, lastModified: LAST_MODIFIED })]);
    await first.close();
    const restarted = await open([], { now: clock.now });
    await restarted.refresh({ live: true });
    expect(voaRequests().at(-1)).toEqual({ inm: ETAG, ims: LAST_MODIFIED });
  });
});
