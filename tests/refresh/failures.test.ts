import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { createService, type Service } from '../../src/service.js';
import { fixtureBytes } from '../support/paths.js';
import { manualClock } from '../support/clock.js';
import { type FixtureServer, type Handler, serveBytes, serveHang, serveHuge, serveRedirect, serveStatus, startFixtureServer } from '../support/upstream.js';
import { type Definition, liveConfig, liveDirs, type LiveDirs, removeLiveDirs, writeDefinitions } from '../support/live.js';

/** One bad upstream never stops the others and never takes anything out of what is published. */

const T0 = Date.UTC(2024, 9, 31, 12, 0, 0);
const MIN = 60_000;
const VOA_NEW = ['美国大选前夕 华裔选民关注经济议题', '台风康芮逼近台湾 全台停班停课'];

let server: FixtureServer;
let dirs: LiveDirs;
let services: Service[];
const clock = manualClock(T0);

beforeEach(async () => {
  clock.set(T0);
  server = await startFixtureServer({
    '/voa.xml': serveBytes(await fixtureBytes('live', 'voa.xml')),
    '/dw.xml': serveBytes(await fixtureBytes('live', 'dw.xml')),
  });
  dirs = await liveDirs('failures');
  services = [];
});
afterEach(async () => {
  for (const service of services) await service.close();
  await server.close();
  await removeLiveDirs(dirs);
});

function definitions(badPath: string): Definition[] {
  return [
    { id: 'bad', title: '坏源', url: 'https://bad.example.org/', feeds: [server.url(badPath)] },
    { id: 'voa', title: '美国之音中文网', url: 'https://www.voachinese.com', feeds: [server.url('/voa.xml')] },
    { id: 'dw', title: '德国之声中文网', url: 'https://www.dw.com/zh/', feeds: [server.url('/dw.xml')] },
  ];
}

async function start(defs: Definition[]): Promise<Service> {
  await writeDefinitions(dirs.feeds, defs);
  // a 1 s deadline and a 1 MB cap: the failures come quickly
  const service = await createService(liveConfig(dirs, ['--fetch-timeout', '1', '--max-feed-bytes', String(1024 * 1024)]), silentLog, {
    now: clock.now,
    random: () => 0,
  });
  services.push(service);
  await service.refresh({ live: false });
  return service;
}

const FAILURES: { name: string; handler: Handler; error: RegExp; httpStatus: number | null }[] = [
  { name: 'a hung server', handler: serveHang(), error: /timed out/, httpStatus: null },
  { name: 'a 500', handler: serveStatus(500), error: /: HTTP 500$/, httpStatus: 500 },
  { name: 'a 30 MB body', handler: serveHuge(30 * 1024 * 1024), error: /byte cap; request aborted/, httpStatus: 200 },
  { name: 'malformed XML', handler: serveBytes('<rss version="2.0"><channel><item><title>broken</channel>'), error: /not well-formed XML/, httpStatus: 200 },
  { name: 'a redirect loop', handler: serveRedirect('/bad.xml'), error: /redirect loop/, httpStatus: 302 },
  { name: 'an HTML page', handler: serveBytes('<html><body>Maintenance</body></html>', { 'Content-Type': 'text/html' }), error: /not RSS 2.0, RSS 1.0 or Atom/, httpStatus: 200 },
];

describe('a failing source', () => {
  it.each(FAILURES)('$name leaves the other sources\' new articles published', async ({ handler, error, httpStatus }) => {
    server.route('/bad.xml', handler);
    const service = await start(definitions('/bad.xml'));
    const report = (await service.refresh({ live: true })).live!;
    expect(report.ok).toBe(false);
    expect(report.feeds.map((f) => [f.source, f.outcome])).toEqual([['bad', 'failed'], ['dw', 'fetched'], ['voa', 'fetched']]);
    const bad = (await service.status()).sources.find((s) => s.id === 'bad')!.feeds[0]!;
    expect(bad.lastError).toMatch(error);
    expect(bad.httpStatus).toBe(httpStatus);
    expect(bad).toMatchObject({ lastAttempt: new Date(T0).toISOString(), lastSuccess: null, failures: 1, itemsNew: 0 });
    const voa = (await service.store.newest({ source: 'voa' }, 100)).map((a) => a.title);
    for (const title of VOA_NEW) expect(voa).toContain(title);
    expect(await service.store.count({})).toBe(5 + 2 + 2);
  });

  it('never takes anything out of the store when every upstream fails after a good refresh', async () => {
    server.route('/bad.xml', serveStatus(500));
    const service = await start(definitions('/bad.xml'));
    await service.refresh({ live: true });
    const before = await service.store.byArrival({}, 0, 500);
    expect(before).toHaveLength(5 + 2 + 2);
    const version = await service.store.version();
    for (const path of ['/voa.xml', '/dw.xml']) server.route(path, serveBytes('garbage'));
    clock.advance(60 * MIN);
    const report = (await service.refresh({ live: true, ignoreBackoff: true })).live!;
    expect(report.feeds.every((f) => f.outcome === 'failed')).toBe(true);
    expect(await service.store.byArrival({}, 0, 500)).toEqual(before);
    expect(await service.store.version()).toBe(version);
  });

  it('skips items that cannot become articles and keeps the rest of the feed', async () => {
    server.route('/bad.xml', serveBytes(`<rss version="2.0"><channel>
      <item><title>没有链接</title></item>
      <item><title>有链接</title><link>https://bad.example.org/a/1.html</link></item>
      <item><title>&lt;script&gt;x&lt;/script&gt;</title><link>https://bad.example.org/a/2.html</link></item>
    </channel></rss>`));
    const service = await start(definitions('/bad.xml'));
    const report = (await service.refresh({ live: true })).live!;
    expect(report.feeds[0]).toMatchObject({ outcome: 'fetched', skipped: 2, state: { itemsSeen: 3, itemsNew: 1 } });
    expect((await service.store.newest({ source: 'bad' }, 100)).map((a) => a.title)).toEqual(['有链接']);
  });
});

describe('backoff and Retry-After', () => {
  it('waits out a Retry-After before asking again on schedule', async () => {
    server.route('/bad.xml', serveStatus(503, { 'Retry-After': '3600' }));
    const service = await start(definitions('/bad.xml'));
    await service.refresh({ live: true });
    expect((await service.status()).sources[0]!.feeds[0]).toMatchObject({ httpStatus: 503, nextRetry: new Date(T0 + 60 * MIN).toISOString() });
    const asked = (): number => server.requests.filter((r) => r.path === '/bad.xml').length;
    clock.advance(59 * MIN);
    const waiting = (await service.refresh({ live: true })).live!;
    expect(waiting.feeds[0]).toMatchObject({ source: 'bad', outcome: 'waiting' });
    expect(asked()).toBe(1);
    clock.advance(MIN);
    await service.refresh({ live: true });
    expect(asked()).toBe(2);
  });

  it('backs off exponentially, and a success resets it', async () => {
    server.route('/bad.xml', serveStatus(500));
    const service = await start(definitions('/bad.xml'));
    const delays: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      await service.refresh({ live: true, ignoreBackoff: true });
      const next = Date.parse((await service.status()).sources[0]!.feeds[0]!.nextRetry!);
      delays.push(next - clock.now());
      clock.advance(MIN);
    }
    // random() = 0: half of 5, 10 and 20 minutes
    expect(delays).toEqual([2.5 * MIN, 5 * MIN, 10 * MIN]);
    server.route('/bad.xml', serveBytes(await fixtureBytes('live', 'voa.xml')));
    await service.refresh({ live: true, ignoreBackoff: true });
    expect((await service.status()).sources[0]!.feeds[0]).toMatchObject({ failures: 0, nextRetry: null, lastError: null, httpStatus: 200 });
  });

  it('lets a manual refresh try a feed that is backing off', async () => {
    server.route('/bad.xml', serveStatus(500));
    const service = await start(definitions('/bad.xml'));
    await service.refresh({ live: true });
    const report = (await service.refresh({ live: true, ignoreBackoff: true })).live!;
    expect(report.feeds[0]).toMatchObject({ outcome: 'failed', state: { failures: 2 } });
  });
});

describe('overlapping refreshes', () => {
  it('joins a running refresh instead of starting a second', async () => {
    server.route('/bad.xml', serveHang());
    const service = await start(definitions('/bad.xml'));
    const [a, b] = await Promise.all([service.refresh({ live: true }), service.refresh({ live: true })]);
    expect(b.live).toBe(a.live);
    expect(server.requests.filter((r) => r.path === '/voa.xml')).toHaveLength(1);
  });
});
