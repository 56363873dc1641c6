import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createService, type Service } from '../src/service.js';
import { openStore } from '../src/store/open.js';
import { manualClock } from './support/clock.js';
import { type LogEntry, recordingLog } from './support/log.js';
import { type FixtureServer, type Handler, serveBytes, serveHang, serveStatus, startFixtureServer } from './support/upstream.js';
import { type Definition, liveConfig, liveDirs, type LiveDirs, removeLiveDirs, writeDefinitions } from './support/live.js';
import { type RunningServer, serveService } from './support/servers.js';

/** Issue #5 point 5: liveness, one structured log line per feed per refresh, and stopping the service cleanly (shutdown's own order: tests/shutdown.test.ts). */

const T0 = Date.UTC(2024, 9, 31, 12, 0, 0);

let upstream: FixtureServer;
let dirs: LiveDirs;
let entries: LogEntry[];
let service: Service;
/** Services and fixture servers this test started, closed after it. */
let started: { close(): Promise<void> }[] = [];
let folders: LiveDirs[] = [];
const clock = manualClock(T0);

function definitions(paths: Record<string, string>): Definition[] {
  return Object.entries(paths).map(([id, path]) => ({ id, title: `${id} 新闻`, url: `https://${id}.example.org/`, feeds: [upstream.url(path)] }));
}

async function start(routes: Record<string, Handler>, paths: Record<string, string>): Promise<void> {
  upstream = await startFixtureServer(routes);
  started.push(upstream);
  dirs = await liveDirs('operations');
  folders.push(dirs);
  await writeDefinitions(dirs.feeds, definitions(paths));
  const recording = recordingLog();
  entries = recording.entries;
  service = await createService(liveConfig(dirs), recording.log, { now: clock.now, random: () => 0.5 });
  started.push(service);
  await service.refresh({ live: false });
}

beforeEach(() => clock.set(T0));
afterEach(async () => {
  for (const s of started.reverse()) await s.close();
  for (const d of folders) await removeLiveDirs(d);
  started = [];
  folders = [];
});

/** A feed of `n` new articles, newest first. */
function bigFeed(n: number): string {
  const items = Array.from({ length: n }, (_, i) =>
    `<item><title>第${i}条</title><link>https://big.example.org/a/${i}.html</link><pubDate>${new Date(T0 - i * 60_000).toUTCString()}</pubDate><description>正文${i}</description></item>`);
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>big</title>${items.join('')}</channel></rss>`;
}

describe('GET /healthz', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 200 "ok" as text/plain, also while a refresh is stuck on an upstream', async () => {
    await start({ '/hang.xml': serveHang() }, { hang: '/hang.xml' });
    server = await serveService(service, recordingLog().log);
    const refresh = service.refresh({ live: true });
    await expect.poll(() => upstream.requests.length).toBe(1);
    expect(service.refreshing()).toBe(true);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('ok\n');
    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    await service.stop();
    await refresh;
  });
});

describe('refresh logs', () => {
  it('write one structured line per feed per refresh: source, URL, outcome, status, items seen and new, bytes, ms', async () => {
    const ok = Buffer.from(bigFeed(3), 'utf8');
    await start({
      '/ok.xml': serveBytes(ok, { ETag: '"v1"' }),
      '/broken.xml': serveStatus(500),
    }, { ok: '/ok.xml', broken: '/broken.xml' });
    await service.refresh({ live: true });
    const lines = (): LogEntry[] => entries.filter((e) => e.msg === 'feed refreshed');
    expect(lines()).toHaveLength(2);
    expect(lines().find((l) => l.source === 'ok')).toMatchObject({
      level: 30, feed: upstream.url('/ok.xml'), outcome: 'fetched', status: 200, itemsSeen: 3, itemsNew: 3, skipped: 0, bytes: ok.length, ms: expect.any(Number),
    });
    expect(lines().find((l) => l.source === 'broken')).toMatchObject({
      level: 40, feed: upstream.url('/broken.xml'), outcome: 'failed', status: 500, itemsSeen: 0, itemsNew: 0, bytes: 0, err: expect.stringContaining('HTTP 500'), failures: 1,
    });

    // a conditional refresh: the 304 gets its own line, the backing-off feed a "waiting" one
    upstream.route('/ok.xml', (req, res) => void res.writeHead(req.headers['if-none-match'] === '"v1"' ? 304 : 200).end());
    clock.advance(60_000);
    await service.refresh({ live: true });
    expect(lines()).toHaveLength(4);
    expect(lines().slice(2).map((l) => [l.source, l.outcome, l.status ?? null, l.itemsNew])).toEqual([
      ['broken', 'waiting', null, 0],
      ['ok', 'not-modified', 304, 0],
    ]);
    // and nothing else speaks for a feed at info level or above: one line each
    const perFeed = entries.filter((e) => e.level >= 30 && (e.feed !== undefined || e.source !== undefined));
    expect(perFeed).toHaveLength(4);
  });
});

describe('service.stop() during a refresh', () => {
  it('cancels a hung request at once, without backoff, keeping the feed\'s last validators', async () => {
    await start({ '/hang.xml': serveHang(), '/slow.xml': serveHang() }, { hang: '/hang.xml', slow: '/slow.xml' });
    const refresh = service.refresh({ live: true });
    await expect.poll(() => upstream.requests.length).toBe(2);
    await service.stop();
    const report = await refresh;
    expect(report.live?.ok).toBe(false);
    for (const feed of report.live!.feeds) {
      expect(feed).toMatchObject({ outcome: 'failed', state: { lastError: 'interrupted by shutdown', failures: 0 } });
      expect(feed.state.nextRetry).toBeUndefined();
    }
    // the state was saved, and no refresh starts after a stop
    expect((await service.store.feedStates()).map((s) => [s.source, s.lastError, s.failures])).toEqual([
      ['hang', 'interrupted by shutdown', 0], ['slow', 'interrupted by shutdown', 0],
    ]);
    expect(await service.refresh({ live: true })).toEqual({ archives: [] });
    expect(upstream.requests).toHaveLength(2);
  });

  it('mid-write: the article being stored is finished, no other is begun, every stored article is whole', async () => {
    await start({ '/big.xml': serveBytes(bigFeed(300), { ETag: '"big"' }) }, { big: '/big.xml' });
    const refresh = service.refresh({ live: true });
    await expect.poll(() => service.store.count({ source: 'big' }), { timeout: 20_000, interval: 5 }).toBeGreaterThan(0);
    await service.stop();
    const report = await refresh;
    const big = await service.store.byArrival({ source: 'big' }, 0, 1000);
    // every stored article reads back whole
    for (const article of big) {
      expect(article.url).toMatch(/^https:\/\/big\.example\.org\/a\/\d+\.html$/);
      expect(article.title).toBe(`第${/(\d+)\.html$/.exec(article.url)![1]}条`);
    }
    // what is counted is exactly what is stored, and what another process opening the database reads
    expect(await service.store.count({})).toBe(5 + big.length);
    const feed = report.live!.feeds[0]!;
    expect(feed.state.itemsNew).toBe(big.length);
    const other = await openStore({ dataDir: dirs.data });
    try {
      expect(await other.byArrival({}, 0, 1000)).toEqual(await service.store.byArrival({}, 0, 1000));
    } finally {
      await other.close();
    }
    // no article or temporary files: everything is in the database
    expect((await readdir(dirs.data)).filter((n) => n.endsWith('.txt') || n.endsWith('.tmp'))).toEqual([]);
    if (big.length < 300) {
      // stopped part-way: the validators must not claim the rest was read
      expect(feed.outcome).toBe('failed');
      expect((await service.store.feedStates())[0]!.etag).toBeUndefined();
    } else {
      expect((await service.store.feedStates())[0]!.etag).toBe('"big"');
    }
  }, 60_000);
});
