import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseLink, type DatabaseLink } from '../../support/databaseLink.js';
import { startServe, stopServe, type Serving } from '../../support/processes.js';
import { removeDir, tempDir } from '../../support/tempDir.js';
import { type FixtureServer, startFixtureServer } from '../../support/upstream.js';
import { writeDefinitions } from '../../support/live.js';
import { createTestDatabase, skipPostgresSuite, TEST_DATABASE_URL, type TestDatabase } from '../../support/postgres.js';

/**
 * Three real `serve` processes on one PostgreSQL database (issue #11): one refresher at a time,
 * takeover after SIGKILL, the same bytes everywhere, changes everywhere within 5 s, an admin
 * refresh on a replica without the lease, and the database going away and coming back.
 */

const skip = await skipPostgresSuite();

const TOKEN = 'replica-test-token-0123456789';
/** Every two seconds: the cron period the takeover is measured against. */
const CRON = '*/2 * * * * *';
const PERIOD_MS = 2_000;
const DOCUMENTS = ['/feed.xml', '/atom.xml', '/feed.json', '/voa/feed.xml', '/'];

let upstream: FixtureServer;
/** When the feed was asked for, ms since the epoch. */
const fetches: number[] = [];
let items = 3;
let db: TestDatabase;
let link: DatabaseLink;
let work: string | undefined;
const replicas: Serving[] = [];

function rss(count: number): string {
  const entries = Array.from({ length: count }, (_, i) => `<item><title>副本测试第${i}条</title><link>https://www.voachinese.com/a/replica-${i}.html</link>`
    + `<pubDate>${new Date(Date.UTC(2026, 10, 1) + i * 60_000).toUTCString()}</pubDate><description>&lt;p&gt;第${i}条的正文。&lt;/p&gt;</description></item>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>https://www.voachinese.com/</link><description>d</description>${entries}</channel></rss>`;
}

const get = (r: Serving, path: string): Promise<Response> => fetch(`${r.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
const alive = (): Serving[] => replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
const status = async (r: Serving): Promise<{ refresher: boolean; lastRefresh: unknown }> => (await get(r, '/status')).json() as Promise<{ refresher: boolean; lastRefresh: unknown }>;
const titles = async (r: Serving): Promise<number> => ((await (await get(r, '/feed.json')).json()) as { items: unknown[] }).items.length;

describe.skipIf(skip)('replicas on one PostgreSQL database', () => {
  beforeAll(async () => {
    upstream = await startFixtureServer({
      '/feed.xml': (_req, res) => {
        fetches.push(Date.now());
        res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(rss(items));
      },
    });
    db = await createTestDatabase();
    const server = new URL(TEST_DATABASE_URL);
    link = await databaseLink(server.hostname, Number(server.port || 5432));
    work = await tempDir('replicas');
    const feeds = join(work, 'feeds');
    await writeDefinitions(feeds, [{ id: 'voa', title: '美国之音中文网', url: 'https://www.voachinese.com', feeds: [upstream.url('/feed.xml')] }]);
    const seeds = join(work, 'seeds');
    await mkdir(seeds);
    const url = new URL(db.url);
    url.host = `127.0.0.1:${link.port}`;
    for (let i = 0; i < 3; i += 1) {
      const data = join(work, `data-${i}`);
      await mkdir(data);
      replicas.push(await startServe(['--database', url.href, '--seeds', seeds, '--data', data, '--feeds', feeds, '--live', '--cron', CRON, '--fetch-timeout', '2',
        // Behind one load balancer, replicas state one public address in their self links.
        '--base-url', 'https://feeds.example.org'],
        { FEEDRELAY_ADMIN_TOKEN: TOKEN }));
    }
  }, 120_000);

  afterAll(async () => {
    // A replica that ended by itself (no signal of ours) shows why, whichever test then failed.
    for (const r of replicas.filter((x) => x.child.exitCode !== null && x.child.exitCode !== 0)) {
      console.error(`replica on ${r.url} exited with ${r.child.exitCode}:\n${r.stderr()}`);
    }
    for (const r of replicas) await stopServe(r, 'SIGKILL');
    await link?.close();
    await upstream?.close();
    await db?.drop();
    if (work) await removeDir(work);
  });

  it('runs the schedule in one replica at a time', async () => {
    await expect.poll(async () => (await Promise.all(replicas.map(status))).filter((s) => s.refresher).length, { timeout: 10_000 }).toBe(1);
    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4 * PERIOD_MS));
    const seen = fetches.filter((t) => t >= from);
    // One fetch a tick (4 or 5 in 8 s); three refreshers would make twelve or more.
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeLessThanOrEqual(5);
  }, 30_000);

  it('serves the same bytes and ETag from every replica', async () => {
    await expect.poll(async () => Promise.all(replicas.map(titles)), { timeout: 10_000 }).toEqual([3, 3, 3]);
    for (const path of DOCUMENTS) {
      const answers = await Promise.all(replicas.map(async (r) => {
        const res = await get(r, path);
        return { status: res.status, etag: res.headers.get('etag'), body: await res.text() };
      }));
      expect(answers[0]!.status).toBe(200);
      for (const a of answers.slice(1)) {
        expect(a.etag).toBe(answers[0]!.etag);
        expect(a.body).toBe(answers[0]!.body);
      }
    }
  }, 30_000);

  it('serves a change from every replica within 5 s of the first', async () => {
    items = 4;
    await expect.poll(async () => (await Promise.all(replicas.map(titles))).some((n) => n === 4), { timeout: 10_000, interval: 100 }).toBe(true);
    const first = Date.now();
    await expect.poll(async () => Promise.all(replicas.map(titles)), { timeout: 5_000, interval: 100 }).toEqual([4, 4, 4]);
    expect(Date.now() - first).toBeLessThan(5_000);
  }, 30_000);

  it('refreshes on an admin request to a replica that does not hold the lease', async () => {
    const states = await Promise.all(replicas.map(status));
    const other = replicas[states.findIndex((s) => !s.refresher)]!;
    expect((await status(other)).lastRefresh).toBeNull();
    const res = await fetch(`${other.url}/admin/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(202);
    await expect.poll(async () => (await status(other)).lastRefresh, { timeout: 10_000 }).not.toBeNull();
  }, 30_000);

  it('hands the schedule to another replica within one cron period after SIGKILL of the holder', async () => {
    const states = await Promise.all(replicas.map(status));
    const holder = replicas[states.findIndex((s) => s.refresher)]!;
    expect(await stopServe(holder, 'SIGKILL')).toBe('SIGKILL');
    const killed = Date.now();
    const before = fetches.length;
    await expect.poll(() => fetches.length, { timeout: 3 * PERIOD_MS, interval: 50 }).toBeGreaterThan(before);
    // The next tick after the kill (at most one period, plus the refresh's own start) fetched.
    expect(fetches.at(-1)! - killed).toBeLessThan(PERIOD_MS + 1_500);
    await expect.poll(async () => (await Promise.all(alive().map(status))).filter((s) => s.refresher).length, { timeout: 5_000 }).toBe(1);
  }, 30_000);

  it('keeps serving while the database is away, says so on /readyz, and recovers by itself', async () => {
    const [a, b] = alive();
    const before = await get(a!, '/feed.xml');
    const etag = before.headers.get('etag');
    await link.cut();
    await expect.poll(async () => [(await get(a!, '/readyz')).status, (await get(b!, '/readyz')).status], { timeout: 10_000 }).toEqual([503, 503]);
    // Documents rendered before stay served.
    const during = await get(a!, '/feed.xml');
    expect(during.status).toBe(200);
    expect(during.headers.get('etag')).toBe(etag);
    items = 5;
    await link.restore();
    await expect.poll(async () => [(await get(a!, '/readyz')).status, (await get(b!, '/readyz')).status], { timeout: 15_000 }).toEqual([200, 200]);
    // The schedule goes on, and what it stores reaches both.
    await expect.poll(async () => Promise.all(alive().map(titles)), { timeout: 15_000 }).toEqual([5, 5]);
    expect(alive()).toEqual([a, b]);
  }, 60_000);

  it('closes every connection on SIGTERM', async () => {
    for (const r of alive()) expect(await stopServe(r, 'SIGTERM')).toBe(0);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await expect.poll(async () => (await admin.query<{ n: string }>('SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = $1', [db.name])).rows[0]!.n, { timeout: 5_000 }).toBe('0');
    } finally {
      await admin.end();
    }
  }, 30_000);
});
