import type { ChildProcess } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { fixtureBytes } from '../support/paths.js';
import { finished, spawnCli } from '../support/processes.js';
import { type FixtureServer, serveBytes, serveHang, serveStatus, startFixtureServer } from '../support/upstream.js';
import { liveArgs, liveDirs, type LiveDirs, outletDefinitions, removeLiveDirs, writeDefinitions } from '../support/live.js';

/** `feedrelay refresh` as a process: its table, its exit code, and a SIGKILL in the middle of its writes. */

/** The store the CLI wrote in the data folder, opened by the test (after the CLI has created it). */
async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ dataDir: dirs.data });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

let server: FixtureServer;
let dirs: LiveDirs;

beforeEach(async () => {
  server = await startFixtureServer({
    '/voa.xml': serveBytes(await fixtureBytes('live', 'voa.xml')),
    '/rfi.xml': serveBytes(await fixtureBytes('live', 'rfi.xml')),
    '/dw.xml': serveBytes(await fixtureBytes('live', 'dw.xml')),
  });
  dirs = await liveDirs('cli');
});
afterEach(async () => {
  await server.close();
  await removeLiveDirs(dirs);
});

/** Each test starts the CLI once or twice; on a busy machine that alone can take many seconds. */
const CLI_TIMEOUT_MS = 60_000;

describe('feedrelay refresh', { timeout: CLI_TIMEOUT_MS }, () => {
  it('prints a table of every feed and exits 0 when each answered 200', async () => {
    await writeDefinitions(dirs.feeds, outletDefinitions(server));
    const run = await finished(spawnCli(['refresh', ...liveArgs(dirs)]));
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SOURCE\s+RESULT\s+HTTP\s+SEEN\s+NEW\s+FEED\s+NOTE$/);
    expect(lines.slice(1, 4).map((l) => l.split(/\s+/).slice(0, 6))).toEqual([
      ['dw', 'fetched', '200', '3', '2', server.url('/dw.xml')],
      ['rfi', 'fetched', '200', '2', '1', server.url('/rfi.xml')],
      ['voa', 'fetched', '200', '3', '2', server.url('/voa.xml')],
    ]);
    expect(lines.at(-1)).toBe('3 feed(s), 5 new article(s), 0 not refreshed');
    expect(run.stdout).not.toContain('"level"'); // the log is on stderr
  });

  it('lists a definition it skipped as invalid, with the reason, and exits 1', async () => {
    await writeDefinitions(dirs.feeds, outletDefinitions(server));
    await writeFile(join(dirs.feeds, 'bbc.json'), '{"title": "BBC", "url": ');
    const run = await finished(spawnCli(['refresh', ...liveArgs(dirs)]));
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => / fetched /.test(l))).toHaveLength(3);
    const bbc = lines.find((l) => l.startsWith('bbc '));
    expect(bbc).toMatch(new RegExp(`^bbc +invalid +- +- +- +${join(dirs.feeds, 'bbc.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +definition skipped: not valid JSON`));
    expect(lines.at(-1)).toBe('3 feed(s), 5 new article(s), 0 not refreshed, 1 definition(s) invalid');
  });

  it('exits 0 on a second run that gets 304s', async () => {
    const body = await fixtureBytes('live', 'voa.xml');
    server.route('/voa.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"1"') res.writeHead(304).end();
      else res.writeHead(200, { ETag: '"1"' }).end(body);
    });
    await writeDefinitions(dirs.feeds, outletDefinitions(server).slice(0, 1).map((d) => ({ ...d, id: 'voa' })));
    expect((await finished(spawnCli(['refresh', ...liveArgs(dirs)]))).code).toBe(0);
    const second = await finished(spawnCli(['refresh', ...liveArgs(dirs)]));
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^voa\s+not-modified\s+304\s+0\s+0\s/m);
  });

  it('exits 1 when a feed fails, naming it and its error, with the others stored', async () => {
    server.route('/rfi.xml', serveStatus(500));
    await writeDefinitions(dirs.feeds, outletDefinitions(server));
    const run = await finished(spawnCli(['refresh', ...liveArgs(dirs)]));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^rfi\\s+failed\\s+500\\s+-\\s+-\\s+${server.url('/rfi.xml')}\\s+HTTP 500; next try `, 'm'));
    expect(run.stdout).toContain('3 feed(s), 4 new article(s), 1 not refreshed');
    await withStore(async (store) => {
      // the five seeds and the four new articles of DW and VOA
      expect(await store.count({})).toBe(5 + 4);
      expect((await store.byArrival({}, 5, 100)).map((a) => a.source).sort()).toEqual(['dw', 'dw', 'voa', 'voa']);
    });
  });
});

const MANY = 300;

function manyItems(): string {
  const items = Array.from({ length: MANY }, (_, i) =>
    `<item><title>第${i}条新闻：测试原子写入</title><link>https://many.example.org/a/${i}.html</link>` +
    `<pubDate>Thu, 31 Oct 2024 ${String(i % 24).padStart(2, '0')}:00:00 GMT</pubDate>` +
    `<description>&lt;p&gt;这是第${i}条新闻的正文。${'内容'.repeat(200)}&lt;/p&gt;</description></item>`);
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>many</title>${items.join('')}</channel></rss>`;
}

/** Everything stored from the `many` feed, by id. */
async function manyArticles(store: Store): Promise<Map<string, Article>> {
  return new Map((await store.byArrival({ source: 'many' }, 0, MANY + 1)).map((a) => [a.id, a]));
}

/**
 * Resolves once the store holds at least `count` articles of the `many` feed, while the refresh
 * goes on writing: the moment to kill. The store is opened only once the child has loaded the
 * seeds (its "archive loaded" line), so the child alone creates and migrates the database.
 */
async function waitForWrites(count: number, child: ChildProcess, loaded: () => boolean): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error('refresh finished before it could be killed');
    if (loaded()) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const store = await openStore({ dataDir: dirs.data });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error('refresh finished before it could be killed');
      if ((await store.count({ source: 'many' })) >= count) return;
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await store.close();
  }
}

describe('a refresh killed with SIGKILL while it writes', () => {
  it('leaves every article committed before it in the store; the next run completes the rest', async () => {
    server.route('/many.xml', serveBytes(manyItems()));
    server.route('/slow.xml', serveHang());
    await writeDefinitions(dirs.feeds, [
      { id: 'many', title: '很多', url: 'https://many.example.org/', feeds: [server.url('/many.xml')] },
      { id: 'slow', title: '很慢', url: 'https://slow.example.org/', feeds: [server.url('/slow.xml')] },
    ]);
    const child = spawnCli(['refresh', ...liveArgs(dirs, ['--fetch-timeout', '60'])]);
    let loaded = false;
    const exited = finished(child, (stderr) => void (loaded ||= stderr.includes('"archive loaded"')));
    await waitForWrites(10, child, () => loaded);
    child.kill('SIGKILL');
    expect((await exited).code).toBeNull();
    // A restart opens the killed process's database (recovering its WAL) and finds every committed article whole.
    const before = await withStore(async (store) => {
      expect(await store.count({ source: 'many' })).toBe((await manyArticles(store)).size);
      return manyArticles(store);
    });
    expect(before.size).toBeGreaterThanOrEqual(10);
    expect(before.size).toBeLessThan(MANY); // killed mid-write, not after
    for (const article of before.values()) expect(article.title).toMatch(/^第\d+条新闻：测试原子写入$/);

    server.route('/slow.xml', serveBytes('<rss version="2.0"><channel><title>slow</title></channel></rss>'));
    const again = await finished(spawnCli(['refresh', ...liveArgs(dirs)]));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^many\\s+fetched\\s+200\\s+${MANY}\\s+${MANY - before.size}\\s`, 'm'));

    const after = await withStore(manyArticles);
    for (const [id, article] of before) expect(after.get(id)).toEqual(article);
    // Everything is in the database: no article files, no temporary files beside it.
    expect((await readdir(dirs.data)).filter((n) => !/^feedrelay\.db(-wal|-shm)?$/.test(n))).toEqual([]);
    const urls = [...after.values()].map((a) => a.canonicalUrl);
    expect(new Set(urls).size).toBe(MANY);
    expect(after.size).toBe(MANY);
    expect(new Set([...after.values()].map((a) => a.title)).size).toBe(MANY);
  }, CLI_TIMEOUT_MS);
});
