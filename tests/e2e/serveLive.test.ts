import type { ChildProcess } from 'node:child_process';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes } from '../support/paths.js';
import { SEED_IDS } from '../support/seeds.js';
import { type FixtureServer, serveBytes, startFixtureServer } from '../support/upstream.js';
import { liveArgs, liveDirs, type LiveDirs, outletDefinitions, removeLiveDirs, writeDefinitions } from '../support/live.js';
import { npmStart, stopNpm } from '../support/processes.js';
import type { StatusDocument } from '../../src/refresh/status.js';

/** `npm start -- --live --feeds <fixture dir>`: the seeds and the upstream's new articles, merged, in all three outputs. */

const NEW_TITLES = [
  '美国大选前夕 华裔选民关注经济议题',
  '台风康芮逼近台湾 全台停班停课',
  '神舟十九号载人飞船发射成功',
  '德国总理朔尔茨召开经济峰会',
  '歐盟對中國電動車加徵關稅正式生效',
];
const SEED_GUIDS = SEED_IDS.map((id) => `tag:feedrelay,2024:${id}`);


let upstream: FixtureServer;
let dirs: LiveDirs;
let child: ChildProcess | undefined;
let base: string;

async function status(): Promise<StatusDocument> {
  return (await (await fetch(`${base}/status`)).json()) as StatusDocument;
}

beforeAll(async () => {
  upstream = await startFixtureServer({
    '/voa.xml': serveBytes(await fixtureBytes('live', 'voa.xml')),
    '/rfi.xml': serveBytes(await fixtureBytes('live', 'rfi.xml')),
    '/dw.xml': serveBytes(await fixtureBytes('live', 'dw.xml')),
  });
  dirs = await liveDirs('serve');
  await writeDefinitions(dirs.feeds, outletDefinitions(upstream));
  const started = await npmStart(['--live', '--port', '0', '--host', '127.0.0.1', ...liveArgs(dirs)]);
  child = started.child;
  base = `http://127.0.0.1:${started.port}`;
  // the live refresh runs once the server listens; /status says when it is done
  for (let i = 0; i < 200 && (await status()).lastRefresh === null; i += 1) await new Promise((r) => setTimeout(r, 50));
}, 40_000);
afterAll(async () => {
  if (child) await stopNpm(child);
  await upstream.close();
  await removeLiveDirs(dirs);
});

describe('serve --live against loopback fixture feeds', () => {
  it('serves seeds and new upstream articles merged in RSS, each once', async () => {
    const feed = parseRssFeed(await (await fetch(`${base}/feed.xml`)).text());
    const guids = (feed.items ?? []).map((i) => i.guid?.value);
    expect(guids).toHaveLength(10);
    expect(new Set(guids).size).toBe(10);
    expect(guids).toEqual(expect.arrayContaining(SEED_GUIDS));
    expect((feed.items ?? []).map((i) => i.title)).toEqual(expect.arrayContaining(NEW_TITLES));
  });

  it('serves the same merged stream in Atom', async () => {
    const feed = parseAtomFeed(await (await fetch(`${base}/atom.xml`)).text());
    const ids = (feed.entries ?? []).map((e) => e.id);
    expect(ids).toHaveLength(10);
    expect(ids).toEqual(expect.arrayContaining(SEED_GUIDS));
    const title = (t: unknown): unknown => (typeof t === 'object' && t !== null && 'value' in t ? t.value : t);
    expect((feed.entries ?? []).map((e) => title(e.title))).toEqual(expect.arrayContaining(NEW_TITLES));
  });

  it('serves the same merged stream in JSON Feed', async () => {
    const feed = parseJsonFeed(await (await fetch(`${base}/feed.json`)).text());
    const ids = (feed.items ?? []).map((i) => i.id);
    expect(ids).toHaveLength(10);
    expect(ids).toEqual(expect.arrayContaining(SEED_GUIDS));
    expect((feed.items ?? []).map((i) => i.title)).toEqual(expect.arrayContaining(NEW_TITLES));
  });

  it('puts the new articles in their outlet\'s own feed', async () => {
    const feed = parseJsonFeed(await (await fetch(`${base}/voa/feed.json`)).text());
    expect((feed.items ?? []).map((i) => i.title).sort()).toEqual([
      '俄军入侵乌克兰后中俄外长首次会晤，王毅称双方发展关系意愿“更为坚定”',
      '台风康芮逼近台湾 全台停班停课',
      '王毅会见俄副外长，侵乌战争是重点话题',
      '美国大选前夕 华裔选民关注经济议题',
    ].sort());
  });

  it('reports each feed on /status', async () => {
    const res = await fetch(`${base}/status`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const doc = (await res.json()) as StatusDocument;
    expect(doc).toMatchObject({ live: true, refreshing: false, articles: 10, lastRefresh: { added: 5, ok: true }, errors: [] });
    expect(doc.sources.map((s) => [s.id, s.feeds.map((f) => [f.url, f.httpStatus, f.itemsSeen, f.itemsNew, f.lastError, f.nextRetry])])).toEqual([
      ['dw', [[upstream.url('/dw.xml'), 200, 3, 2, null, null]]],
      ['rfi', [[upstream.url('/rfi.xml'), 200, 2, 1, null, null]]],
      ['voa', [[upstream.url('/voa.xml'), 200, 3, 2, null, null]]],
    ]);
    for (const feed of doc.sources.flatMap((s) => s.feeds)) {
      expect(feed.lastAttempt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(feed.lastSuccess).toBe(feed.lastAttempt);
    }
  });
});
