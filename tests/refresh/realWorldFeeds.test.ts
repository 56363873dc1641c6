import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRssFeed } from 'feedsmith';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { createService, type Service } from '../../src/service.js';
import { fixtureBytes } from '../support/paths.js';
import { manualClock } from '../support/clock.js';
import { recordingLog } from '../support/log.js';
import { type FixtureServer, serveBytes, startFixtureServer } from '../support/upstream.js';
import { liveConfig, liveDirs, type LiveDirs, removeLiveDirs } from '../support/live.js';
import { articleFields, expectedFeed, FEED_FIXTURES, type FeedFixture, FETCHED_AT, FULLTEXT_FIXTURE, onHost } from '../support/realWorld.js';

/**
 * Issue #13 through the live path: every fixture served from 127.0.0.1 with the headers its
 * outlet sends, fetched, decoded, parsed, stored and published by the service, as in production.
 */

let server: FixtureServer;
let dirs: LiveDirs;
let services: Service[];
const clock = manualClock(FETCHED_AT);

beforeEach(async () => {
  clock.set(FETCHED_AT);
  server = await startFixtureServer();
  for (const fixture of FEED_FIXTURES) server.route(`/${fixture.file}`, serveBytes(await fixtureBytes('realWorld', fixture.file), fixture.headers));
  server.route(`/${FULLTEXT_FIXTURE.feed}`, serveBytes(await fixtureBytes('realWorld', FULLTEXT_FIXTURE.feed), FULLTEXT_FIXTURE.feedHeaders));
  for (const [path, file] of Object.entries(FULLTEXT_FIXTURE.pages)) {
    // Routes are matched on the request's path, which carries the page's name percent-encoded.
    server.route(new URL(path, server.origin).pathname, serveBytes(await fixtureBytes('realWorld', file), FULLTEXT_FIXTURE.pageHeaders));
  }
  dirs = await liveDirs('real-world');
  services = [];
});
afterEach(async () => {
  for (const service of services) await service.close();
  await server.close();
  await removeLiveDirs(dirs);
});

async function define(definitions: { id: string; feed: string; fullText: boolean }[]): Promise<void> {
  await mkdir(dirs.feeds, { recursive: true });
  for (const { id, feed, fullText } of definitions) {
    // DW is defined at its own address, so the seeds' DW articles are its too.
    const url = id === 'dw' ? 'https://www.dw.com/zh/' : `https://${id}.example.org/`;
    const definition = { title: `${id} 新闻`, url, feeds: [server.url(`/${feed}`)], language: 'zh-Hans', fullText };
    await writeFile(join(dirs.feeds, `${id}.json`), JSON.stringify(definition));
  }
}

async function refreshed(log = recordingLog().log): Promise<Service> {
  const service = await createService(liveConfig(dirs, ['--page-delay', '0']), log, { now: clock.now, random: () => 0.5 });
  services.push(service);
  await service.refresh({ live: false });
  const report = await service.refresh({ live: true });
  for (const feed of report.live!.feeds) expect([feed.source, feed.outcome]).toEqual([feed.source, 'fetched']);
  return service;
}

describe('the fixture feeds through a live refresh', () => {
  let service: Service;
  beforeEach(async () => {
    await define(FEED_FIXTURES.map((f) => ({ id: f.source, feed: f.file, fullText: false })));
    service = await refreshed();
  });

  it.each(FEED_FIXTURES)('$point ($file): stored as expected', async (fixture: FeedFixture) => {
    const expected = await expectedFeed(fixture.file);
    const stored = (await all(service)).filter((a) => a.source === fixture.source && a.archived === FETCHED_AT);
    expect(stored.map(articleFields).sort(byUrl)).toEqual([...expected.articles].sort(byUrl));
  });

  it('7. lists DW\'s re-listed item of 2019 with its own date, below every newer article', async () => {
    const items = parseRssFeed((await service.publisher.document(server.origin, '/dw/feed.xml', ''))!.body.toString('utf8')).items ?? [];
    const dates = items.map((i) => Date.parse(i.pubDate!));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    const old = items.findIndex((i) => i.title === '香港数十万人上街反对修订逃犯条例');
    expect(old).toBe(items.length - 1);
    expect(items[old]!.pubDate).toBe('Mon, 10 Jun 2019 03:15:00 GMT');
    // the seeds' two DW articles, of 2023 and 2024, are above it
    expect(items).toHaveLength(5 + 2);
  });

  it('7. gives each item of DW\'s zh-Hans feed the language of its own text', async () => {
    const dw = (await all(service)).filter((a) => a.source === 'dw' && a.archived === FETCHED_AT);
    expect(dw.map((a) => [a.title, a.language]).sort()).toEqual([
      ['川普勝選後台灣如何應對', 'zh-Hant'],
      ['德国总理朔尔茨解除财长林德纳职务', 'zh-Hans'],
      ['德國執政聯盟破裂 提前大選成定局', 'zh-Hant'],
      ['欧盟与中国就电动车关税继续谈判', 'zh-Hans'],
      ['香港数十万人上街反对修订逃犯条例', 'zh-Hans'],
    ].sort());
  });

  it('a restart loads back the same articles from what was stored', async () => {
    const before = (await all(service)).map(articleFields);
    await service.close();
    services.splice(services.indexOf(service), 1);
    const restarted = await createService(liveConfig(dirs), recordingLog().log);
    services.push(restarted);
    await restarted.refresh({ live: false });
    expect((await all(restarted)).map(articleFields)).toEqual(before);
  });
});

describe('7. DW full text through a live refresh', () => {
  it('stores each page\'s body, found by Readability where the outlet rule falls short, and logs which rule won', async () => {
    await define([{ id: FULLTEXT_FIXTURE.source, feed: FULLTEXT_FIXTURE.feed, fullText: true }]);
    const { log, entries } = recordingLog();
    const service = await refreshed(log);
    const expected = await expectedFeed(FULLTEXT_FIXTURE.feed);
    const stored = (await all(service)).filter((a) => a.archived === FETCHED_AT);
    expect(stored.map(articleFields).sort(byUrl)).toEqual(expected.articles.map((a) => onHost(a, server.origin)).sort(byUrl));
    const extracted = entries.filter((e) => e.msg === 'full text extracted');
    expect(extracted.map((e) => e.rule)).toEqual(['readability', 'readability']);
    expect((await service.status()).sources.find((s) => s.id === 'dw')?.fullText).toMatchObject({ succeeded: 2, failed: 0 });
    // The pages were asked for as a reader's browser would, and each once.
    for (const path of Object.keys(FULLTEXT_FIXTURE.pages)) {
      expect(server.requests.filter((r) => r.path === new URL(path, server.origin).pathname)).toHaveLength(1);
    }
  });
});

/** Everything stored, newest published first. */
function all(service: Service): Promise<Article[]> {
  return service.store.newest({}, 500);
}

function byUrl(a: { url: string }, b: { url: string }): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}
